// What the Explore page and workspace notebooks can query in the browser: the canonical tables and
// the derived `requests` table, exported as Parquet at build (export.ts). This is the one list both the
// exporter and the page's table reference (manifest.json) come from.
import {ANSWERED_BY, type RequestKey} from "../../src/lib/traceSpans.js";
import {canonicalTables} from "../schema/tables.js";

export interface ExploreTable {
  name: string;
  doc: string;
  /** Row order in the file: the time column first, so a time-window query reads few row groups. */
  sortBy: readonly string[];
  /**
   * Over the size cap (see EXPORT_MAX_ROWS), rows are sampled by a hash of this column, so that what
   * belongs together stays together: all spans of a trace, every run of one eval case.
   */
  sampleBy: string;
  /** Docs of columns not in the canonical spec (derived tables, warehouse-added columns). */
  extraDocs: Readonly<Record<string, string>>;
  /** Whether the export adds REQUEST_KEY, the request's integer key, beside the table's trace_id. */
  requestKey?: boolean;
  /** Whether the export adds ANSWERED_BY (src/lib/traceSpans.ts), the names a request's model calls were answered under. */
  answeredBy?: boolean;
  /** The Parquet format version the table is written in; defaults to DuckDB's, v1 (see PARQUET_V2). */
  parquetVersion?: "v1" | "v2";
}

/**
 * Parquet v2, for the tables whose pages read their time column at scale: DuckDB then writes a sorted
 * timestamp DELTA_BINARY_PACKED (a few bits a row where v1 takes 8 bytes: Explore's by-day query at 2M
 * spans, mostly start_time, fetches 6.7 MB instead of 16.5) and distinct text DELTA_LENGTH_BYTE_ARRAY, both
 * of which src/components/parquetPlain.ts decodes straight into Arrow. Its other effects: integers
 * delta-packed, doubles BYTE_STREAM_SPLIT (the same size; hyparquet reads both). The rest stay v1:
 * nothing there is read at that scale, and v1 is what every Parquet reader knows.
 */
const PARQUET_V2 = {parquetVersion: "v2"} as const;

/**
 * The request's integer key, added at export to requests and to spans: the rank of its trace_id among
 * all the requests' (0, 1, …), in DuckDB's order of text, byte by byte. A 4-byte join and sort key
 * where trace_id is tens of bytes of text: the traces page's filters join 2M spans to their requests in
 * DuckDB-wasm, and loading and joining trace_id was most of their time. Its order is trace_id's, so a
 * tie broken by the larger key is broken by the larger trace id, as the build breaks it. Ranked over
 * the whole requests table, before any sample, so the two files agree on every key they both hold.
 */
export const REQUEST_KEY = "request_key" satisfies RequestKey;

/** trace_id → REQUEST_KEY for every request of the warehouse. */
export const requestKeysSql = `SELECT trace_id,
      (row_number() OVER (ORDER BY trace_id) - 1)::INTEGER AS ${REQUEST_KEY}
    FROM requests`;

const requestKeyDoc = {
  [REQUEST_KEY]:
    "The request's integer key: the rank of its trace_id among all requests' (0, 1, …, in the order of the id's bytes); the same in requests and spans, and cheaper to join on than trace_id."
};

/**
 * Free text (outputs, errors, reasons, corrections) is cut to this many characters in the export, after
 * the ingest's own redaction and cut (privacy.excerpt_chars, 160 by default, up to 2000): the Explore
 * page shows excerpts, and long text would dominate the bytes a query fetches.
 */
export const EXPORT_TEXT_CHARS = 300;

/**
 * The size policy: a table of up to this many rows is exported whole; a larger one is exported as a
 * deterministic sample of about this many rows, by a hash of its sample column, and the Explore page
 * names the table, its full row count and the share exported. 2M rows is the scale the loaders are
 * benchmarked at, and keeps a table's Parquet file within what a browser tab holds comfortably.
 */
export const EXPORT_MAX_ROWS = 2_000_000;

/** Rows per row group: small enough that a time-window query skips most of them, large enough that per-group overhead stays small. */
export const EXPORT_ROW_GROUP_ROWS = 100_000;

/**
 * Warehouse bookkeeping the pages do not show: the Data quality page lists files and lines instead,
 * and the derived columns (the experiments' unit keys) are the warehouse's own, in no input file.
 */
export const EXPORT_OMITTED_COLUMNS: readonly string[] = [
  "source_file",
  "source_format",
  "source_line",
  ...new Set(canonicalTables.flatMap((t) => (t.derived ?? []).map((d) => d.name)))
];

const costSource = {
  cost_source: "Where cost_usd came from: reported by the source, computed from the price table, or missing."
};

const sorted: Record<string, Omit<ExploreTable, "name" | "doc">> = {
  eval_results: {sortBy: ["started_at", "run_id", "case_id", "epoch"], sampleBy: "case_id", extraDocs: costSource},
  spans: {
    sortBy: ["start_time", "trace_id", "span_id"],
    sampleBy: "trace_id",
    extraDocs: {...costSource, ...requestKeyDoc},
    requestKey: true,
    ...PARQUET_V2
  },
  corrections: {sortBy: ["at", "event_id"], sampleBy: "event_id", extraDocs: {}},
  predictions: {sortBy: ["task", "model", "at", "id"], sampleBy: "id", extraDocs: {}},
  flags: {sortBy: ["at", "flag_id"], sampleBy: "flag_id", extraDocs: {}},
  assignments: {sortBy: ["experiment", "assigned_at", "unit_id"], sampleBy: "unit_id", extraDocs: {}},
  outcomes: {sortBy: ["experiment", "at", "unit_id", "metric"], sampleBy: "unit_id", extraDocs: {}}
};

/** The derived table every production page reads (loaders/warehouse/requests.ts builds it). */
const requests: ExploreTable = {
  name: "requests",
  doc: "One traced request, built from its spans at ingest: the root span gives duration and attributes, the model calls give model, tokens and cost.",
  sortBy: ["start_time", "trace_id"],
  sampleBy: "trace_id",
  requestKey: true,
  answeredBy: true,
  ...PARQUET_V2,
  extraDocs: {
    ...requestKeyDoc,
    [ANSWERED_BY]:
      "The names the request's model calls were answered under (the dated snapshot, else the model), sorted, once per call, separated by chr(31); null when it made none. Split with string_split(answered_by, chr(31)).",
    trace_id: "The request's trace.",
    start_time: "Start of the request's first span.",
    duration_ms: "End-to-end duration: the root span's, or the envelope of all spans when there is no single root.",
    feature: "Product feature that served the request.",
    segment: "User segment.",
    category: "Request category.",
    prompt_version: "System-prompt version.",
    input_chars: "Length of the request input in characters.",
    model: "The models called, joined with ' + ' when several.",
    spans: "Number of spans.",
    roots: "Number of root spans.",
    calls: "Number of model calls (llm and embedding spans).",
    input_tokens: "Prompt tokens over all model calls.",
    output_tokens: "Completion tokens over all model calls.",
    cost_usd: "Cost over all model calls; unknown when any call's cost is.",
    cost_source: "reported, computed, mixed, or missing (some call has no cost).",
    failed: "Whether any span failed.",
    refused: "Whether any call stopped on the content filter.",
    truncated: "Whether any call stopped at the length limit."
  }
};

export const exploreTables: readonly ExploreTable[] = [
  ...canonicalTables.map((spec) => ({name: spec.name, doc: spec.doc, ...sorted[spec.name]})),
  requests
];

export function exploreTable(name: string): ExploreTable {
  const table = exploreTables.find((t) => t.name === name);
  if (!table)
    throw new Error(`unknown Explore table "${name}"; expected one of ${exploreTables.map((t) => t.name).join(", ")}`);
  return table;
}

/** A column's description: the canonical field's doc, else the table's extra docs. */
export function columnDoc(table: ExploreTable, column: string): string {
  const spec = canonicalTables.find((t) => t.name === table.name);
  return spec?.fields.find((f) => f.name === column)?.doc ?? table.extraDocs[column] ?? "";
}

/** Whether a column is free text in the canonical spec (redacted at ingest, cut again at export). */
export function isFreeText(table: ExploreTable, column: string): boolean {
  const spec = canonicalTables.find((t) => t.name === table.name);
  return spec?.fields.find((f) => f.name === column)?.freeText === true;
}

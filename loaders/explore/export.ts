// The Parquet export behind the Explore page and notebooks: each table of tables.ts, from the
// warehouse whose free text was redacted and cut at ingest (the same text every page shows), cut
// again to EXPORT_TEXT_CHARS, sorted by time and written in row groups so that a reader over HTTP range
// requests fetches only the columns and row groups a query needs.
//
// Uncompressed on purpose: the scan of dist/ (loaders/hermetic/scanDist.ts) reads a binary file as its
// printable runs, and a Snappy or ZSTD page would hide an identifier holding a secret from it. Plain
// and dictionary pages keep every string readable; dictionary encoding keeps repeated ids small anyway.
// A table written as Parquet v2 (tables.ts, PARQUET_V2) keeps its text readable too: its distinct text
// is DELTA_LENGTH_BYTE_ARRAY, the values' bytes back to back, which the scan reads apart.
import {createReadStream} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {quotedIdentifier, quotedString, type Database} from "../warehouse/duckdb.js";
import {truncateSql} from "../warehouse/redact.js";
import {openWarehouse} from "../warehouse/warehouse.js";
import {ANSWERED_BY, answeredBySql} from "../../src/lib/traceSpans.js";
import {
  columnDoc,
  EXPORT_MAX_ROWS,
  EXPORT_OMITTED_COLUMNS,
  EXPORT_ROW_GROUP_ROWS,
  EXPORT_TEXT_CHARS,
  exploreTable,
  exploreTables,
  isFreeText,
  REQUEST_KEY,
  requestKeysSql,
  type ExploreTable
} from "./tables.js";

export interface ExportColumn {
  name: string;
  /** DuckDB type, e.g. VARCHAR, DOUBLE, BIGINT, TIMESTAMP WITH TIME ZONE. */
  type: string;
  doc: string;
  /** Cut to textChars in the export. */
  freeText: boolean;
}

export interface ExportPlan {
  name: string;
  doc: string;
  /** Rows in the warehouse. */
  rows: number;
  /** Rows in the Parquet file: all of them, or a sample when rows > maxRows. */
  exported: number;
  sampled: boolean;
  sampleBy: string;
  sortBy: readonly string[];
  columns: ExportColumn[];
}

export interface ExploreManifest {
  textChars: number;
  maxRows: number;
  rowGroupRows: number;
  tables: ExportPlan[];
}

interface Options {
  maxRows?: number;
  textChars?: number;
  rowGroupRows?: number;
}

/** Hash buckets out of which a sample keeps a share: the sample is by key, so its size is approximate. */
const BUCKETS = 1_000_000;

function sampleWhere(table: ExploreTable, rows: number, maxRows: number): string {
  if (rows <= maxRows) return "";
  const keep = Math.ceil((BUCKETS * maxRows) / rows);
  return `WHERE hash(${quotedIdentifier(table.sampleBy)}) % ${BUCKETS} < ${keep}`;
}

/** A column of a warehouse table, with its DuckDB type. */
type DescribedColumn = {name: string; type: string};

/** A table's rows, all of them. */
type TableRowsRow = {rows: number};

/** The rows the sample keeps. */
type ExportedRowsRow = {exported: number};

/** What one table's export holds; a table absent from the warehouse exports empty with the spec's columns. */
export async function exportPlan(
  db: Database,
  name: string,
  {maxRows = EXPORT_MAX_ROWS}: Options = {}
): Promise<ExportPlan> {
  const table = exploreTable(name);
  const described = await db.query<DescribedColumn>(
    `SELECT column_name AS name,
      data_type AS type
    FROM information_schema.columns
    WHERE table_schema = 'main'
      AND table_name = $table
    ORDER BY ordinal_position`,
    {table: name}
  );
  const columns = described
    .filter((c) => !EXPORT_OMITTED_COLUMNS.includes(c.name))
    .map((c) => ({...c, doc: columnDoc(table, c.name), freeText: isFreeText(table, c.name)}));
  if (table.requestKey && columns.some((c) => c.name === "trace_id") && (await hasTable(db, "requests")))
    columns.push({name: REQUEST_KEY, type: "INTEGER", doc: columnDoc(table, REQUEST_KEY), freeText: false});
  if (table.answeredBy && columns.some((c) => c.name === "trace_id") && (await hasTable(db, "spans")))
    columns.push({name: ANSWERED_BY, type: "VARCHAR", doc: columnDoc(table, ANSWERED_BY), freeText: false});
  const base = {name, doc: table.doc, sampleBy: table.sampleBy, sortBy: table.sortBy, columns};
  if (columns.length === 0) return {...base, rows: 0, exported: 0, sampled: false};
  const [{rows}] = await db.query<TableRowsRow>(`SELECT count(*)::INTEGER AS rows
    FROM ${quotedIdentifier(name)}`);
  const where = sampleWhere(table, rows, maxRows);
  const [{exported}] = where
    ? await db.query<ExportedRowsRow>(`SELECT count(*)::INTEGER AS exported
      FROM ${quotedIdentifier(name)}
      ${where}`)
    : [{exported: rows}];
  return {...base, rows, exported, sampled: where !== ""};
}

export async function exploreManifest(db: Database, options: Options = {}): Promise<ExploreManifest> {
  const tables = [];
  for (const table of exploreTables) tables.push(await exportPlan(db, table.name, options));
  return {
    textChars: options.textChars ?? EXPORT_TEXT_CHARS,
    maxRows: options.maxRows ?? EXPORT_MAX_ROWS,
    rowGroupRows: options.rowGroupRows ?? EXPORT_ROW_GROUP_ROWS,
    tables
  };
}

async function hasTable(db: Database, name: string): Promise<boolean> {
  const found = await db.query<{n: number}>(
    `SELECT count(*)::INTEGER AS n
    FROM information_schema.tables
    WHERE table_schema = 'main'
      AND table_name = $name`,
    {name}
  );
  return found[0].n > 0;
}

/**
 * The rows a table's export reads: the table, with REQUEST_KEY and ANSWERED_BY joined on by trace_id
 * when its plan has them.
 */
function sourceSql(plan: ExportPlan): string {
  const name = quotedIdentifier(plan.name);
  const has = (column: string) => plan.columns.some((c) => c.name === column);
  if (!has(REQUEST_KEY) && !has(ANSWERED_BY)) return name;
  return `(
    SELECT t.*${has(REQUEST_KEY) ? `, k.${REQUEST_KEY}` : ""}${has(ANSWERED_BY) ? `, a.${ANSWERED_BY}` : ""}
    FROM ${name} t
    ${has(REQUEST_KEY) ? `LEFT JOIN (${requestKeysSql}) k ON k.trace_id = t.trace_id` : ""}
    ${has(ANSWERED_BY) ? `LEFT JOIN (${answeredBySql}) a ON a.trace_id = t.trace_id` : ""}
  )`;
}

/** The SELECT a table's Parquet file is written from. */
export function exportSql(
  plan: ExportPlan,
  {maxRows = EXPORT_MAX_ROWS, textChars = EXPORT_TEXT_CHARS}: Options = {}
): string {
  const table = exploreTable(plan.name);
  const select = plan.columns.map((c) =>
    c.freeText
      ? `${truncateSql(quotedIdentifier(c.name), textChars)} AS ${quotedIdentifier(c.name)}`
      : quotedIdentifier(c.name)
  );
  const order = table.sortBy.filter((c) => plan.columns.some((col) => col.name === c));
  return [
    `SELECT ${select.join(",\n  ")}`,
    `FROM ${sourceSql(plan)}`,
    sampleWhere(table, plan.rows, maxRows),
    order.length > 0 ? `ORDER BY ${order.map((c) => `${quotedIdentifier(c)} NULLS LAST`).join(", ")}` : ""
  ]
    .filter(Boolean)
    .join("\n");
}

/** Writes one table's Parquet file to path; returns its plan. */
export async function writeParquet(
  db: Database,
  name: string,
  path: string,
  options: Options = {}
): Promise<ExportPlan> {
  const plan = await exportPlan(db, name, options);
  if (plan.columns.length === 0)
    throw new Error(
      `! explore export: the warehouse has no table ${name}; rebuild the warehouse (npm run clean, then build).`
    );
  const rowGroup = options.rowGroupRows ?? EXPORT_ROW_GROUP_ROWS;
  const version = exploreTable(name).parquetVersion ?? "v1";
  await db.run(`COPY (
    ${exportSql(plan, options)}
  )
  TO ${quotedString(path)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE ${rowGroup}, PARQUET_VERSION ${version})`);
  return plan;
}

/** What src/data/explore/<table>.parquet.ts calls: the table's Parquet file on stdout. */
export async function writeParquetToStdout(name: string): Promise<void> {
  const db = await openWarehouse();
  const dir = await mkdtemp(join(tmpdir(), "workbench-explore-"));
  try {
    const path = join(dir, `${name}.parquet`);
    await writeParquet(db, name, path);
    await pipeline(createReadStream(path), process.stdout, {end: false});
  } finally {
    db.close();
    await rm(dir, {recursive: true, force: true});
  }
}

/** What src/data/explore/manifest.json.ts calls. */
export async function writeManifestToStdout(): Promise<void> {
  const db = await openWarehouse();
  try {
    process.stdout.write(JSON.stringify(await exploreManifest(db)));
  } finally {
    db.close();
  }
}

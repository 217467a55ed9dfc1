import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetMetadata, parquetReadObjects} from "hyparquet";
import {afterEach, describe, expect, test} from "vitest";
import {exploreManifest, writeParquet} from "../../../../loaders/explore/export.js";
import {exploreTables} from "../../../../loaders/explore/tables.js";
import {scanDist} from "../../../../loaders/hermetic/scanDist.js";
import {canonicalTables} from "../../../../loaders/schema/tables.js";
import {quotedString, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {readPlainColumn} from "../../../../src/components/parquetPlain.js";
import {binaryExperiment, ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const span = (trace: string, id: string, minute: number, over: Record<string, unknown> = {}) => ({
  trace_id: trace,
  span_id: id,
  name: id,
  kind: "llm",
  start_time: `2026-11-02T10:${String(minute).padStart(2, "0")}:00Z`,
  duration_ms: 100 + minute,
  model: "gpt-4.1",
  ...over
});
// Written out of time order, so the export's order is its own.
const rawSpans = [
  span("t3", "a", 30),
  span("t1", "a", 10),
  span("t2", "a", 20),
  span("t1", "b", 11),
  span("t4", "a", 40),
  span("t2", "b", 21)
];

const readRows = (path: string) => {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return {file, rows: parquetReadObjects({file})};
};

describe("the Parquet export of the warehouse", () => {
  test("writes every row, sorted by time, with the canonical columns and without the warehouse's bookkeeping", async () => {
    db = await ingest({"spans.jsonl": jsonl(...rawSpans)});
    const path = join(mkdtempSync(join(tmpdir(), "explore-")), "spans.parquet");
    const plan = await writeParquet(db, "spans", path);
    const {rows} = readRows(path);
    const got = (await rows).map((r) => ({
      trace_id: r.trace_id,
      span_id: r.span_id,
      start: (r.start_time as Date).toISOString(),
      duration_ms: r.duration_ms
    }));
    const expected = [...rawSpans]
      .sort((a, b) => a.start_time.localeCompare(b.start_time))
      .map((s) => ({
        trace_id: s.trace_id,
        span_id: s.span_id,
        start: s.start_time.replace("Z", ".000Z"),
        duration_ms: s.duration_ms
      }));
    expect(got).toEqual(expected);
    expect(plan).toMatchObject({rows: 6, exported: 6, sampled: false});
    const names = plan.columns.map((c) => c.name);
    expect(names).not.toContain("source_file");
    expect(names).toContain("cost_source");
    // Every canonical field of spans is there, with its doc from the schema.
    for (const field of canonicalTables.find((t) => t.name === "spans")!.fields) {
      expect(plan.columns.find((c) => c.name === field.name)?.doc).toBe(field.doc);
    }
  });

  test("leaves out the experiments' unit keys, which the warehouse derives and no input file holds", async () => {
    const experiment = binaryExperiment({
      name: "e",
      metric: "done",
      start: "2026-11-01T00:00:00Z",
      end: "2026-11-15T00:00:00Z"
    });
    db = await ingest(
      {
        "assignments.jsonl": jsonl({
          experiment: "e",
          unit_id: "u1",
          variant: "control",
          assigned_at: "2026-11-02T00:00:00Z"
        }),
        "outcomes.jsonl": jsonl({experiment: "e", unit_id: "u1", metric: "done", value: 1, at: "2026-11-03T00:00:00Z"})
      },
      {experiments: [experiment]}
    );
    for (const spec of canonicalTables.filter((t) => t.name === "assignments" || t.name === "outcomes")) {
      const path = join(mkdtempSync(join(tmpdir(), "explore-")), `${spec.name}.parquet`);
      const plan = await writeParquet(db, spec.name, path);
      expect(plan.columns.map((c) => c.name)).toEqual(spec.fields.map((f) => f.name));
      expect(Object.keys((await readRows(path).rows)[0]).sort()).toEqual(spec.fields.map((f) => f.name).sort());
    }
  });

  test("cuts free text to textChars after the ingest's own cut, and leaves identifiers whole", async () => {
    const long = "x".repeat(900);
    db = await ingest(
      {"spans.jsonl": jsonl(span("t1", "a", 1, {error_message: long, status: "error", name: "n".repeat(400)}))},
      {privacy: {excerpt_chars: 2000}}
    );
    const path = join(mkdtempSync(join(tmpdir(), "explore-")), "spans.parquet");
    await writeParquet(db, "spans", path, {textChars: 50});
    const [row] = await readRows(path).rows;
    expect(row.error_message).toBe("x".repeat(50) + "…");
    expect(row.name).toBe("n".repeat(400));
  });

  test("exports an eval case's input and expected output redacted at ingest and cut to textChars, like its output", async () => {
    const text = `mail jordan.rivera@example.com ${"y".repeat(900)}`;
    const row = {run_id: "r", case_id: "c", suite: "s", started_at: "2026-11-01T09:00:00Z", model: "m", passed: true};
    db = await ingest(
      {"e.jsonl": jsonl({...row, input_excerpt: text, expected_excerpt: text, output_excerpt: text})},
      {privacy: {excerpt_chars: 2000}}
    );
    const path = join(mkdtempSync(join(tmpdir(), "explore-")), "eval_results.parquet");
    await writeParquet(db, "eval_results", path, {textChars: 50});
    const [got] = await readRows(path).rows;
    const cut = `mail [email] ${"y".repeat(50 - "mail [email] ".length)}…`;
    expect([got.input_excerpt, got.expected_excerpt, got.output_excerpt]).toEqual([cut, cut, cut]);
  });

  test("over the row cap, samples whole traces by hash and says so; the file holds exactly the exported count", async () => {
    const many = Array.from({length: 40}, (_, i) => [span(`t${i}`, "a", i % 60), span(`t${i}`, "b", i % 60)]).flat();
    db = await ingest({"spans.jsonl": jsonl(...many)});
    const path = join(mkdtempSync(join(tmpdir(), "explore-")), "spans.parquet");
    const plan = await writeParquet(db, "spans", path, {maxRows: 20});
    const rows = await readRows(path).rows;
    expect(plan.sampled).toBe(true);
    expect(plan.rows).toBe(80);
    expect(rows.length).toBe(plan.exported);
    expect(plan.exported).toBeGreaterThan(0);
    expect(plan.exported).toBeLessThan(80);
    // Every sampled trace is whole: both of its spans.
    const perTrace = new Map<string, number>();
    for (const r of rows) perTrace.set(r.trace_id as string, (perTrace.get(r.trace_id as string) ?? 0) + 1);
    expect([...perTrace.values()].every((n) => n === 2)).toBe(true);
  });

  test("writes row groups of the given size in time order, so a time filter can skip groups by their statistics", async () => {
    // DuckDB sizes row groups in whole vectors of 2048 rows.
    const many = Array.from({length: 5000}, (_, i) =>
      span(`t${i}`, "a", 0, {start_time: new Date(Date.UTC(2026, 10, 2) + (4999 - i) * 60_000).toISOString()})
    );
    db = await ingest({"spans.jsonl": jsonl(...many)});
    const path = join(mkdtempSync(join(tmpdir(), "explore-")), "spans.parquet");
    await writeParquet(db, "spans", path, {rowGroupRows: 2048});
    const meta = parquetMetadata(readRows(path).file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([2048, 2048, 904]);
    const stats = meta.row_groups.map(
      (g) => g.columns.find((c) => c.meta_data?.path_in_schema[0] === "start_time")!.meta_data!.statistics!
    );
    for (let i = 1; i < stats.length; i++)
      expect(Number(stats[i].min_value) >= Number(stats[i - 1].max_value)).toBe(true);
    // Uncompressed, so the dist scan reads its strings (see export.ts).
    expect(new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)))).toEqual(
      new Set(["UNCOMPRESSED"])
    );
  });

  test("writes spans and requests as Parquet v2: start_time delta-packed, which the page's reader reads directly", async () => {
    const many = Array.from({length: 3000}, (_, i) =>
      span(`t${i}`, "a", 0, {start_time: new Date(Date.UTC(2026, 10, 2) + i * 1_234).toISOString()})
    );
    db = await ingest({"spans.jsonl": jsonl(...many)});
    for (const table of ["spans", "requests"]) {
      const path = join(mkdtempSync(join(tmpdir(), "explore-")), `${table}.parquet`);
      await writeParquet(db, table, path);
      const {file} = readRows(path);
      const meta = parquetMetadata(file);
      const start = meta.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === "start_time")!;
      expect(start.meta_data!.encodings, table).toContain("DELTA_BINARY_PACKED");
      const direct = await readPlainColumn(file, meta, "start_time");
      const expected = await db.query<{ms: number}>(
        `SELECT epoch_ms(start_time)::DOUBLE AS ms FROM read_parquet(${quotedString(path)}, file_row_number = true)
        ORDER BY file_row_number`
      );
      expect([...direct!].map(Number), table).toEqual(expected.map((r) => r.ms));
    }
  });

  test("the scan of dist/ finds a secret held in an exported identifier", async () => {
    db = await ingest({"spans.jsonl": jsonl(span("AKIAIOSFODNN7EXAMPLE", "a", 1))});
    const dir = mkdtempSync(join(tmpdir(), "explore-"));
    await writeParquet(db, "spans", join(dir, "spans.parquet"));
    expect(scanDist(dir).map((f) => `${f.file}: ${f.detector}`)).toContain("spans.parquet: aws access key");
  });

  test("the manifest lists every Explore table, an absent one with zero rows", async () => {
    db = await ingest({"spans.jsonl": jsonl(...rawSpans)});
    const manifest = await exploreManifest(db);
    expect(manifest.tables.map((t) => t.name)).toEqual(exploreTables.map((t) => t.name));
    expect(manifest.tables.find((t) => t.name === "requests")).toMatchObject({rows: 4, exported: 4});
    expect(manifest.tables.find((t) => t.name === "corrections")?.rows).toBe(0);
  });
});

describe("the request key", () => {
  test("numbers the requests 0, 1, … in the order of their trace ids' bytes, the same in requests and spans, sampled or not", async () => {
    // Out of time order and out of UTF-16 order: "\u{1F600}" sorts after "\uFFFD" in UTF-8's bytes, before it in JavaScript's.
    const traces = ["t3", "t1", "\uFFFD", "\u{1F600}", "t2", "t10"];
    const many = traces.flatMap((t, i) => [span(t, "a", i), span(t, "b", i + 10)]);
    db = await ingest({"spans.jsonl": jsonl(...many)});
    const dir = mkdtempSync(join(tmpdir(), "explore-"));
    const byteOrder = [...traces].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const maxRows of [2_000_000, 3]) {
      const requests = await writeParquet(db, "requests", join(dir, "requests.parquet"), {maxRows});
      const spans = await writeParquet(db, "spans", join(dir, "spans.parquet"), {maxRows});
      for (const plan of [requests, spans])
        expect(plan.columns.find((c) => c.name === "request_key")).toMatchObject({type: "INTEGER", freeText: false});
      const keyOf = new Map(
        (await readRows(join(dir, "requests.parquet")).rows).map((r) => [r.trace_id as string, r.request_key])
      );
      const spanRows = await readRows(join(dir, "spans.parquet")).rows;
      // Each key is the trace's rank over all requests, also when the sample left some out.
      for (const [trace, key] of keyOf) expect(key, trace).toBe(byteOrder.indexOf(trace));
      expect(spanRows.length).toBeGreaterThan(0);
      for (const s of spanRows) expect(s.request_key, String(s.trace_id)).toBe(keyOf.get(s.trace_id as string));
      if (maxRows === 3) expect(keyOf.size).toBeLessThan(traces.length);
      expect(keyOf.size).toBeGreaterThan(0);
    }
  });
});

describe("answered_by", () => {
  test("lists in requests the names each request's model calls were answered under, sorted, once per call, and nothing for a request without calls; spans do not get it", async () => {
    const calls = [
      span("t1", "a", 1, {response_model: "gpt-4.1-2025-04-14"}),
      span("t1", "b", 2),
      span("t1", "c", 3, {response_model: "gpt-4.1-2025-04-14"}),
      span("t2", "a", 4, {kind: "embedding", model: "text-embedding-3-small"}),
      // Not model calls: a retrieval span, and an llm span that names no model.
      span("t3", "a", 5, {kind: "retrieval", model: undefined}),
      span("t3", "b", 6, {model: undefined, response_model: "ghost"})
    ];
    db = await ingest({"spans.jsonl": jsonl(...calls)});
    const dir = mkdtempSync(join(tmpdir(), "explore-"));
    const requests = await writeParquet(db, "requests", join(dir, "requests.parquet"));
    expect(requests.columns.find((c) => c.name === "answered_by")).toMatchObject({type: "VARCHAR", freeText: false});
    const spans = await writeParquet(db, "spans", join(dir, "spans.parquet"));
    expect(spans.columns.map((c) => c.name)).not.toContain("answered_by");
    const answered = new Map(
      (await readRows(join(dir, "requests.parquet")).rows).map((r) => [r.trace_id as string, r.answered_by])
    );
    expect(answered).toEqual(
      new Map([
        ["t1", ["gpt-4.1", "gpt-4.1-2025-04-14", "gpt-4.1-2025-04-14"].join("\u001f")],
        ["t2", "text-embedding-3-small"],
        ["t3", null]
      ])
    );
  });
});

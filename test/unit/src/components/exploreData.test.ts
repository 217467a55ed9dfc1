import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {DuckDBBindings} from "@duckdb/duckdb-wasm/blocking";
import {parquetMetadata, type AsyncBuffer} from "hyparquet";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import type {ExploreManifest, ExportPlan} from "../../../../loaders/explore/export.js";
import {exploreDatabase, type ExploreDatabase} from "../../../../src/components/exploreData.js";
import {nodeDuckDBWasm} from "../../duckdbWasm.js";

const ROWS = 10_000;
let db: Database;
let dir: string;
let bytes: ArrayBuffer;
let wasm: DuckDBBindings;

/** Set to make DuckDB-wasm's next insert fail, as one that runs out of WebAssembly memory does. */
const inserts = {failNext: false};

/**
 * DuckDB-wasm's Node build (the same engine the pages run in a worker) behind the part of Framework's
 * DuckDBClient exploreDatabase uses: its database's connections, and queries.
 */
const client = {
  of: async () => ({
    _db: {
      connect: async () => {
        const connection = wasm.connect();
        return {
          query: async (sql: string) => connection.query(sql),
          insertArrowFromIPCStream: async (ipc: Uint8Array, options: {name: string; create?: boolean}) => {
            if (inserts.failNext) {
              inserts.failNext = false;
              throw new Error("Out of Memory Error: could not allocate block");
            }
            connection.insertArrowFromIPCStream(ipc, options);
          },
          close: async () => connection.close()
        };
      }
    },
    query: async (sql: string) => wasm.connect().query(sql)
  })
} as unknown as Parameters<typeof exploreDatabase>[0];

const plan: ExportPlan = {
  name: "spans",
  doc: "",
  rows: ROWS,
  exported: ROWS,
  sampled: false,
  sampleBy: "trace_id",
  sortBy: ["start_time"],
  columns: [
    {name: "trace_id", type: "VARCHAR", doc: "", freeText: false},
    {name: "model", type: "VARCHAR", doc: "", freeText: false},
    {name: "start_time", type: "TIMESTAMP WITH TIME ZONE", doc: "", freeText: false},
    {name: "duration_ms", type: "DOUBLE", doc: "", freeText: false},
    {name: "input_tokens", type: "BIGINT", doc: "", freeText: false}
  ]
};
const manifest: ExploreManifest = {textChars: 1000, maxRows: ROWS, rowGroupRows: 2048, tables: [plan]};

beforeAll(async () => {
  db = await openDatabase();
  dir = mkdtempSync(join(tmpdir(), "explore-data-"));
  // Several row groups, as a large export has: distinct ids (PLAIN), a few models (a dictionary), times
  // and numbers (the latter read by hyparquet), some of each missing.
  const path = join(dir, "spans.parquet");
  await db.run(`COPY (
      SELECT 'trace-' || i AS trace_id,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ['gpt-4o', 'claude', 'gemini'][i % 3 + 1] END AS model,
        TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_milliseconds(i * 60_000) AS start_time,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END AS duration_ms,
        (i * 3)::BIGINT AS input_tokens
      FROM range(${ROWS}) t(i)
    ) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)`);
  await db.run(`CREATE TABLE spans AS SELECT * FROM '${path}'`);
  const data = readFileSync(path);
  bytes = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
  wasm = await nodeDuckDBWasm();
});
afterAll(() => {
  db?.close();
  rmSync(dir, {recursive: true, force: true});
});

/** The file, its reads failing while `failing` is set. */
function opened() {
  const reads = {failing: false};
  const file: AsyncBuffer = {
    byteLength: bytes.byteLength,
    slice: async (start, end) => {
      if (reads.failing) throw new Error("range request dropped");
      return bytes.slice(start, end);
    }
  };
  const metadata = parquetMetadata(bytes);
  return {reads, open: async () => ({file, metadata})};
}

/** The query's rows as plain values (BIGINT as numbers, timestamps as epoch milliseconds). */
async function rows(database: ExploreDatabase, sql: string) {
  return (await database.query(sql)).toArray().map((row: any) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.toJSON()))
      out[key] = typeof value === "bigint" ? Number(value) : value;
    return out;
  });
}

const CHECK = `SELECT count(*) AS n, count(model) AS models, count(DISTINCT model) AS distinct_models,
  sum(duration_ms) AS duration, min(rowid) AS first, max(rowid) AS last,
  count(*) FILTER (WHERE trace_id <> 'trace-' || rowid) AS out_of_order FROM spans`;

describe("exploreDatabase: the exported tables in DuckDB-wasm, columns loaded as queries name them", () => {
  test("every row of every row group once, in the file's order; a later column joins the loaded ones", async () => {
    const [expected] = await db.query<{models: number; duration: number}>(
      "SELECT count(model)::INTEGER AS models, sum(duration_ms) AS duration FROM spans"
    );
    expect(parquetMetadata(bytes).row_groups.length).toBeGreaterThan(1);
    const {open} = opened();
    const database = await exploreDatabase(client, manifest, {open});
    const [counts] = await rows(database, CHECK);
    expect(counts).toMatchObject({n: ROWS, first: 0, last: ROWS - 1, out_of_order: 0});
    expect(counts.models).toBe(expected.models);
    expect(counts.distinct_models).toBe(3);
    expect(counts.duration).toBeCloseTo(expected.duration, 6);
    expect(database.loaded().get("spans")?.sort()).toEqual(["duration_ms", "model", "trace_id"]);
    // Another column: the table is made again with every column loaded so far.
    const [tokens] = await rows(
      database,
      "SELECT sum(input_tokens)::BIGINT AS t, count(*) AS n, max(epoch_ms(start_time)) AS last_ms FROM spans"
    );
    expect(tokens).toEqual({
      t: (3 * (ROWS * (ROWS - 1))) / 2,
      n: ROWS,
      last_ms: Date.UTC(2026, 10, 1) + (ROWS - 1) * 60_000
    });
    const [again] = await rows(database, CHECK);
    expect(again).toEqual(counts);
  });

  test("a read that fails fails its query alone: the next query loads what it needs and answers", async () => {
    const {reads, open} = opened();
    const database = await exploreDatabase(client, manifest, {open});
    await rows(database, "SELECT count(model) AS m FROM spans");
    reads.failing = true;
    await expect(database.query("SELECT sum(duration_ms) FROM spans")).rejects.toThrow("range request dropped");
    expect(database.loaded().get("spans")).toEqual(["model"]);
    reads.failing = false;
    const [counts] = await rows(database, CHECK);
    expect(counts).toMatchObject({n: ROWS, first: 0, last: ROWS - 1, out_of_order: 0, distinct_models: 3});
  });

  test("an insert that fails fails its query alone: the next query loads the table again and answers", async () => {
    const {open} = opened();
    const database = await exploreDatabase(client, manifest, {open});
    await rows(database, "SELECT count(model) AS m FROM spans");
    // The load drops the table before it inserts the columns again: a failed insert leaves none.
    inserts.failNext = true;
    await expect(database.query("SELECT sum(duration_ms) FROM spans")).rejects.toThrow("Out of Memory");
    expect(database.loaded().has("spans")).toBe(false);
    const [counts] = await rows(database, CHECK);
    expect(counts).toMatchObject({n: ROWS, first: 0, last: ROWS - 1, out_of_order: 0, distinct_models: 3});
    const [models] = await rows(database, "SELECT count(model) AS m FROM spans");
    expect(models.m).toBe(counts.models);
  });
});

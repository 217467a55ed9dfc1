import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Table, type Vector} from "apache-arrow";
import {parquetMetadata, parquetRead} from "hyparquet";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {ExportPlan} from "../../../../loaders/explore/export.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {columnParsers, numberVector, utf8Vector} from "../../../../src/components/exploreColumns.js";
import {decodeColumns, insertInOrder, rowGroupFiles} from "../../../../src/components/exploreRead.js";

let db: Database;
let dir: string;
beforeAll(async () => {
  db = await openDatabase();
  dir = mkdtempSync(join(tmpdir(), "explore-read-"));
});
afterAll(() => {
  db?.close();
  rmSync(dir, {recursive: true, force: true});
});

const columns = [
  {name: "id", type: "VARCHAR"},
  {name: "model", type: "VARCHAR"},
  {name: "start_time", type: "TIMESTAMP"},
  {name: "tokens", type: "INTEGER"},
  {name: "cost", type: "DOUBLE"},
  {name: "ok", type: "BOOLEAN"}
];
const plan = {
  name: "spans",
  columns: columns.map((c) => ({...c, doc: "", freeText: false}))
} as unknown as ExportPlan;
const names = columns.map((c) => c.name);

/**
 * 5,000 rows in row groups of 2,048 (the last one short), written as the export writes spans (v2,
 * uncompressed): distinct text, text of few values with NULLs, sorted timestamps, and the numbers and
 * booleans hyparquet reads.
 */
async function written(): Promise<{file: ArrayBuffer; path: string}> {
  const path = join(dir, "spans.parquet");
  await db.run(`COPY (
      SELECT 'span-' || i AS id,
        ['gpt-4o', 'claude', 'é€😀', NULL][i % 4 + 1] AS model,
        TIMESTAMP '2026-01-01' + to_microseconds(i * 1_234_567_891) AS start_time,
        CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 37 % 1000)::INTEGER END AS tokens,
        i / 7 AS cost,
        i % 3 = 0 AS ok
      FROM range(5000) t(i)
    ) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2)`);
  const data = readFileSync(path);
  return {file: data.buffer.slice(data.byteOffset, data.byteOffset + data.length), path};
}

/** A column as hyparquet's generic reader reads the whole file, into Arrow as exploreColumns builds it. */
async function generic(file: ArrayBuffer, name: string, type: string): Promise<Vector> {
  const values: unknown[] = [];
  await parquetRead({
    file,
    columns: [name],
    parsers: columnParsers,
    onChunk: ({columnData, rowStart}) => {
      for (let i = 0; i < columnData.length; i++) values[rowStart + i] = columnData[i];
    }
  });
  return type === "VARCHAR" ? utf8Vector(values) : numberVector(values, type);
}

describe("decodeColumns(file, part, plan, names) over rowGroupFiles(metadata)", () => {
  test("the row groups read one by one, in order, hold the values hyparquet reads from the whole file", async () => {
    const {file} = await written();
    const metadata = parquetMetadata(file);
    const parts = rowGroupFiles(metadata);
    expect(parts.map((p) => Number(p.num_rows))).toEqual([2048, 2048, 904]);
    const reads = await Promise.all(parts.map((part) => decodeColumns(file, part, plan, names)));
    for (const {name, type} of columns) {
      const pieces = reads.map((r) => r.vectors.get(name)!);
      expect(pieces.map((p) => p.length)).toEqual([2048, 2048, 904]);
      const joined = pieces.slice(1).reduce((all, piece) => all.concat(piece), pieces[0]);
      expect(joined.toArray(), name).toEqual((await generic(file, name, type)).toArray());
    }
  });
});

describe("insertInOrder(connection, name, tables)", () => {
  test("DuckDB-wasm holds every row group's rows, in file order, as DuckDB reads the file", async () => {
    const {file, path} = await written();
    const parts = rowGroupFiles(parquetMetadata(file));
    const tables = parts.map((part) =>
      decodeColumns(file, part, plan, names).then(({vectors}) => new Table(Object.fromEntries(vectors)))
    );
    const wasm = await duckdbWasm();
    const connection = wasm.connect();
    try {
      // A table there already, which the insert replaces.
      connection.query(`CREATE TABLE spans AS SELECT 1 AS old`);
      expect(await insertInOrder(connection, "spans", tables)).toBeGreaterThanOrEqual(0);
      const sql = (from: string) =>
        `SELECT id, model, epoch_ms(start_time)::DOUBLE AS at_ms, tokens, cost, ok FROM ${from}`;
      const inserted = connection
        .query(`${sql("spans")} ORDER BY rowid`)
        .toArray()
        .map((r: {toJSON(): object}) => ({...r.toJSON()}));
      const expected = await db.query(
        `${sql(`read_parquet('${path}', file_row_number = true)`)} ORDER BY file_row_number`
      );
      expect(inserted.length).toBe(5000);
      expect(inserted).toEqual(expected);
    } finally {
      connection.close();
    }
  }, 120_000); // Compiling DuckDB-wasm took 5 s here idle and up to 29 s with the machine loaded.

  test("a part that fails stops the insert with its error", async () => {
    const wasm = await duckdbWasm();
    const connection = wasm.connect();
    try {
      const one = new Table({n: numberVector([1, 2], "INTEGER")});
      const failed = Promise.reject(new Error("spans.parquet: row group 2 could not be read"));
      await expect(insertInOrder(connection, "t", [Promise.resolve(one), failed])).rejects.toThrow(
        "spans.parquet: row group 2 could not be read"
      );
      expect(connection.query(`SELECT count(*)::INTEGER AS n FROM t`).toArray()[0].toJSON()).toEqual({n: 2});
    } finally {
      connection.close();
    }
  }, 120_000);
});

/** DuckDB-wasm as the pages run it, in this process (its blocking Node build over the same WebAssembly). */
async function duckdbWasm() {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const eh = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
  const mvp = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm");
  const wasm = await duckdb.createDuckDB(
    {mvp: {mainModule: mvp, mainWorker: ""}, eh: {mainModule: eh, mainWorker: ""}},
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME
  );
  await wasm.instantiate();
  return wasm;
}

import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Dictionary, Int16, Int8, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray} from "apache-arrow";
import {parquetMetadata} from "hyparquet";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {
  codedTableName,
  codedValues,
  codedViewSql,
  insertTable,
  MAX_CODED_VALUES
} from "../../../../src/components/codedColumns.js";
import {readPlainColumn} from "../../../../src/components/parquetPlain.js";

let db: Database;
let dir: string;
beforeAll(async () => {
  db = await openDatabase();
  dir = mkdtempSync(join(tmpdir(), "coded-columns-"));
});
afterAll(() => {
  db?.close();
  rmSync(dir, {recursive: true, force: true});
});

/** Text of few values (a quote, non-ASCII, an empty string, NULLs), text of 200 values, distinct text and a timestamp, as the export writes them. */
async function written(): Promise<{file: ArrayBuffer; path: string}> {
  const path = join(dir, "spans.parquet");
  await db.run(`COPY (
      SELECT ['gpt-4o', 'it''s', 'é€😀', '', NULL][i % 5 + 1] AS model,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ['llm', 'tool'][i % 2 + 1] END AS kind,
        'case-' || (i % 200) AS many,
        'id-' || i AS id,
        TIMESTAMP '2026-01-01' + to_microseconds(i * 3_600_000_123) AS start_time
      FROM range(3000) t(i)
    ) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 1000)`);
  const data = readFileSync(path);
  return {file: data.buffer.slice(data.byteOffset, data.byteOffset + data.length), path};
}

/** The columns as the Explore page reads them (parquetPlain.ts), in a Table. */
async function readTable(file: ArrayBuffer, names: string[]): Promise<Table> {
  const metadata = parquetMetadata(file);
  const vectors = await Promise.all(names.map((name) => readPlainColumn(file, metadata, name)));
  return new Table(Object.fromEntries(names.map((name, i) => [name, vectors[i]!])));
}

type Row = Record<string, unknown>;
const rows = (connection: {query(sql: string): {toArray(): {toJSON(): Row}[]}}, sql: string): Row[] =>
  connection
    .query(sql)
    .toArray()
    .map((r) => ({...r.toJSON()}));

describe("insertTable(connection, name, table)", () => {
  test("coded text reads back, column by column and row by row, as DuckDB reads the file", async () => {
    const {file, path} = await written();
    const names = ["model", "kind", "many", "id", "start_time"];
    const table = await readTable(file, names);
    // The page's reader makes model and kind byte-coded Dictionaries (the path this test is about), many a wider one.
    expect(names.map((n) => codedValues(table.getChild(n)!) !== null)).toEqual([true, true, false, false, false]);
    const wasm = await duckdbWasm();
    const connection = wasm.connect();
    try {
      expect(await insertTable(connection, "spans", table)).toBe(true);
      // Stored as codes, not as text.
      expect(
        rows(connection, `SELECT typeof(model) AS model, typeof(kind) AS kind FROM "spans$coded" LIMIT 1`)
      ).toEqual([{model: "TINYINT", kind: "TINYINT"}]);
      // The view: the same columns in the same order, of the types an uncoded insert gives them.
      connection.insertArrowFromIPCStream(tableToIPC(table, "stream"), {name: "uncoded", create: true});
      const described = (name: string) => rows(connection, `SELECT column_name, column_type FROM (DESCRIBE ${name})`);
      expect(described("spans").map((r) => r.column_name)).toEqual(names);
      expect(described("spans").find((r) => r.column_name === "model")!.column_type).toBe("VARCHAR");
      expect(described("spans")).toEqual(described("uncoded"));
      const sql = (from: string) => `SELECT model, kind, many, id, epoch_ms(start_time)::DOUBLE AS at_ms FROM ${from}`;
      const inserted = rows(connection, sql("spans"));
      const expected = await db.query<Row>(
        `${sql(`read_parquet('${path}', file_row_number = true)`)} ORDER BY file_row_number`
      );
      expect(inserted.length).toBe(3000);
      expect(inserted).toEqual(expected);
      expect(rows(connection, sql("uncoded"))).toEqual(expected);
      // A filter and a group-by on the coded text, as a user's query would run them.
      type Count = {model: string | null; n: number};
      const counts = (list: Count[]) => list.map((r) => `${r.model}: ${r.n}`).sort();
      const grouped = `SELECT model, count(*)::INTEGER AS n FROM {} WHERE model <> 'gpt-4o' OR model IS NULL GROUP BY ALL`;
      expect(counts(rows(connection, grouped.replace("{}", "spans")) as Count[])).toEqual(
        counts(await db.query<Count>(grouped.replace("{}", `'${path}'`)))
      );
    } finally {
      connection.close();
    }
  }, 120_000); // Compiling DuckDB-wasm took 5 s here idle and up to 29 s with the machine loaded.

  test("replaces what the name held: a coded table by a wider one, then by one with nothing coded", async () => {
    const {file} = await written();
    const wasm = await duckdbWasm();
    const connection = wasm.connect();
    const objects = () =>
      rows(connection, `SELECT table_name AS name, table_type AS type FROM information_schema.tables ORDER BY 1`);
    try {
      let coded = await insertTable(connection, "spans", await readTable(file, ["model"]));
      coded = await insertTable(connection, "spans", await readTable(file, ["model", "kind", "id"]), coded);
      expect(coded).toBe(true);
      expect(objects()).toEqual([
        {name: "spans", type: "VIEW"},
        {name: codedTableName("spans"), type: "BASE TABLE"}
      ]);
      expect(rows(connection, `SELECT count(*)::INTEGER AS n, count(kind)::INTEGER AS k FROM spans`)).toEqual([
        {n: 3000, k: 2727}
      ]);
      coded = await insertTable(connection, "spans", await readTable(file, ["id", "many"]), coded);
      expect(coded).toBe(false);
      expect(objects()).toEqual([{name: "spans", type: "BASE TABLE"}]);
      expect(rows(connection, `SELECT count(DISTINCT many)::INTEGER AS n FROM spans`)).toEqual([{n: 200}]);
    } finally {
      connection.close();
    }
  }, 120_000);
});

describe("codedValues(vector)", () => {
  const dictionary = (values: string[], codes: number[], index: Int8 | Int16 = new Int8()) =>
    makeVector(
      makeData({
        type: new Dictionary(new Utf8(), index),
        length: codes.length,
        nullCount: 0,
        data: index instanceof Int8 ? Int8Array.from(codes) : Int16Array.from(codes),
        dictionary: vectorFromArray(values, new Utf8())
      })
    );

  test("takes text coded in a byte, up to MAX_CODED_VALUES values", () => {
    const values = Array.from({length: MAX_CODED_VALUES}, (_, i) => `m${i}`);
    expect(codedValues(dictionary(values, [0, 126, 5]))).toEqual(values);
    expect(codedValues(dictionary([...values, "one more"], [0]))).toBeNull();
  });

  test("leaves wider codes, plain text and text holding a NUL as they are", () => {
    expect(codedValues(dictionary(["a", "b"], [0, 1], new Int16()))).toBeNull();
    expect(codedValues(vectorFromArray(["a", "b"], new Utf8()))).toBeNull();
    expect(codedValues(dictionary(["a", "b\0c"], [0, 1]))).toBeNull();
  });
});

describe("codedViewSql(name, columns)", () => {
  test("looks each coded column up by its code, quoting names and values", () => {
    expect(
      codedViewSql('sp"ans', [
        {name: "start_time", values: null},
        {name: "model", values: ["it's", "b"]}
      ])
    ).toBe(`CREATE VIEW "sp""ans" AS SELECT "start_time", ['it''s', 'b']["model" + 1] AS "model" FROM "sp""ans$coded"`);
  });
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

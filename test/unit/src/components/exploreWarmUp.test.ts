import {createRequire} from "node:module";
import {Table, tableToIPC} from "apache-arrow";
import {beforeAll, describe, expect, test} from "vitest";
import {
  WARM_UP_QUERY,
  WARM_UP_TABLE,
  warmUp,
  warmUpTable,
  type WarmUpDatabase
} from "../../../../src/components/exploreWarmUp.js";

// DuckDB-wasm as the pages run it, in this process (its blocking Node build over the same WebAssembly).
let wasm: {connect(): any};
beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const eh = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
  const mvp = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm");
  wasm = await duckdb.createDuckDB(
    {mvp: {mainModule: mvp, mainWorker: ""}, eh: {mainModule: eh, mainWorker: ""}},
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME
  );
  await (wasm as unknown as {instantiate(): Promise<void>}).instantiate();
}, 120_000); // Compiling DuckDB-wasm took 5 s idle and up to 29 s with the machine loaded.

/** The blocking build's connection behind the async interface the page's AsyncDuckDB has. */
const asAsync = (onQuery: (sql: string) => void = () => {}): WarmUpDatabase => ({
  connect: async () => {
    const connection = wasm.connect();
    return {
      query: async (sql: string) => (onQuery(sql), connection.query(sql)),
      insertArrowFromIPCStream: async (bytes: Uint8Array, options: {name: string; create: boolean}) =>
        connection.insertArrowFromIPCStream(bytes, options),
      close: async () => connection.close()
    };
  }
});

const rowsOf = (connection: any, sql: string) =>
  connection
    .query(sql)
    .toArray()
    .map((r: {toJSON(): object}) => ({...r.toJSON()}));

describe("warmUp(db)", () => {
  test("leaves no table behind and the reader's tables as they were", async () => {
    const connection = wasm.connect();
    try {
      connection.query(
        `CREATE OR REPLACE TABLE spans AS SELECT range AS id, 'm' || (range % 3) AS model FROM range(1000)`
      );
      const tables = `SELECT table_name FROM duckdb_tables() ORDER BY table_name`;
      const spans = `SELECT model, count(*)::INTEGER AS n, sum(id)::DOUBLE AS ids FROM spans GROUP BY ALL ORDER BY model`;
      const before = {tables: rowsOf(connection, tables), spans: rowsOf(connection, spans)};
      const steps = await warmUp(asAsync(), 20_000);
      expect(steps.insertMs).toBeGreaterThan(0);
      expect({tables: rowsOf(connection, tables), spans: rowsOf(connection, spans)}).toEqual(before);
      connection.query(`DROP TABLE spans`);
    } finally {
      connection.close();
    }
  }, 60_000);

  test("drops its table when its query fails", async () => {
    const failing = asAsync((sql) => {
      if (sql === WARM_UP_QUERY) throw new Error("planted failure");
    });
    await expect(warmUp(failing, 1_000)).rejects.toThrow("planted failure");
    const connection = wasm.connect();
    try {
      expect(
        rowsOf(connection, `SELECT table_name FROM duckdb_tables() WHERE table_name = '${WARM_UP_TABLE}'`)
      ).toEqual([]);
    } finally {
      connection.close();
    }
  }, 60_000);
});

describe("warmUpTable(rows)", () => {
  test("arrives in DuckDB-wasm with the exported tables' column types, and its group-by counts every row", () => {
    const rows = 30_000;
    const table = warmUpTable(rows);
    const connection = wasm.connect();
    try {
      connection.insertArrowFromIPCStream(tableToIPC(table, "stream"), {name: "warm_check", create: true});
      const types = rowsOf(
        connection,
        `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'warm_check'`
      );
      expect(
        Object.fromEntries(types.map((t: {column_name: string; data_type: string}) => [t.column_name, t.data_type]))
      ).toEqual({
        start_time: "TIMESTAMP_MS",
        model: "VARCHAR",
        name: "VARCHAR",
        latency_ms: "DOUBLE",
        tokens: "INTEGER",
        ok: "BOOLEAN"
      });
      // The reference: the same counts from the Arrow table's own values, by model and UTC day.
      const expected = new Map<string, number>();
      for (const row of table.toArray() as Iterable<{model: string; start_time: number}>) {
        const key = `${row.model} ${new Date(Number(row.start_time)).toISOString().slice(0, 10)}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const grouped = rowsOf(connection, WARM_UP_QUERY.replace(`"${WARM_UP_TABLE}"`, "warm_check")) as {
        day: number;
        model: string;
        n: number | bigint;
      }[];
      const got = new Map(
        grouped.map((g) => [`${g.model} ${new Date(Number(g.day)).toISOString().slice(0, 10)}`, Number(g.n)])
      );
      expect(got).toEqual(expected);
      // Many groups, so the warm-up exercises the hash aggregate rather than one bucket.
      expect(got.size).toBeGreaterThanOrEqual(100);
      connection.query(`DROP TABLE warm_check`);
    } finally {
      connection.close();
    }
  }, 60_000);
});

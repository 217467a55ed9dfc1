// Which statements read what a price change rewrites (loaders/pages/priceReads.ts), on a real DuckDB:
// the page data that reads none is kept on a price change, so a miss here would leave a page stale.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {recordPriceReads} from "../../../../loaders/pages/priceReads.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";

let db: Database;

beforeAll(async () => {
  db = await openDatabase();
  await db.run(`CREATE TABLE spans (trace_id VARCHAR, duration_ms DOUBLE, cost_usd DOUBLE, cost_source VARCHAR)`);
  // Every cost unknown, as before any price: DuckDB's statistics then know no row passes `cost_usd > 0`.
  await db.run(`INSERT INTO spans VALUES ('a', 10, NULL, NULL), ('b', 20, NULL, NULL)`);
  await db.run(`CREATE TABLE prices (model VARCHAR, input_per_mtok DOUBLE)`);
  await db.run(`CREATE TABLE flags (flag_id VARCHAR, cost_usd DOUBLE)`);
});

afterAll(() => db.close());

/** A computation's view of the database, and the config keys it was charged with, as computePages keeps them. */
function computation(on: Database = db): {db: Database; reads: Set<string>; notes: () => number} {
  const reads = new Set<string>();
  let notes = 0;
  const recorded = recordPriceReads(
    on,
    () => reads.has("prices"),
    () => {
      notes++;
      reads.add("prices");
    }
  );
  return {db: recorded, reads, notes: () => notes};
}

/** Whether a computation running these statements in turn is charged with the prices. */
async function charged(...statements: string[]): Promise<boolean> {
  const c = computation();
  for (const sql of statements) await c.db.query(sql);
  expect(c.notes()).toBeLessThanOrEqual(1);
  return c.reads.has("prices");
}

describe("recordPriceReads", () => {
  test("a statement reading a cost column charges the prices, one reading other columns does not", async () => {
    expect(await charged(`SELECT trace_id, sum(duration_ms) FROM spans GROUP BY 1`)).toBe(false);
    expect(await charged(`SELECT count(*) FROM spans`)).toBe(false);
    expect(await charged(`SELECT sum(cost_usd) FROM spans`)).toBe(true);
    expect(await charged(`SELECT count(*) FILTER (cost_source = 'computed') FROM spans`)).toBe(true);
    expect(await charged(`SELECT * FROM spans`)).toBe(true);
    expect(await charged(`SELECT s.* EXCLUDE (cost_usd, cost_source) FROM spans s`)).toBe(false);
    // The price table itself, whatever column.
    expect(await charged(`SELECT count(*) FROM prices`)).toBe(true);
    // A column named like a cost in a table no price change rewrites.
    expect(await charged(`SELECT sum(cost_usd) FROM flags`)).toBe(false);
  });

  test("planning a statement leaves the optimizers the page turned off as they were", async () => {
    // The experiments page turns one off around its statement (armMoments): a reset while planning it
    // ran that statement under another plan than when the page runs alone.
    const c = computation();
    const setting = () => db.query(`SELECT current_setting('disabled_optimizers') AS value`);
    await c.db.run(`SET disabled_optimizers = 'build_side_probe_side'`);
    try {
      await c.db.query(`SELECT sum(duration_ms) FROM spans`);
      expect(await setting()).toEqual([{value: "build_side_probe_side"}]);
    } finally {
      await db.run(`RESET disabled_optimizers`);
    }
    await c.db.query(`SELECT sum(duration_ms) FROM spans`);
    expect(await setting()).toEqual([{value: ""}]);
  });

  test("a cost read only in a filter that today's values cannot pass still charges the prices", async () => {
    // With every cost NULL, DuckDB's optimizer would plan this as an empty result with no scan; new
    // prices give it rows, so the plan it is judged by must be made without those statistics.
    const [{n}] = await db.query<{n: number}>(`SELECT count(*)::INTEGER AS n FROM spans WHERE cost_usd > 0`);
    expect(n).toBe(0);
    expect(await charged(`SELECT trace_id FROM spans WHERE cost_usd > 0`)).toBe(true);
    expect(
      await charged(`SELECT trace_id FROM spans WHERE trace_id IN (SELECT trace_id FROM spans WHERE cost_usd > 0)`)
    ).toBe(true);
    // And the connection's optimizer is as it was afterwards.
    const [{setting}] = await db.query<{setting: string}>(`SELECT current_setting('disabled_optimizers') AS setting`);
    expect(setting).toBe("");
  });

  test("a cost read through a view or a common table expression charges the prices", async () => {
    await db.run(`CREATE OR REPLACE TEMP VIEW costly AS SELECT trace_id, cost_usd AS c FROM spans`);
    expect(await charged(`SELECT max(c) FROM costly`)).toBe(true);
    expect(await charged(`SELECT trace_id FROM costly`)).toBe(false);
    expect(await charged(`WITH t AS (SELECT trace_id, cost_usd AS c FROM spans) SELECT sum(c) FROM t`)).toBe(true);
  });

  test("a temporary table filled with costs, or by a computation that read them, charges whoever reads it later", async () => {
    expect(await charged(`CREATE OR REPLACE TEMP TABLE plain AS SELECT trace_id FROM spans`)).toBe(false);
    expect(await charged(`CREATE OR REPLACE TEMP TABLE costs AS SELECT trace_id, cost_usd FROM spans`)).toBe(true);
    // Another page on the same connection reuses the table (as frontier does the bake-off's).
    expect(await charged(`SELECT count(*) FROM costs`)).toBe(true);
    expect(await charged(`SELECT count(*) FROM plain`)).toBe(false);
    // Values that went through JavaScript: the computation had read a cost before it inserted them.
    await db.run(`CREATE OR REPLACE TEMP TABLE best (trace_id VARCHAR)`);
    expect(await charged(`SELECT sum(cost_usd) FROM spans`, `INSERT INTO best VALUES ('a')`)).toBe(true);
    expect(await charged(`SELECT count(*) FROM best`)).toBe(true);
  });

  test("rows appended from JavaScript by a computation that depends on the prices are priced", async () => {
    await db.run(`CREATE OR REPLACE TEMP TABLE routes (trace_id VARCHAR)`);
    await db.run(`CREATE OR REPLACE TEMP TABLE plain_routes (trace_id VARCHAR)`);
    const append = async (c: ReturnType<typeof computation>, table: string) => {
      const appender = await c.db.connection.createAppender(table, "main", "temp");
      appender.appendVarchar("a");
      appender.endRow();
      appender.closeSync();
    };
    const costly = computation();
    const opened = await costly.db.connection.createAppender("routes", "main", "temp");
    // The cost is read after the appender was taken, before its rows are closed in.
    await costly.db.query(`SELECT max(cost_usd) FROM spans`);
    opened.appendVarchar("b");
    opened.endRow();
    opened.closeSync();
    await append(computation(), "plain_routes");
    expect(await charged(`SELECT count(*) FROM routes`)).toBe(true);
    expect(await charged(`SELECT count(*) FROM plain_routes`)).toBe(false);
    // A computation charged with the prices another way (it read config.prices, or reused a result
    // that read a cost) writes priced rows too, though none of its statements read a cost.
    const reused = computation();
    reused.reads.add("prices");
    await reused.db.run(`CREATE OR REPLACE TEMP TABLE from_prices AS SELECT 1 AS x`);
    expect(await charged(`SELECT count(*) FROM from_prices`)).toBe(true);
  });

  test("a computation inside another (a shared query inside a page) charges both, and results pass through", async () => {
    const page = computation();
    const shared = computation(page.db);
    const rows = await shared.db.query<{c: number}>(`SELECT count(cost_usd)::INTEGER AS c FROM spans`);
    expect(rows).toEqual([{c: 0}]);
    await shared.db.query(`SELECT sum(cost_usd) FROM spans`);
    expect([page.notes(), shared.notes()]).toEqual([1, 1]);
  });

  test("statements run at once on one connection are each judged by their own plan", async () => {
    const recorded = computation();
    const other = computation();
    const results = await Promise.all([
      recorded.db.query<{d: number}>(`SELECT sum(duration_ms)::INTEGER AS d FROM spans`),
      other.db.query<{d: number}>(`SELECT max(duration_ms)::INTEGER AS d FROM spans`),
      recorded.db.query(`SELECT trace_id FROM spans WHERE cost_source IS NOT NULL`),
      other.db.query<{n: number}>(`SELECT count(*)::INTEGER AS n FROM spans`)
    ]);
    expect(results[0]).toEqual([{d: 30}]);
    expect(results[1]).toEqual([{d: 20}]);
    expect(results[3]).toEqual([{n: 2}]);
    expect(recorded.notes()).toBe(1);
    expect(other.notes()).toBe(0);
  });
});

describe("recordPriceReads given several statements at once", () => {
  test("refuses them before planning, so none runs twice: EXPLAIN plans the first and runs the rest", async () => {
    const c = computation();
    await expect(
      c.db.run(`CREATE TEMP TABLE first_of_two AS SELECT 1 AS x; INSERT INTO first_of_two VALUES (2)`)
    ).rejects.toThrow(/one statement per call, got 2/);
    // Nothing ran: without the check, planning ran the INSERT (which failed, the table not there yet),
    // and the call then created the table and inserted.
    expect(
      await db.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'first_of_two'`)
    ).toEqual([{n: 0}]);
  });

  test("an INSERT after another is not run twice", async () => {
    // Before the check, the second INSERT ran while the first was planned, then again: rows 1, 2, 2.
    await db.run(`CREATE TABLE inserted_once (x INTEGER)`);
    await expect(
      computation().db.run(`INSERT INTO inserted_once VALUES (1); INSERT INTO inserted_once VALUES (2)`)
    ).rejects.toThrow(/one statement per call, got 2/);
    expect(await db.query(`SELECT x FROM inserted_once ORDER BY x`)).toEqual([]);
    await db.run(`DROP TABLE inserted_once`);
  });
});

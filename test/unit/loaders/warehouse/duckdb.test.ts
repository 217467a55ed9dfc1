// The quoting that SQL built as text relies on (see the header of loaders/warehouse/duckdb.ts), run
// against a real in-memory DuckDB with names and values written to break out of their quotes.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {
  inTransaction,
  openDatabase,
  pathLiteral,
  quotedIdentifier,
  quotedString,
  type Database
} from "../../../../loaders/warehouse/duckdb.js";

const hostile = [
  `it's`,
  `a"b`,
  `"; DROP TABLE t; --`,
  `'); DROP TABLE t; --`,
  `back\\slash\\'`,
  `two '' quotes and "" two`,
  `line\nbreak`,
  `$$dollar$$`,
  `/* comment`,
  `ümlaut · 名前 🙂`,
  ` `
];

let db: Database;
beforeAll(async () => {
  db = await openDatabase();
});
afterAll(() => db.close());

describe("quotedString(value)", () => {
  test("gives back every hostile value exactly, as one value", async () => {
    const sql = `SELECT [${hostile.map(quotedString).join(", ")}] AS v`;
    const [{v}] = await db.query<{v: string[]}>(sql);
    expect(v).toEqual(hostile);
  });

  test("is @duckdb/node-api's: it doubles single quotes and leaves everything else", () => {
    expect(quotedString(`it's`)).toBe(`'it''s'`);
    expect(quotedString(`a"b\\`)).toBe(`'a"b\\'`);
  });
});

describe("quotedIdentifier(name)", () => {
  test("names a column exactly, whatever it holds, and no statement leaks out of it", async () => {
    await db.run(
      `CREATE TABLE t (${hostile.map((name, i) => `${quotedIdentifier(name)} INTEGER DEFAULT ${i}`).join(", ")})`
    );
    await db.run(`INSERT INTO t DEFAULT VALUES`);
    const columns = await db.query<{column_name: string}>(
      `SELECT column_name FROM duckdb_columns() WHERE table_name = 't' ORDER BY column_index`
    );
    expect(columns.map((c) => c.column_name)).toEqual(hostile);
    const [row] = await db.query(`SELECT ${hostile.map(quotedIdentifier).join(", ")} FROM t`);
    expect(Object.values(row)).toEqual(hostile.map((_, i) => i));
  });

  test("doubles double quotes", () => {
    expect(quotedIdentifier(`a"b`)).toBe(`"a""b"`);
  });
});

describe("pathLiteral(path)", () => {
  test("reads a file whose name holds quotes and glob characters as itself, not as a pattern", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workbench-quote-"));
    // Both files would match the pattern e*[1].jsonl; only the one named so may be read.
    const name = `e*'[1]".jsonl`;
    writeFileSync(join(dir, name), `{"x": "quoted"}\n`);
    writeFileSync(join(dir, "e-other1.jsonl"), `{"x": "other"}\n`);
    const rows = await db.query<{x: string}>(`SELECT x FROM read_json(${pathLiteral(join(dir, name))})`);
    expect(rows).toEqual([{x: "quoted"}]);
  });
});

describe("inTransaction(db)", () => {
  test("is true between BEGIN TRANSACTION and COMMIT or ROLLBACK only, and asking ends nothing", async () => {
    expect(await inTransaction(db)).toBe(false);
    await db.run("CREATE TABLE kept (x INTEGER)");
    await db.run("BEGIN TRANSACTION");
    await db.run("INSERT INTO kept VALUES (1)");
    expect(await inTransaction(db)).toBe(true);
    await db.run("INSERT INTO kept VALUES (2)");
    await db.run("COMMIT");
    expect(await inTransaction(db)).toBe(false);
    await db.run("BEGIN TRANSACTION");
    await db.run("INSERT INTO kept VALUES (3)");
    await db.run("ROLLBACK");
    expect(await inTransaction(db)).toBe(false);
    expect(await db.query(`SELECT x FROM kept ORDER BY x`)).toEqual([{x: 1}, {x: 2}]);
    await db.run("DROP TABLE kept");
  });
});

describe("db.intColumns(sql)", () => {
  test("gives each INTEGER column as an Int32Array, across DuckDB's chunks of 2,048 rows, equal to query's values", async () => {
    const sql = `SELECT (range * 7 % 1000)::INTEGER AS a, (-range)::INTEGER AS b FROM range(5000) ORDER BY range`;
    const columns = await db.intColumns(sql);
    expect(Object.keys(columns)).toEqual(["a", "b"]);
    expect(columns.a).toBeInstanceOf(Int32Array);
    const rows = await db.query<{a: number; b: number}>(sql);
    expect([...columns.a]).toEqual(rows.map((r) => r.a));
    expect([...columns.b]).toEqual(rows.map((r) => r.b));
    expect((await db.intColumns(`SELECT 1::INTEGER AS x WHERE false`)).x).toEqual(new Int32Array(0));
  });

  test("refuses a column of another type, or a NULL, naming the column", async () => {
    await expect(db.intColumns(`SELECT 1::BIGINT AS wide`)).rejects.toThrow(/column wide is BIGINT, not INTEGER/);
    await expect(
      db.intColumns(`SELECT CASE WHEN range = 3000 THEN NULL ELSE range END::INTEGER AS gap FROM range(4000)`)
    ).rejects.toThrow(/column gap holds a NULL/);
  });
});

// The memory limit and spill folder every DuckDB database is opened with (loaders/warehouse/duckdb.ts):
// stated, configurable from the environment, and a query larger than the limit spills instead of failing.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {afterAll, describe, expect, test} from "vitest";
import {
  DEFAULT_MEMORY_LIMIT,
  duckdbResources,
  openDatabase,
  type DuckDBResources
} from "../../../../loaders/warehouse/duckdb.js";

const root = mkdtempSync(join(tmpdir(), "workbench-spill-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("duckdbResources(env)", () => {
  test("defaults to a stated 4GB limit and the project's .workbench/tmp", () => {
    const resources = duckdbResources({});
    expect(DEFAULT_MEMORY_LIMIT).toBe("4GB");
    expect(resources.memoryLimit).toBe("4GB");
    expect(resources.tempDirectory).toBe(resolve(import.meta.dirname, "../../../../.workbench/tmp"));
  });

  test("takes WORKBENCH_MEMORY_LIMIT and WORKBENCH_TEMP_DIRECTORY", () => {
    expect(duckdbResources({WORKBENCH_MEMORY_LIMIT: "512MB", WORKBENCH_TEMP_DIRECTORY: root})).toEqual({
      memoryLimit: "512MB",
      tempDirectory: root
    });
  });

  test("names the variable when the limit is not a size", () => {
    expect(() => duckdbResources({WORKBENCH_MEMORY_LIMIT: "lots"})).toThrow(
      'WORKBENCH_MEMORY_LIMIT: expected a DuckDB size such as "4GB" or "512MB", got "lots".'
    );
    expect(() => duckdbResources({WORKBENCH_MEMORY_LIMIT: "4GB'; SET threads=1"})).toThrow(/WORKBENCH_MEMORY_LIMIT/);
  });

  test("takes WORKBENCH_THREADS as a whole number, leaves DuckDB's default when unset, and names the variable otherwise", () => {
    expect(duckdbResources({WORKBENCH_THREADS: " 1 "}).threads).toBe(1);
    expect("threads" in duckdbResources({})).toBe(false);
    expect("threads" in duckdbResources({WORKBENCH_THREADS: ""})).toBe(false);
    for (const bad of ["0", "two", "1.5", "-1", "1; SET x=1"])
      expect(() => duckdbResources({WORKBENCH_THREADS: bad})).toThrow(
        `WORKBENCH_THREADS: expected a whole number of threads from 1, got "${bad}".`
      );
  });
});

describe("openDatabase(path, {resources})", () => {
  test("opens with the limit and spills a sort larger than it into its own folder under the root", async () => {
    // One thread and 32MB: the smallest sort that still spills (a third of the CPU of 1.5M rows under 64MB
    // on the machine's default threads), and the same spill on any number of cores.
    const db = await openDatabase(":memory:", {resources: {memoryLimit: "32MB", tempDirectory: root, threads: 1}});
    try {
      const [setting] = await db.query<{limit: string; temp: string}>(
        "SELECT current_setting('memory_limit') AS limit, current_setting('temp_directory') AS temp"
      );
      expect(setting.limit).toBe("30.5 MiB"); // DuckDB shows 32MB (10^6 bytes) in MiB
      expect(setting.temp.startsWith(join(root, `duckdb-${process.pid}-`))).toBe(true);
      // About 40 MB of strings, sorted: more than the limit.
      await db.run("CREATE TABLE t AS SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(600000) r(i)");
      const [sorted] = await db.query<{n: number; first: string}>(
        "SELECT count(*)::INTEGER AS n, min(s) AS first FROM (SELECT s FROM t ORDER BY s DESC)"
      );
      expect(sorted.n).toBe(600_000);
      expect(readdirSync(setting.temp).length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    // DuckDB removes its spill folder on close.
    expect(readdirSync(root).filter((name) => name.startsWith(`duckdb-${process.pid}-`))).toEqual([]);
  }, 60_000);

  test("opens with the stated number of threads, and with DuckDB's default when none is stated", async () => {
    const threads = async (resources: DuckDBResources) => {
      const db = await openDatabase(":memory:", {resources});
      try {
        return (await db.query<{n: number}>("SELECT current_setting('threads')::INTEGER AS n"))[0]!.n;
      } finally {
        db.close();
      }
    };
    expect(await threads({memoryLimit: "64MB", tempDirectory: root, threads: 1})).toBe(1);
    expect(await threads({memoryLimit: "64MB", tempDirectory: root, threads: 3})).toBe(3);
    // Unstated, the database has what DuckDB gives an instance opened without options (one per core).
    const bare = await DuckDBInstance.create(":memory:");
    const connection = await bare.connect();
    const reader = await connection.runAndReadAll("SELECT current_setting('threads')::INTEGER AS n");
    const defaultThreads = reader.getRowObjectsJS()[0]!.n;
    connection.closeSync();
    bare.closeSync();
    expect(await threads({memoryLimit: "64MB", tempDirectory: root})).toBe(defaultThreads);
  });

  test("removes the spill folder a killed process left behind", async () => {
    // Process ids stay below 2^22 on Linux, so this one belongs to no running process.
    const orphan = join(root, "duckdb-4194999-1");
    mkdirSync(orphan, {recursive: true});
    const db = await openDatabase(":memory:", {resources: {memoryLimit: "64MB", tempDirectory: root}});
    db.close();
    expect(existsSync(orphan)).toBe(false);
  });
});

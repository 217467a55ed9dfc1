// In integration, not unit: it ingests the whole sample twice (its JSONL, then the same rows as one Parquet
// file per day, each file its own insert) and computes five pages from each, 7.9 s of the unit suite on an
// idle machine; parquet.test.ts keeps the adapter's logic on hand-made partitions in the unit suite.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {pages} from "../../loaders/pages/registry.js";
import type {Database} from "../../loaders/warehouse/duckdb.js";
import {ingested, partitionFiles, sample, tempFolders, workspaces} from "../unit/loaders/adapters/parquetWorkspaces.js";

const temp = tempFolders();

describe("parquet adapter on the sample", {timeout: 240_000}, () => {
  test("a Hive-partitioned Parquet workspace gives the same pages as the JSONL of the same rows", async () => {
    const {jsonl, parquet} = await workspaces(temp);
    expect(partitionFiles(join(parquet, "spans")).length).toBeGreaterThan(30);
    const a = await ingested(jsonl);
    const b = await ingested(parquet);
    try {
      const count = async (db: Database, table: string) =>
        (await db.query<{n: number}>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0].n;
      const lines = (file: string) =>
        readFileSync(join(sample, file), "utf8")
          .split("\n")
          .filter((l) => l.trim()).length;
      expect(await count(b.db, "spans")).toBe(lines("spans.jsonl"));
      expect(await count(b.db, "eval_results")).toBe(lines("eval_results.jsonl"));
      expect(await count(b.db, "quarantine")).toBe(0);
      const [books] = await b.db.query<{files: number; rows_in: number; accepted: number}>(
        `SELECT count(*)::INTEGER AS files, sum(rows_in)::INTEGER AS rows_in, sum(rows_accepted + rows_quarantined)::INTEGER AS accepted FROM sources WHERE format = 'parquet'`
      );
      expect(books.files).toBe(partitionFiles(parquet).length);
      expect(books.accepted).toBe(books.rows_in);
      // DuckDB sums doubles in parallel, in an order that varies between runs, so a mean can differ in
      // its last bits (this test failed once in CI on a bake-off cost mean). Twelve significant digits
      // are far finer than any page shows and still catch a row read differently.
      const stable = (page: unknown) =>
        JSON.stringify(page, (_key, v: unknown) =>
          typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v
        );
      for (const name of ["traces", "eval-triage", "eval-triage-suites", "launch-gate", "bakeoff", "frontier"]) {
        expect(stable(await pages[name](b.db, b.workspace)), name).toBe(stable(await pages[name](a.db, a.workspace)));
      }
    } finally {
      a.db.close();
      b.db.close();
    }
  });
});

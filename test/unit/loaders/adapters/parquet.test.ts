// Hive-partitioned Parquet datasets, written by DuckDB's own COPY … (FORMAT parquet, PARTITION_BY …):
// a broken file is quarantined alone, and a partition dated outside the time bounds is listed, not read.
// That the sample's rows as Parquet give the same pages as its JSONL is in
// test/integration/parquetSample.test.ts (two whole-sample ingests).
import {truncateSync, statSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {hivePartitions, partitionOutside} from "../../../../loaders/adapters/parquet.js";
import {quotedString, openDatabase} from "../../../../loaders/warehouse/duckdb.js";
import {ingested, partitionFiles, tempFolders} from "./parquetWorkspaces.js";

const temp = tempFolders();

describe("parquet adapter", {timeout: 240_000}, () => {
  test("a bad value is quarantined with its file and row; a cut-off file is quarantined alone and the rest still built", async () => {
    const root = temp("workbench-parquet-bad-");
    const db = await openDatabase();
    try {
      await db.run(`COPY (SELECT * FROM (VALUES
          ('t1', 's1', 'chat', 'llm', TIMESTAMPTZ '2026-11-20 10:00:00+00', 120, '2026-11-20'),
          ('t1', 's2', 'chat', 'llm', TIMESTAMPTZ '2026-11-20 10:00:01+00', -5, '2026-11-20'),
          ('t2', 's3', 'chat', 'llm', TIMESTAMPTZ '2026-11-21 09:00:00+00', 300, '2026-11-21'),
          ('t3', 's4', 'chat', 'llm', TIMESTAMPTZ '2026-11-22 09:00:00+00', 80, '2026-11-22'))
        AS t(trace_id, span_id, name, kind, start_time, duration_ms, date)) TO ${quotedString(join(root, "spans"))} (FORMAT parquet, PARTITION_BY (date))`);
    } finally {
      db.close();
    }
    const [cut] = partitionFiles(join(root, "spans")).filter((f) => f.startsWith("date=2026-11-21/"));
    const cutPath = join(root, "spans", cut);
    truncateSync(cutPath, Math.floor(statSync(cutPath).size / 2));
    const {db: built} = await ingested(root, {checks: {reference_time: "2026-11-30T00:00:00Z"}});
    try {
      expect((await built.query(`SELECT span_id FROM spans ORDER BY span_id`)).map((r) => r.span_id)).toEqual([
        "s1",
        "s4"
      ]);
      const quarantine = await built.query<{
        source_file: string;
        line: number | null;
        field: string | null;
        reason: string;
      }>(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);
      expect(quarantine).toHaveLength(2);
      expect(quarantine[0]).toMatchObject({
        source_file: expect.stringMatching(/^spans\/date=2026-11-20\//),
        line: 2,
        field: "duration_ms"
      });
      expect(quarantine[1]).toMatchObject({source_file: `spans/${cut}`, line: null});
      expect(quarantine[1].reason).toMatch(/^parquet: /);
      const sources = await built.query<{
        file: string;
        status: string;
        rows_in: number;
        rows_accepted: number;
        rows_quarantined: number;
      }>(`SELECT file, status, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`);
      expect(sources.map((s) => s.status)).toEqual(["ingested", "failed", "ingested"]);
      for (const s of sources) expect(s.rows_accepted + s.rows_quarantined, s.file).toBe(s.rows_in);
    } finally {
      built.close();
    }
  });

  test("a partition dated outside the time bounds is listed as skipped and not read", async () => {
    const root = temp("workbench-parquet-window-");
    const db = await openDatabase();
    try {
      await db.run(`COPY (SELECT * FROM (VALUES ('t1', 's1', 'chat', 'llm', TIMESTAMPTZ '2026-11-20 10:00:00+00', 120, '2026-11-20'), ('t2', 's2', 'chat', 'llm', TIMESTAMPTZ '2026-12-20 10:00:00+00', 90, '2026-12-20'))
        AS t(trace_id, span_id, name, kind, start_time, duration_ms, date)) TO ${quotedString(join(root, "spans"))} (FORMAT parquet, PARTITION_BY (date))`);
    } finally {
      db.close();
    }
    // The later partition is cut off too: had it been read, it would be quarantined as unreadable.
    const [later] = partitionFiles(join(root, "spans")).filter((f) => f.startsWith("date=2026-12-20/"));
    truncateSync(join(root, "spans", later), 10);
    const {db: built} = await ingested(root, {checks: {reference_time: "2026-11-30T00:00:00Z"}});
    try {
      expect((await built.query(`SELECT span_id FROM spans`)).map((r) => r.span_id)).toEqual(["s1"]);
      expect(await built.query(`SELECT * FROM quarantine`)).toEqual([]);
      const [skipped] = await built.query<{file: string; status: string; message: string; rows_in: number}>(
        `SELECT file, status, message, rows_in FROM sources WHERE status = 'skipped'`
      );
      expect(skipped).toMatchObject({file: `spans/${later}`, rows_in: 0});
      expect(skipped.message).toMatch(/^partition date=2026-12-20 lies outside the time bounds/);
    } finally {
      built.close();
    }
  });

  test("DuckDB's Parquet reader is built into @duckdb/node-api, so reading Parquet downloads no extension", async () => {
    const db = await openDatabase();
    try {
      expect(
        await db.query(`SELECT loaded, install_mode FROM duckdb_extensions() WHERE extension_name = 'parquet'`)
      ).toEqual([{loaded: true, install_mode: "STATICALLY_LINKED"}]);
    } finally {
      db.close();
    }
  });

  test("hivePartitions and partitionOutside read key=value folders", () => {
    expect(hivePartitions("spans/date=2026-11-20/region=eu%2Fwest/part-0.parquet")).toEqual({
      date: "2026-11-20",
      region: "eu/west"
    });
    const bounds = {earliest: "2026-11-01T00:00:00.000Z", latest: "2026-11-30T00:00:00.000Z"};
    expect(partitionOutside("spans/date=2026-10-31/part-0.parquet", bounds)).toMatch(/outside/);
    expect(partitionOutside("spans/date=2026-11-01/part-0.parquet", bounds)).toBeUndefined();
    expect(partitionOutside("spans/date=2026-11-30/part-0.parquet", bounds)).toBeUndefined();
    expect(partitionOutside("spans/date=2026-12-01/part-0.parquet", bounds)).toMatch(/outside/);
    expect(partitionOutside("spans/month=2026-12/part-0.parquet", bounds)).toBeUndefined();
  });
});

import {describe, expect, test} from "vitest";
import type {ExploreManifest} from "../../../../loaders/explore/export.js";
import {Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray} from "apache-arrow";
import {columnsUsed, utf8Vector} from "../../../../src/components/exploreColumns.js";

const column = (name: string) => ({name, type: "VARCHAR", doc: "", freeText: false});
const manifest: ExploreManifest = {
  textChars: 300,
  maxRows: 2_000_000,
  rowGroupRows: 100_000,
  tables: [
    {
      name: "spans",
      doc: "",
      rows: 3,
      exported: 3,
      sampled: false,
      sampleBy: "trace_id",
      sortBy: ["start_time", "trace_id"],
      columns: ["trace_id", "start_time", "model", "duration_ms", "kind"].map(column)
    },
    {
      name: "requests",
      doc: "",
      rows: 1,
      exported: 1,
      sampled: false,
      sampleBy: "trace_id",
      sortBy: ["start_time"],
      columns: ["trace_id", "start_time", "model"].map(column)
    },
    {name: "flags", doc: "", rows: 0, exported: 0, sampled: false, sampleBy: "flag_id", sortBy: ["at"], columns: []}
  ]
};
const used = (sql: string) => Object.fromEntries(columnsUsed(sql, manifest));

describe("columnsUsed(sql, manifest)", () => {
  test("reads only the columns a group-by-model-and-day query names", () => {
    expect(used("SELECT date_trunc('day', start_time) AS day, model, count(*) FROM spans GROUP BY ALL")).toEqual({
      spans: ["start_time", "model"]
    });
  });

  test("matches names in any case and quoted, and each table joined", () => {
    expect(used(`SELECT s."MODEL", r.Trace_Id FROM Spans s JOIN "requests" r USING (trace_id)`)).toEqual({
      spans: ["trace_id", "model"],
      requests: ["trace_id", "model"]
    });
  });

  test("reads every column after a star in a select list, but not for count(*)", () => {
    expect(used("SELECT * FROM spans LIMIT 5").spans).toHaveLength(5);
    expect(used("SELECT s.* FROM spans s").spans).toHaveLength(5);
    expect(used("SELECT count(*) FROM spans")).toEqual({spans: ["start_time"]});
  });

  test("skips tables the query does not name and tables with no columns", () => {
    expect(used("SELECT 1")).toEqual({});
    expect(used("SELECT count(*) FROM flags")).toEqual({});
  });
});

describe("timestampsAsMilliseconds", () => {
  test("hyparquet reads a DuckDB-written timestamp column as the same epoch milliseconds DuckDB computes", async () => {
    const {mkdtempSync, readFileSync, rmSync} = await import("node:fs");
    const {tmpdir} = await import("node:os");
    const {join} = await import("node:path");
    const {parquetReadObjects} = await import("hyparquet");
    const {openDatabase} = await import("../../../../loaders/warehouse/duckdb.js");
    const {timestampsAsMilliseconds} = await import("../../../../src/components/exploreColumns.js");
    const dir = mkdtempSync(join(tmpdir(), "explore-ts-"));
    const db = await openDatabase();
    try {
      const path = join(dir, "t.parquet");
      const values = ["2026-11-20 09:15:02.123+00", "1969-12-31 23:59:59.999+00", "2000-02-29 00:00:00+00"];
      await db.run(
        `COPY (SELECT v::TIMESTAMPTZ AS at, v::TIMESTAMP AS plain FROM (VALUES ${values.map((v) => `('${v}')`).join(", ")}) t(v))
         TO '${path}' (FORMAT parquet, COMPRESSION uncompressed)`
      );
      const expected = await db.query<{at: number}>(
        `SELECT epoch_ms(v::TIMESTAMPTZ)::BIGINT AS at FROM (VALUES ${values.map((v) => `('${v}')`).join(", ")}) t(v)`
      );
      const data = readFileSync(path);
      const file = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
      const rows = await parquetReadObjects({file, parsers: timestampsAsMilliseconds});
      expect(rows.map((r) => r.at)).toEqual(expected.map((r) => r.at));
      expect(rows.map((r) => r.plain)).toEqual(expected.map((r) => r.at));
      expect(rows.every((r) => typeof r.at === "number")).toBe(true);
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe("utf8Vector", () => {
  // Nulls, empty strings, repeats, text outside ASCII (accents, CJK, an emoji's surrogate pair), and
  // more distinct values than the encoding cache keeps.
  const values: (string | null | undefined)[] = [
    "enterprise",
    null,
    "",
    "smb",
    "enterprise",
    undefined,
    "café ✓",
    "日本語",
    "🙂 ok",
    "smb",
    ...Array.from({length: 5000}, (_, i) => `id-${i.toString(16).padStart(32, "0")}`),
    "café ✓",
    null
  ];

  test("holds the same strings as apache-arrow's own builder, nulls where missing", () => {
    const expected = vectorFromArray(
      values.map((v) => v ?? null),
      new Utf8()
    );
    const vector = utf8Vector(values);
    expect(vector.length).toBe(values.length);
    expect(vector.nullCount).toBe(3);
    expect([...vector]).toEqual([...expected]);
    expect([...vector]).toEqual(values.map((v) => v ?? null));
  });

  test("survives an IPC round trip, as DuckDB-wasm receives it", () => {
    const table = tableFromIPC(tableToIPC(new Table({v: utf8Vector(values)}), "stream"));
    expect(table.getChild("v")!.toArray()).toEqual(values.map((v) => v ?? null));
  });

  test("a column without nulls has no validity bitmap, and an empty one no rows", () => {
    expect(utf8Vector(["a", "b"]).data[0].nullBitmap?.length ?? 0).toBe(0);
    expect([...utf8Vector([])]).toEqual([]);
  });
});

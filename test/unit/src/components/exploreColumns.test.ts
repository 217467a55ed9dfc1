import {describe, expect, test} from "vitest";
import type {ExploreManifest} from "../../../../loaders/explore/export.js";
import {
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type DataType
} from "apache-arrow";
import {
  columnParsers,
  columnsUsed,
  numberVector,
  timestampsAsMilliseconds,
  utf8Vector
} from "../../../../src/components/exploreColumns.js";

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

  test("takes a value's UTF-8 bytes as the string they encode, as columnParsers reads a Parquet file's text", async () => {
    const encoder = new TextEncoder();
    const bytes = values.map((v, i) => (v === null || v === undefined || i % 2 === 0 ? v : encoder.encode(v)));
    expect([...utf8Vector(bytes)]).toEqual(values.map((v) => v ?? null));
    // hyparquet with columnParsers hands text over as bytes: the same strings once in the vector.
    const {parquetRead} = await import("hyparquet");
    const {writeFileSync, readFileSync, mkdtempSync, rmSync} = await import("node:fs");
    const {join} = await import("node:path");
    const {tmpdir} = await import("node:os");
    const {openDatabase} = await import("../../../../loaders/warehouse/duckdb.js");
    const dir = mkdtempSync(join(tmpdir(), "explore-utf8-"));
    const db = await openDatabase();
    try {
      const texts = values.map((v) => v ?? null).slice(0, 12);
      writeFileSync(join(dir, "t.json"), JSON.stringify(texts.map((v) => ({v}))));
      await db.run(
        `COPY (SELECT v FROM read_json('${join(dir, "t.json")}', columns = {v: 'VARCHAR'})) TO '${join(dir, "t.parquet")}' (FORMAT parquet, COMPRESSION uncompressed)`
      );
      const data = readFileSync(join(dir, "t.parquet"));
      const file = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
      const read: unknown[] = [];
      await parquetRead({file, parsers: columnParsers, onChunk: ({columnData}) => read.push(...columnData)});
      expect(read.some((v) => v instanceof Uint8Array)).toBe(true);
      expect([...utf8Vector(read)]).toEqual(texts);
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  test("a column without nulls has no validity bitmap, and an empty one no rows", () => {
    expect(utf8Vector(["a", "b"]).data[0].nullBitmap?.length ?? 0).toBe(0);
    expect([...utf8Vector([])]).toEqual([]);
  });
});

describe("timestampsAsMilliseconds past 2^53", () => {
  test("rounds toward zero as BigInt division does, outside the range a double holds exactly too", () => {
    const micros = [0n, 999n, -999n, -1001n, 1_790_000_000_123_456n, 2n ** 60n + 123_456n, -(2n ** 60n) - 1n];
    expect(micros.map(timestampsAsMilliseconds.timestampFromMicroseconds)).toEqual(
      micros.map((m) => Number(m / 1000n))
    );
    const nanos = [1_790_000_000_123_456_789n, -1_500_000n, 2n ** 62n + 7n];
    expect(nanos.map(timestampsAsMilliseconds.timestampFromNanoseconds)).toEqual(
      nanos.map((n) => Number(n / 1_000_000n))
    );
  });
});

describe("numberVector", () => {
  // Each type with nulls (null and undefined), zero, negatives, and for 64 bits values past 2^32 and 2^53 as BigInt.
  const cases: [string, unknown[], DataType][] = [
    ["DOUBLE", [1.5, null, -2.25, 0, undefined, 1e300, 3n], new Float64()],
    ["INTEGER", [7, null, -2_147_483_648, 2_147_483_647, 0, 5n], new Int32()],
    ["BIGINT", [0, -1, 2 ** 40 + 3, -(2 ** 40) - 5, null, 2n ** 62n, -(2n ** 63n), 9_007_199_254_740_991], new Int64()],
    ["BOOLEAN", [true, false, null, true, true, false, false, true, true, undefined], new Bool()],
    [
      "TIMESTAMP WITH TIME ZONE",
      [Date.parse("2026-11-20T09:15:02.123Z"), -1, null, 0, Date.parse("1900-01-01T00:00:00Z")],
      new TimestampMillisecond()
    ]
  ];

  test.each(cases)(
    "a %s column holds what apache-arrow's own builder holds, nulls where missing",
    (type, values, arrow) => {
      const expected = vectorFromArray(
        values.map((v) => {
          if (v === null || v === undefined) return null;
          if (arrow instanceof Int64) return BigInt(v as number | bigint);
          if (arrow instanceof Float64 || arrow instanceof Int32) return Number(v);
          return v;
        }),
        arrow
      );
      const vector = numberVector(values, type);
      expect(vector.type.toString()).toBe(expected.type.toString());
      expect(vector.nullCount).toBe(values.filter((v) => v === null || v === undefined).length);
      expect([...vector]).toEqual([...expected]);
      // As DuckDB-wasm receives it: through IPC.
      const table = tableFromIPC(tableToIPC(new Table({v: vector}), "stream"));
      expect([...table.getChild("v")!]).toEqual([...expected]);
    }
  );

  test("refuses a fraction in a 64-bit column, naming the type, and an unknown type", () => {
    expect(() => numberVector([1.5], "BIGINT")).toThrow(/1.5 is not a whole number for a BIGINT column/);
    expect(() => numberVector([1], "HUGEINT")).toThrow(/no Arrow type for the DuckDB type HUGEINT/);
  });
});

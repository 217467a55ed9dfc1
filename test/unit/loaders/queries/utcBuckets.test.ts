import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {seededRandom} from "../../../../src/lib/metrics/seededRandom.js";
import {utcBucketSql, utcWeekDateSql} from "../../../../loaders/queries/utcBuckets.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";

let db: Database;
beforeAll(async () => {
  db = await openDatabase();
});
afterAll(() => db.close());

/** The independent reference: the bucket start by JavaScript's UTC calendar. */
function jsBucket(ms: number, granularity: "hour" | "day" | "week"): string {
  const d = new Date(ms);
  const start = Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    granularity === "hour" ? d.getUTCHours() : 0
  );
  const back = granularity === "week" ? ((d.getUTCDay() + 6) % 7) * 86_400_000 : 0; // days since Monday
  return new Date(start - back).toISOString();
}

const random = seededRandom(29);
// 1900 to 2100, with the edges that floor division gets wrong when done carelessly: before 1970, a
// Monday's first and last microsecond, and the epoch itself.
const instants = [
  ...Array.from({length: 2000}, () =>
    Math.floor(Date.UTC(1900, 0, 1) + random() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1)))
  ),
  0,
  -1,
  Date.UTC(1970, 0, 5),
  Date.UTC(1970, 0, 5) - 1,
  Date.UTC(2026, 10, 23),
  Date.UTC(2026, 10, 23) - 1,
  Date.UTC(1969, 11, 29),
  Date.UTC(1969, 11, 28, 23, 59, 59, 999)
];
const values = instants.map((ms) => `('${new Date(ms).toISOString()}'::TIMESTAMPTZ)`).join(", ");

describe("UTC time buckets by arithmetic", () => {
  test.each(["hour", "day", "week"] as const)(
    "%s: equal to JavaScript's UTC calendar and to DuckDB's date_trunc",
    async (granularity) => {
      const rows = await db.query<{t: string; bucket: string; truncated: string}>(
        `SELECT t, ${utcBucketSql(granularity, "t")} AS bucket, date_trunc('${granularity}', t) AS truncated FROM (VALUES ${values}) v(t)`
      );
      expect(rows).toHaveLength(instants.length);
      for (const r of rows) {
        expect(r.bucket).toBe(jsBucket(Date.parse(r.t), granularity));
        expect(r.bucket).toBe(r.truncated);
      }
    }
  );

  test("the week as a date is the Monday that starts it", async () => {
    const rows = await db.query<{t: string; week: string}>(
      `SELECT t, ${utcWeekDateSql("t")}::VARCHAR AS week FROM (VALUES ${values}) v(t)`
    );
    for (const r of rows) expect(r.week).toBe(jsBucket(Date.parse(r.t), "week").slice(0, 10));
    expect(rows.filter((r) => new Date(`${r.week}T00:00:00Z`).getUTCDay() !== 1)).toEqual([]);
  });

  test("a NULL time has no bucket", async () => {
    expect(
      await db.query(
        `SELECT ${utcBucketSql("day", "NULL::TIMESTAMPTZ")} AS b, ${utcWeekDateSql("NULL::TIMESTAMPTZ")} AS w`
      )
    ).toEqual([{b: null, w: null}]);
  });
});

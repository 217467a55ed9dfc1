// Time buckets in UTC by arithmetic on epoch microseconds. DuckDB's date_trunc on a TIMESTAMPTZ goes
// through ICU's calendar for every row, which at 2M spans cost about 0.25 s per query, ten to twenty
// times this; the warehouse's session time zone is UTC, so both give the same buckets (tested). In
// src/lib because the production pages' filters bucket a filtered slice in DuckDB-wasm with the same SQL.

export type Granularity = "hour" | "day" | "week";

/** Buckets small enough to show a trend, large enough that a p95 rests on more than a handful of requests. */
export function trendGranularity(days: number): Granularity {
  return days <= 2 ? "hour" : days <= 28 ? "day" : "week";
}

/** Finer buckets for counts (volume), which need no minimum sample. */
export function volumeGranularity(days: number): Granularity {
  return days <= 2 ? "hour" : "day";
}

const MICROS = {hour: 3_600e6, day: 86_400e6} as const;
/** 1970-01-01 was a Thursday; ISO weeks (date_trunc's) start on Monday, four days later. */
const MONDAY_OFFSET_DAYS = 4;

/** Whole days since 1970-01-01 from the Monday that starts the week of `column`'s days. */
const weekStartDays = (column: string) =>
  `(floor((epoch_us(${column}) / ${MICROS.day} - ${MONDAY_OFFSET_DAYS}) / 7) * 7 + ${MONDAY_OFFSET_DAYS})`;

/** The start of `column`'s hour, day or (Monday) week in seconds since 1970 (UTC). */
export function utcBucketSecondsSql(granularity: Granularity, column: string): string {
  if (granularity === "week") return `(${weekStartDays(column)} * 86400)`;
  const seconds = MICROS[granularity] / 1e6;
  return `(floor(epoch_us(${column}) / ${MICROS[granularity]}) * ${seconds})`;
}

/** The start of `column`'s hour, day or (Monday) week, as a TIMESTAMPTZ: date_trunc(granularity, column) in UTC. */
export function utcBucketSql(granularity: Granularity, column: string): string {
  return `to_timestamp${utcBucketSecondsSql(granularity, column)}`;
}

/** The Monday that starts `column`'s week, as a DATE: date_trunc('week', column)::DATE in UTC. */
export function utcWeekDateSql(column: string): string {
  return `(DATE '1970-01-01' + ${weekStartDays(column)}::INTEGER)`;
}

// The one set of number formats for text the build writes (the brief, recommendations) and text the
// pages render, so a dollar figure or a p-value reads the same everywhere. Pure functions, no d3:
// loaders import this file too (../../src/lib/format.js).

/** Whole numbers with thousands separators: "12,400". */
export const fmtInt = (x: number) => Math.round(x).toLocaleString("en-US");

/** A share as a percentage: "86.5%"; "—" when there is none. */
export const fmtPct = (x: number | null | undefined, digits = 1) =>
  x == null || Number.isNaN(x) ? "—" : `${(x * 100).toFixed(digits)}%`;

/** A duration: "597 ms", "2.19 s". */
export const fmtMs = (x: number | null | undefined) =>
  x == null ? "—" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;

/** A change in percentage points, signed: "−8.3 pts". */
export const fmtPts = (x: number | null | undefined) =>
  x == null ? "—" : `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)} pts`;

/**
 * Dollars: whole dollars with separators from $100 ("$1,234"), else three significant digits, so a
 * per-request cost of $0.00123 never reads "$0.00" and a $0.012 budget never reads "$0.01".
 */
export const fmtUsd = (x: number | null | undefined) =>
  x == null ? "—" : x >= 100 ? `$${Math.round(x).toLocaleString("en-US")}` : `$${Number(x.toPrecision(3))}`;

/** A p-value as the pages print it: "p < 0.001", "p = 0.004", "p = 0.31". */
export const fmtP = (p: number | null | undefined) =>
  p == null ? "—" : p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;

/** A rate with its 95% interval and sample size, as the metrics return it. */
export interface Interval {
  rate: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

/** "86.5% [82.8%–89.5%] n = 400"; "no data (n = 0)" when there is nothing to divide by. */
export function fmtCI(r: Interval | null | undefined, digits = 1): string {
  if (!r || r.rate === null || r.n === 0) return `no data (n = ${fmtInt(r?.n ?? 0)})`;
  return `${fmtPct(r.rate, digits)} [${fmtPct(r.low, digits)}–${fmtPct(r.high, digits)}] n = ${fmtInt(r.n)}`;
}

/**
 * The rounding rule for numbers written into page data: enough digits for any chart or table, far
 * fewer bytes. Null, undefined and non-finite values become null (JSON has no NaN or Infinity).
 */
export function round(x: number | null | undefined, digits: number): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A timestamp's day, "2026-11-16"; "—" when there is none. The brief and the pages date things alike. */
export const fmtDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : "—");

/**
 * What a figure over every request covers, written next to it in the same words on the brief and on
 * the page it links to, so a whole-period mean is never read as this week's: "whole period,
 * 2026-09-12 to 2026-11-20"; just "whole period" when the dates are unknown.
 */
export const fmtWholePeriod = (first: string | null | undefined, last: string | null | undefined) =>
  first && last ? `whole period, ${first.slice(0, 10)} to ${last.slice(0, 10)}` : "whole period";

/**
 * "the week of 2026-11-16", "2026-11-16", "2026-11-16 14:00": how a trend bucket (a latest-period
 * figure's scope) reads, in the same words on the brief and on the traces page.
 */
export function bucketLabel(bucket: string, granularity: "hour" | "day" | "week"): string {
  if (granularity === "week") return `the week of ${bucket.slice(0, 10)}`;
  if (granularity === "hour") return `${bucket.slice(0, 10)} ${bucket.slice(11, 16)}`;
  return bucket.slice(0, 10);
}

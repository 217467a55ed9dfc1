// Number formats shared by every page, so that a rate looks the same wherever it appears.
import * as d3 from "d3";

export const fmtInt = d3.format(",d");
export const fmtPct = (x: number | null | undefined, digits = 1) => (x == null || Number.isNaN(x) ? "—" : `${(x * 100).toFixed(digits)}%`);
export const fmtUsd = (x: number | null | undefined) => (x == null ? "—" : x < 0.01 ? `$${x.toFixed(5)}` : d3.format("$,.2f")(x));
export const fmtMs = (x: number | null | undefined) => (x == null ? "—" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
export const fmtDate = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : "—");
export const fmtSpan = (first: string | null | undefined, last: string | null | undefined) =>
  first && last ? `${fmtDate(first)} → ${fmtDate(last)}` : "—";

/** A rate with its sample size, as every rate on the site is shown: "87.0% (n = 400)". */
export const fmtRate = (x: number | null | undefined, n: number) => (n === 0 ? "no data (n = 0)" : `${fmtPct(x)} (n = ${fmtInt(n)})`);

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

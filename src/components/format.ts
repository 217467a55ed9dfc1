// Number formats shared by every page, so that a rate looks the same wherever it appears. The ones the
// loaders write too (money, p-values, rates with intervals, dates) are defined once, in src/lib/format.ts.
import * as d3 from "d3";

import {fmtDate, fmtPct} from "../lib/format.js";

export {fmtCI, fmtDate, fmtMs, fmtPct, fmtUsd, fmtWholePeriod, type Interval} from "../lib/format.js";

export const fmtInt = d3.format(",d");
/**
 * A mean token count, at the one decimal the page data keeps (the build rounds means to 0.1): shown as
 * a whole number it was rounded twice, and a mean of 12.46 stored as 12.5 read 13.
 */
export const fmtMeanTokens = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : d3.format(",.1f")(x);
export const fmtSpan = (first: string | null | undefined, last: string | null | undefined) =>
  first && last ? `${fmtDate(first)} → ${fmtDate(last)}` : "—";

/** A rate with its sample size, as every rate on the site is shown: "87.0% (n = 400)". */
export const fmtRate = (x: number | null | undefined, n: number) =>
  n === 0 ? "no data (n = 0)" : `${fmtPct(x)} (n = ${fmtInt(n)})`;

// The standard normal distribution's CDF and quantile. Φ comes from the incomplete gamma function
// (erfc(y) = Q(½, y²)), which the χ² tests already rely on, so the lower tail keeps its relative
// precision; the quantile inverts it by bisection (monotone, cannot diverge).
import {regularizedGammaQ} from "./gamma.js";

export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError("normalCdf: x is NaN");
  if (x === 0) return 0.5;
  const tail = 0.5 * regularizedGammaQ(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Two-sided p-value of a z statistic. */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  // Bisect on the smaller tail, which normalCdf keeps to full relative precision even at 1e-10.
  const tail = Math.min(p, 1 - p);
  let lo = 0;
  let hi = 1;
  while (normalCdf(-hi) > tail) hi *= 2;
  while (hi - lo > 1e-13 * Math.max(1, hi)) {
    const mid = (lo + hi) / 2;
    if (normalCdf(-mid) > tail) lo = mid;
    else hi = mid;
  }
  const x = (lo + hi) / 2;
  return p < 0.5 ? -x : x;
}

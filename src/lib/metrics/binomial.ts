// The binomial distribution's CDF, P(X ≤ k) for X ~ Binomial(n, p), through the incomplete beta
// identity P(X ≤ k) = I_{1−p}(n − k, k + 1): exact to double precision even at n in the millions.
import {regularizedIncompleteBeta} from "./incompleteBeta.js";

export function binomialCdf(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomialCdf: n must be a whole number ≥ 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomialCdf: p must be in [0, 1], got ${p}`);
  const j = Math.floor(k);
  if (j < 0) return 0;
  if (j >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return regularizedIncompleteBeta(1 - p, n - j, j + 1);
}

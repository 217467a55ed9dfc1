// A distribution-free confidence interval for a quantile, from order statistics. If K counts the
// observations below the true q-quantile, K ~ Binomial(n, q), so [x₍l₎, x₍u₎] covers it with
// probability F(u − 1) − F(l − 1). We take the largest l with F(l − 1) ≤ α/2 and the smallest u
// with F(u − 1) ≥ 1 − α/2: each side misses with probability ≤ α/2 (the same ranks as
// scipy.stats.quantile_test(...).confidence_interval). A bound that needs a rank outside 1..n is
// null: with n = 50 no upper bound on p95 exists at 95%, and a gate must say so.
import {binomialCdf} from "../../src/lib/metrics/binomial.js";
import {quantileSorted} from "../../src/lib/metrics/quantile.js";

export interface QuantileInterval {
  /** The type-7 point estimate (numpy's default, DuckDB's quantile_cont). */
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** 1-based ranks of the order statistics used as bounds. */
  lowRank: number | null;
  highRank: number | null;
  n: number;
}

/** The 1-based ranks [l, u] of the order statistics that bound the q-quantile, or null where none exists. */
export function orderStatisticRanks(
  n: number,
  q: number,
  confidence = 0.95
): {lowRank: number | null; highRank: number | null} {
  if (!(q > 0 && q < 1)) throw new RangeError(`orderStatisticRanks: q must be in (0, 1), got ${q}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`orderStatisticRanks: confidence must be in (0, 1), got ${confidence}`);
  const tail = (1 - confidence) / 2;
  // Smallest k with F(k) ≥ target, by bisection on the monotone CDF.
  const ppf = (target: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (binomialCdf(mid, n, q) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const low = ppf(tail);
  const high = ppf(1 - tail) + 1;
  return {lowRank: low >= 1 ? low : null, highRank: high <= n ? high : null};
}

export function quantileInterval(sorted: ArrayLike<number>, q: number, confidence = 0.95): QuantileInterval {
  const n = sorted.length;
  if (n === 0) return {estimate: null, low: null, high: null, lowRank: null, highRank: null, n};
  const {lowRank, highRank} = orderStatisticRanks(n, q, confidence);
  return {
    estimate: quantileSorted(sorted, q),
    low: lowRank === null ? null : sorted[lowRank - 1],
    high: highRank === null ? null : sorted[highRank - 1],
    lowRank,
    highRank,
    n
  };
}

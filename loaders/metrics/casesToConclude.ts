// How many cases a rate gate needs before its Wilson interval clears the threshold, if the observed
// rate holds: the smallest n whose interval around the same rate excludes the threshold. It turns
// "not yet conclusive" into a plan ("about 600 more cases"); it is a planning figure, not a promise,
// since the rate itself will move as cases are added.
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";

const excludes = (rate: number, n: number, threshold: number) => {
  const {low, high} = wilsonInterval(rate * n, n);
  return (low !== null && low > threshold) || (high !== null && high < threshold);
};

/** Total cases needed (≥ n), or null when the rate equals the threshold or needs more than `limit`. */
export function casesToConclude(rate: number, n: number, threshold: number, limit = 10_000_000): number | null {
  if (!(rate >= 0 && rate <= 1) || rate === threshold) return null;
  if (excludes(rate, Math.max(n, 1), threshold)) return n;
  let hi = Math.max(n, 1) * 2;
  while (!excludes(rate, hi, threshold)) {
    if (hi > limit) return null;
    hi *= 2;
  }
  let lo = Math.max(n, 1);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (excludes(rate, mid, threshold)) hi = mid;
    else lo = mid;
  }
  return hi;
}

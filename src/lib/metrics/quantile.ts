// Quantiles by linear interpolation between order statistics (Hyndman & Fan type 7): the default of
// numpy.quantile, R's quantile() and DuckDB's quantile_cont, so SQL and JavaScript agree.
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantile(values: Iterable<number>, q: number): number | null {
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, q);
}

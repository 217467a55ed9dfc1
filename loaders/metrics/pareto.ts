// The Pareto frontier of options trading a cost (lower is better: dollars, milliseconds) against a
// quality (higher is better: pass rate). An option is dominated when another is at least as good on
// both and strictly better on one; the frontier is every option that is not. Options with a missing
// coordinate are neither (there is nothing to compare). One sweep in cost order: the best quality
// seen so far is the only candidate that can dominate the next option.
export interface ParetoStatus {
  /** Both coordinates known. */
  comparable: boolean;
  onFrontier: boolean;
  /** Index of an option that dominates this one. */
  dominatedBy: number | null;
}

export function paretoFrontier<T>(
  options: readonly T[],
  cost: (o: T) => number | null | undefined,
  quality: (o: T) => number | null | undefined
): ParetoStatus[] {
  const status: ParetoStatus[] = options.map(() => ({comparable: false, onFrontier: false, dominatedBy: null}));
  const xs = options.map((o) => cost(o) ?? NaN);
  const ys = options.map((o) => quality(o) ?? NaN);
  const order = options.map((_, i) => i).filter((i) => Number.isFinite(xs[i]) && Number.isFinite(ys[i]));
  order.sort((i, j) => xs[i] - xs[j] || ys[j] - ys[i] || i - j);
  let best: number | null = null;
  for (const i of order) {
    const dominated = best !== null && ys[best] >= ys[i] && (xs[best] < xs[i] || ys[best] > ys[i]);
    status[i] = {comparable: true, onFrontier: !dominated, dominatedBy: dominated ? best : null};
    if (best === null || ys[i] > ys[best]) best = i;
  }
  return status;
}

// Every threshold's confusion matrix at once: flagging items with score ≥ t, for each distinct score
// t from the highest down, the cumulative true and false positives. This is scikit-learn's
// _binary_clf_curve (fps, tps, thresholds); every curve, optimum and slider reads it.
// Array-like fields, not Float64Array, so the browser runs the same functions on the downsampled sweep
// a page receives as JSON arrays (src/components/classifierMath.ts).

export interface ThresholdSweep<A extends ArrayLike<number> = ArrayLike<number>> {
  /** Distinct scores, highest first: item i is flagged at threshold t when score ≥ t. */
  readonly thresholds: A;
  /** True positives flagged at each threshold. */
  readonly tp: A;
  /** False positives flagged at each threshold. */
  readonly fp: A;
  /** All positives and negatives: FN = positives − tp, TN = negatives − fp. */
  readonly positives: number;
  readonly negatives: number;
}

/** Distinct scores in decreasing order with the positive and negative items at each (loaders' ScoreCounts). */
export interface ScoreTally {
  readonly scores: Float64Array;
  readonly positives: ArrayLike<number>;
  readonly negatives: ArrayLike<number>;
}

export function thresholdSweep(counts: ScoreTally): ThresholdSweep<Float64Array> {
  const n = counts.scores.length;
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let t = 0;
  let f = 0;
  for (let i = 0; i < n; i++) {
    t += counts.positives[i];
    f += counts.negatives[i];
    tp[i] = t;
    fp[i] = f;
  }
  return {thresholds: counts.scores, tp, fp, positives: t, negatives: f};
}

/** Index of the last threshold still ≥ t (−1: nothing reaches t); t may be any number. */
export function sweepIndexAt(sweep: ThresholdSweep, threshold: number): number {
  // Thresholds are decreasing, so binary-search the boundary.
  let lo = 0;
  let hi = sweep.thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sweep.thresholds[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** The confusion matrix at sweep index i (−1 flags nothing). */
export function confusionAtIndex(sweep: ThresholdSweep, i: number): Confusion {
  const tp = i < 0 ? 0 : sweep.tp[i];
  const fp = i < 0 ? 0 : sweep.fp[i];
  return {tp, fp, fn: sweep.positives - tp, tn: sweep.negatives - fp};
}

/** The confusion matrix when items with score ≥ threshold are flagged (threshold may be any number). */
export function confusionAt(sweep: ThresholdSweep, threshold: number): Confusion {
  return confusionAtIndex(sweep, sweepIndexAt(sweep, threshold));
}

// Every threshold's confusion matrix at once: flagging items with score ≥ t, for each distinct score
// t from the highest down, the cumulative true and false positives. This is scikit-learn's
// _binary_clf_curve (fps, tps, thresholds); every curve, optimum and slider reads it.
import type {ScoreCounts} from "./scoreCounts.js";

export interface ThresholdSweep {
  /** Distinct scores, highest first: item i is flagged at threshold t when score ≥ t. */
  readonly thresholds: Float64Array;
  /** True positives flagged at each threshold. */
  readonly tp: Float64Array;
  /** False positives flagged at each threshold. */
  readonly fp: Float64Array;
  /** All positives and negatives: FN = positives − tp, TN = negatives − fp. */
  readonly positives: number;
  readonly negatives: number;
}

export function thresholdSweep(counts: ScoreCounts): ThresholdSweep {
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

/** The confusion matrix when items with score ≥ threshold are flagged (threshold may be any number). */
export function confusionAt(sweep: ThresholdSweep, threshold: number): {tp: number; fp: number; fn: number; tn: number} {
  // The last distinct score still ≥ threshold: thresholds are decreasing, so binary-search the boundary.
  let lo = 0;
  let hi = sweep.thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sweep.thresholds[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  const tp = lo === 0 ? 0 : sweep.tp[lo - 1];
  const fp = lo === 0 ? 0 : sweep.fp[lo - 1];
  return {tp, fp, fn: sweep.positives - tp, tn: sweep.negatives - fp};
}

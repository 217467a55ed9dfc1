// Precision against recall at every distinct threshold, as scikit-learn's precision_recall_curve:
// ordered by increasing threshold, ending with the point (recall 0, precision 1) that has no threshold.
// Null when there are no positives (sklearn then sets recall to 1 everywhere and warns).
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** One fewer than the points: the last point is the conventional (0, 1). */
  thresholds: Float64Array;
}

export function precisionRecallCurve(sweep: ThresholdSweep): PrecisionRecallCurve | null {
  if (sweep.positives === 0) return null;
  const n = sweep.thresholds.length;
  const precision = new Float64Array(n + 1);
  const recall = new Float64Array(n + 1);
  const thresholds = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = n - 1 - k;
    precision[k] = sweep.tp[i] / (sweep.tp[i] + sweep.fp[i]);
    recall[k] = sweep.tp[i] / sweep.positives;
    thresholds[k] = sweep.thresholds[i];
  }
  precision[n] = 1;
  recall[n] = 0;
  return {precision, recall, thresholds};
}

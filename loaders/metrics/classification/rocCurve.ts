// Receiver operating characteristic, as scikit-learn's roc_curve: false-positive rate against
// true-positive rate at every distinct threshold, starting at (0, 0) with a threshold above every
// score. Undefined (null) when the labels hold only one class: one of the two rates has no denominator.
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] is Infinity (sklearn ≥ 1.3; 1.2 used max score + 1): nothing is flagged there. */
  thresholds: Float64Array;
}

export function rocCurve(sweep: ThresholdSweep<Float64Array>, {dropIntermediate = true} = {}): RocCurve | null {
  if (sweep.positives === 0 || sweep.negatives === 0) return null;
  const keep = dropIntermediate ? cornerIndices(sweep) : sweep.thresholds.map((_, i) => i);
  const m = keep.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  keep.forEach((i, k) => {
    fpr[k + 1] = sweep.fp[i] / sweep.negatives;
    tpr[k + 1] = sweep.tp[i] / sweep.positives;
    thresholds[k + 1] = sweep.thresholds[i];
  });
  return {fpr, tpr, thresholds};
}

/** sklearn's drop_intermediate: keep the ends and every point where fps or tps changes slope. */
function cornerIndices({tp, fp}: ThresholdSweep<Float64Array>): Float64Array {
  const n = tp.length;
  if (n <= 2) return tp.map((_, i) => i);
  const keep: number[] = [0];
  for (let i = 1; i < n - 1; i++) {
    if (fp[i + 1] - 2 * fp[i] + fp[i - 1] !== 0 || tp[i + 1] - 2 * tp[i] + tp[i - 1] !== 0) keep.push(i);
  }
  keep.push(n - 1);
  return Float64Array.from(keep);
}

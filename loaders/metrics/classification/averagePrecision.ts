// Average precision, as scikit-learn's average_precision_score: the step-function integral
// Σ (Rₖ − Rₖ₋₁) Pₖ over thresholds from the highest down, with no interpolation. Null when there are
// no positives (sklearn returns 0 with a warning: there is nothing to recall).
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

export function averagePrecision(sweep: ThresholdSweep): number | null {
  if (sweep.positives === 0) return null;
  let sum = 0;
  let tp0 = 0;
  for (let i = 0; i < sweep.tp.length; i++) {
    if (sweep.tp[i] !== tp0) sum += ((sweep.tp[i] - tp0) * sweep.tp[i]) / (sweep.tp[i] + sweep.fp[i]);
    tp0 = sweep.tp[i];
  }
  return sum / sweep.positives;
}

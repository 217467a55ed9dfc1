// Selective prediction: auto-handle only the items whose confidence is at least t and send the rest
// to a person. At each distinct confidence, coverage is the share auto-handled and accuracy the share
// of those the model got right — the precision and flagged share of the sweep over (confidence, correct).
import {wilsonInterval, type Rate} from "../../../src/lib/metrics/wilson.js";
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

export interface CoverageAtAccuracy {
  /** Auto-handle items with confidence ≥ threshold. */
  threshold: number;
  covered: number;
  correct: number;
  coverage: Rate;
  accuracy: Rate;
}

/**
 * The widest coverage whose accuracy reaches the target; null when no threshold reaches it (or there
 * are no items). Accuracy is not monotone in the threshold, so every threshold is checked.
 */
export function coverageAtAccuracy(sweep: ThresholdSweep, target: number): CoverageAtAccuracy | null {
  if (!(target > 0 && target <= 1))
    throw new RangeError(`coverageAtAccuracy: target accuracy must be in (0, 1], got ${target}`);
  const n = sweep.positives + sweep.negatives;
  for (let i = sweep.thresholds.length - 1; i >= 0; i--) {
    const covered = sweep.tp[i] + sweep.fp[i];
    if (sweep.tp[i] / covered >= target) {
      return {
        threshold: sweep.thresholds[i],
        covered,
        correct: sweep.tp[i],
        coverage: wilsonInterval(covered, n),
        accuracy: wilsonInterval(sweep.tp[i], covered)
      };
    }
  }
  return null;
}

// Area under the ROC curve (scikit-learn's roc_auc_score for binary labels) and its 95% interval
// from DeLong's variance, which counts a tied positive–negative pair as half a win.
import {Z95} from "../../../src/lib/metrics/wilson.js";
import type {ScoreCounts} from "./scoreCounts.js";
import {totals} from "./scoreCounts.js";
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

/** Trapezoids between consecutive thresholds, in whole counts until the one division. Null with one class. */
export function rocAuc(sweep: ThresholdSweep): number | null {
  if (sweep.positives === 0 || sweep.negatives === 0) return null;
  let area = 0;
  let tp0 = 0;
  let fp0 = 0;
  for (let i = 0; i < sweep.tp.length; i++) {
    area += (sweep.fp[i] - fp0) * (sweep.tp[i] + tp0);
    tp0 = sweep.tp[i];
    fp0 = sweep.fp[i];
  }
  return area / (2 * sweep.positives * sweep.negatives);
}

export interface AucInterval {
  auc: number;
  /** DeLong variance of the AUC estimate; null with fewer than two positives or negatives. */
  variance: number | null;
  low: number | null;
  high: number | null;
}

export function aucInterval(counts: ScoreCounts, z = Z95): AucInterval | null {
  const {positives: P, negatives: N} = totals(counts);
  if (P === 0 || N === 0) return null;
  const n = counts.scores.length;
  // Placement values: for a positive at score s, the share of negatives it beats (ties count half);
  // for a negative, the share of positives that beat it. Scores run from high to low.
  // (The loop has the shape of thresholdSweep's cumulative counts in src/lib/, deliberately not shared:
  // these are half-weighted shares of the other class, not counts.)
  const v10 = new Float64Array(n);
  const v01 = new Float64Array(n);
  let negativesAbove = 0;
  let positivesAbove = 0;
  for (let i = 0; i < n; i++) {
    v01[i] = (positivesAbove + counts.positives[i] / 2) / P;
    positivesAbove += counts.positives[i];
    v10[i] = (N - negativesAbove - counts.negatives[i] / 2) / N;
    negativesAbove += counts.negatives[i];
  }
  let auc = 0;
  for (let i = 0; i < n; i++) auc += counts.positives[i] * v10[i];
  auc /= P;
  if (P < 2 || N < 2) return {auc, variance: null, low: null, high: null};
  let s10 = 0;
  let s01 = 0;
  for (let i = 0; i < n; i++) {
    s10 += counts.positives[i] * (v10[i] - auc) ** 2;
    s01 += counts.negatives[i] * (v01[i] - auc) ** 2;
  }
  const variance = s10 / (P - 1) / P + s01 / (N - 1) / N;
  const half = z * Math.sqrt(variance);
  return {auc, variance, low: Math.max(0, auc - half), high: Math.min(1, auc + half)};
}

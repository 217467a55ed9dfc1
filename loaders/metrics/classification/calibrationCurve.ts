// Reliability diagram data, as scikit-learn's calibration_curve(strategy="uniform"): equal-width bins
// over [0, 1]; a score on an inner edge falls in the bin below it (numpy searchsorted, side="left").
// Unlike sklearn, empty bins are kept (count 0, means null) so every bin can be drawn or labelled.
import type {ScoreCounts} from "./scoreCounts.js";

export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  /** Mean score in the bin (sklearn's prob_pred); null when the bin is empty. */
  meanPredicted: number | null;
  /** Share of positives in the bin (sklearn's prob_true); null when the bin is empty. */
  fractionPositive: number | null;
  positives: number;
}

/** numpy.linspace(0, 1, bins + 1): i × step, with the last edge exactly 1. */
export function uniformEdges(bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`calibrationCurve: bins must be a positive whole number, got ${bins}`);
  const step = 1 / bins;
  const edges = Float64Array.from({length: bins + 1}, (_, i) => i * step);
  edges[bins] = 1;
  return edges;
}

export function calibrationCurve(counts: ScoreCounts, {bins = 10} = {}): CalibrationBin[] {
  const edges = uniformEdges(bins);
  const total = new Float64Array(bins);
  const sums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  // Scores arrive highest first, so the bin only ever moves down.
  let b = bins - 1;
  for (let i = 0; i < counts.scores.length; i++) {
    const s = counts.scores[i];
    if (!(s >= 0 && s <= 1)) throw new RangeError(`calibrationCurve: scores must be probabilities in [0, 1], got ${s}`);
    const n = counts.positives[i] + counts.negatives[i];
    while (b > 0 && !(edges[b] < s)) b--;
    total[b] += n;
    sums[b] += s * n;
    positives[b] += counts.positives[i];
  }
  return Array.from({length: bins}, (_, b) => ({
    low: edges[b],
    high: edges[b + 1],
    count: total[b],
    meanPredicted: total[b] ? sums[b] / total[b] : null,
    fractionPositive: total[b] ? positives[b] / total[b] : null,
    positives: positives[b]
  }));
}

/** Expected calibration error: Σ (nᵦ / N) |fraction positive − mean score| over the bins. Null when empty. */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number | null {
  let n = 0;
  let gap = 0;
  for (const b of bins) {
    if (!b.count) continue;
    n += b.count;
    gap += b.count * Math.abs(b.fractionPositive! - b.meanPredicted!);
  }
  return n ? gap / n : null;
}

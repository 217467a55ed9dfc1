// Sample-ratio mismatch: Pearson's χ² goodness-of-fit test of the units counted in each variant
// against the split the experiment was designed with. A tiny p-value means assignment or logging is
// broken (a variant loses users before they are counted), so no metric comparison can be trusted.
import {chiSquareSurvival} from "../../../src/lib/metrics/chiSquare.js";

/** The conventional SRM threshold: much stricter than 0.05 because the check runs on every look. */
export const SRM_ALPHA = 0.001;

export interface SampleRatioCheck {
  observed: number[];
  expected: number[];
  statistic: number;
  df: number;
  pValue: number;
  mismatch: boolean;
}

export function sampleRatioCheck(
  observed: readonly number[],
  weights: readonly number[],
  alpha = SRM_ALPHA
): SampleRatioCheck {
  if (observed.length !== weights.length || observed.length < 2)
    throw new RangeError(
      `sampleRatioCheck: need ≥ 2 variants and one weight per variant, got ${observed.length} counts and ${weights.length} weights`
    );
  for (const c of observed)
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`sampleRatioCheck: counts must be integers ≥ 0, got ${c}`);
  for (const w of weights)
    if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`sampleRatioCheck: weights must be > 0, got ${w}`);
  const total = observed.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  const statistic = total === 0 ? 0 : observed.reduce((s, o, i) => s + (o - expected[i]) ** 2 / expected[i], 0);
  const df = observed.length - 1;
  const pValue = chiSquareSurvival(statistic, df);
  return {observed: [...observed], expected, statistic, df, pValue, mismatch: pValue < alpha};
}

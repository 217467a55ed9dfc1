// What a rate measured on n cases can rule out. "Not significantly worse" on 50 cases does not mean
// "equivalent": a difference smaller than the minimum detectable difference would usually go unseen.
// The normal approximation for one proportion against a fixed value, two-sided at level alpha with
// the given power: MDD = (z₁₋α/₂ + z_power) · √(p(1 − p) / n). For two proportions on unpaired samples
// of n each, the variance doubles (√2 · MDD); paired designs fall between the two.
import {normalQuantile} from "./normal.js";

export interface DetectableOptions {
  /** Two-sided significance level; defaults to 0.05. */
  alpha?: number;
  /** Chance of detecting a true difference of that size; defaults to 0.8. */
  power?: number;
  /** Samples compared: 1 (a rate against a threshold) or 2 (two independent rates); defaults to 1. */
  samples?: 1 | 2;
}

/** The smallest true difference (in rate units) detected with the given power at this n, or null when n = 0. */
export function minimumDetectableDifference(
  rate: number,
  n: number,
  {alpha = 0.05, power = 0.8, samples = 1}: DetectableOptions = {}
): number | null {
  if (!(rate >= 0 && rate <= 1))
    throw new RangeError(`minimumDetectableDifference: rate must be in [0, 1], got ${rate}`);
  if (!(n > 0)) return null;
  // A rate of exactly 0 or 1 has no observed variance; plan with the nearest rate one case could show.
  const p = Math.min(Math.max(rate, 1 / (2 * n)), 1 - 1 / (2 * n));
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return z * Math.sqrt((samples * p * (1 - p)) / n);
}

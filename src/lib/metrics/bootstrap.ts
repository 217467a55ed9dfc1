// Percentile bootstrap interval for a mean: resample the values with replacement B times, and take
// the α/2 and 1 − α/2 type-7 quantiles of the resampled means (scipy.stats.bootstrap's
// method='percentile'). Seeded, so the same values give the same interval on every build.
import {quantileSorted} from "./quantile.js";
import {seededRandom} from "./seededRandom.js";
import type {MeanInterval} from "./tMeanInterval.js";

// The shape tMeanInterval defines, so the two methods stay interchangeable.
export type {MeanInterval};

export interface BootstrapOptions {
  /** Number of resamples; defaults to 2000. */
  resamples?: number;
  /** PRNG seed; defaults to 1. */
  seed?: number;
  /** Confidence level; defaults to 0.95. */
  confidence?: number;
}

export function bootstrapMeanInterval(
  values: ArrayLike<number>,
  {resamples = 2000, seed = 1, confidence = 0.95}: BootstrapOptions = {}
): MeanInterval {
  const n = values.length;
  if (n === 0) return {mean: null, n, low: null, high: null, method: "bootstrap"};
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  return {
    mean: sumOf(values) / n,
    n,
    low: quantileSorted(means, tail),
    high: quantileSorted(means, 1 - tail),
    method: "bootstrap"
  };
}

function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

// A 95% interval for a mean. From moments (n, mean, standard deviation), the Student t interval
// mean ± t(0.975, n − 1)·s/√n, which SQL can feed for every run at once. From values, the seeded
// percentile bootstrap up to BOOTSTRAP_MAX_N values and the t interval beyond: from a couple of
// thousand values on the two agree to the third decimal (the central limit theorem), while the
// bootstrap's cost grows with n × resamples — a bake-off of a hundred 5,000-case runs would take
// a billion draws. Bounds are clipped to [lower, upper] when the quantity is bounded
// (scores live in [0, 1]).
import {bootstrapMeanInterval, type BootstrapOptions, type MeanInterval} from "./bootstrap.js";
import {studentTQuantile} from "./studentT.js";

export interface Bounds {
  lower?: number;
  upper?: number;
}

/** Largest n the bootstrap is used for; beyond it, the t interval. */
export const BOOTSTRAP_MAX_N = 2000;

export function tMeanInterval(
  n: number,
  mean: number | null,
  sd: number | null,
  {lower = -Infinity, upper = Infinity}: Bounds = {},
  confidence = 0.95
): MeanInterval {
  if (n === 0 || mean === null) return {mean: null, n, low: null, high: null, method: "t"};
  if (n === 1 || sd === null) return {mean, n, low: null, high: null, method: "t"};
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return {mean, n, low: Math.max(lower, mean - half), high: Math.min(upper, mean + half), method: "t"};
}

export function meanInterval(
  values: ArrayLike<number>,
  {
    bootstrapMaxN = BOOTSTRAP_MAX_N,
    bounds = {},
    ...options
  }: BootstrapOptions & {bootstrapMaxN?: number; bounds?: Bounds} = {}
): MeanInterval {
  if (values.length <= bootstrapMaxN) return bootstrapMeanInterval(values, options);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  for (let i = 0; i < values.length; i++) sumSq += (values[i] - mean) ** 2;
  return tMeanInterval(values.length, mean, Math.sqrt(sumSq / (values.length - 1)), bounds, options.confidence);
}

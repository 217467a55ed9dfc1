// A 95% interval for a mean. From moments (n, mean, standard deviation), the Student t interval
// (src/lib/metrics/tMeanInterval.ts), which SQL can feed for every run at once. From values, the seeded
// percentile bootstrap up to BOOTSTRAP_MAX_N values and the t interval beyond: from a couple of
// thousand values on the two agree to the third decimal (the central limit theorem), while the
// bootstrap's cost grows with n × resamples — a bake-off of a hundred 5,000-case runs would take
// a billion draws. Bounds are clipped to [lower, upper] when the quantity is bounded
// (scores live in [0, 1]).
import {bootstrapMeanInterval, type BootstrapOptions, type MeanInterval} from "./bootstrap.js";
import {tMeanInterval, type Bounds} from "./tMeanInterval.js";

// The t interval from moments (tMeanInterval.ts), re-exported for the loaders that import it from here.
export {tMeanInterval, type Bounds};

/** Largest n the bootstrap is used for; beyond it, the t interval. */
export const BOOTSTRAP_MAX_N = 2000;

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

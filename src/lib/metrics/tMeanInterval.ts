// A 95% interval for a mean from its moments (n, mean, standard deviation): the Student t interval
// mean ± t(0.975, n − 1)·s/√n, which SQL can feed for every run at once. Bounds are clipped to
// [lower, upper] when the quantity is bounded (scores live in [0, 1]). Here rather than in
// loaders/metrics/ because eval triage recomputes run scores in the browser on a filtered slice.
import {studentTQuantile} from "./studentT.js";

export interface Bounds {
  lower?: number;
  upper?: number;
}

/** A mean with its interval and n; `method` says how the interval was found. */
export interface MeanInterval {
  mean: number | null;
  n: number;
  low: number | null;
  high: number | null;
  method: "bootstrap" | "t";
}

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

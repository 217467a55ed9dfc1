// Exact planting: a story's magnitude is set by counts, not left to sampling noise, so the
// numbers the pages find are the numbers recorded in story.ts.
import {normal, range, shuffle} from "./distributions.js";
import type {Rng} from "./random.js";

/** Exactly round(rate × n) passes; the easiest items pass, so the same cases tend to fail across runs. */
export function passesByDifficulty(rng: Rng, difficulties: readonly number[], rate: number, noise = 0.35): boolean[] {
  const n = difficulties.length;
  const keyed = range(n).map((i) => ({i, key: difficulties[i]! + noise * normal(rng)}));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  const passed = new Array<boolean>(n).fill(false);
  const count = Math.round(rate * n);
  for (let r = 0; r < count; r++) passed[keyed[r]!.i] = true;
  return passed;
}

/** Exactly k of the given indices, chosen at random. */
export function pickExactly(rng: Rng, indices: readonly number[], k: number): Set<number> {
  return new Set(shuffle(rng, indices).slice(0, k));
}

/** n items split by the given shares (largest remainder, so counts are exact), in random order. */
export function allocate<K extends string>(rng: Rng, shares: Readonly<Record<K, number>>, n: number): K[] {
  const entries = Object.entries(shares) as [K, number][];
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  const exact = entries.map(([, share]) => (share / total) * n);
  const counts = exact.map((x) => Math.floor(x));
  const byRemainder = range(entries.length).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (const i of byRemainder.slice(0, n - counts.reduce((x, y) => x + y, 0))) counts[i]!++;
  return shuffle(
    rng,
    entries.flatMap(([key], i) => new Array<K>(counts[i]!).fill(key))
  );
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** n lognormal draws, one per equal-probability stratum, in random order: the sample's quantiles match the distribution's. */
export function stratifiedLognormal(rng: Rng, n: number, median: number, sigma: number): number[] {
  return shuffle(rng, range(n)).map((stratum) => median * Math.exp(sigma * inverseNormal((stratum + rng()) / n)));
}

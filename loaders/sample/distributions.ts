// Draws from a seeded Rng. Every helper consumes the generator; none keeps hidden state.
import type {Rng} from "./random.js";

export const uniform = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();

/** An integer in [min, max], both inclusive. */
export const integer = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

export const bernoulli = (rng: Rng, p: number): boolean => rng() < p;

export function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = 1 - rng();
  const v = rng();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const lognormal = (rng: Rng, median: number, sigma: number): number => median * Math.exp(sigma * normal(rng));

export const choice = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let x = rng() * total;
  for (const [key, w] of entries) if ((x -= w) < 0) return key;
  return entries[entries.length - 1]![0];
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function hex(rng: Rng, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(rng() * 4294967296).toString(16).padStart(8, "0");
  return out.slice(0, length);
}

export const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);

export const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

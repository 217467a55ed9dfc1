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

const weightTables = new WeakMap<object, {keys: string[]; cumulative: number[]}>();

function weightTable(weights: Readonly<Partial<Record<string, number>>>): {keys: string[]; cumulative: number[]} {
  let table = weightTables.get(weights);
  if (!table) {
    const entries = Object.entries(weights).filter((e): e is [string, number] => e[1] !== undefined);
    let sum = 0;
    table = {keys: entries.map(([k]) => k), cumulative: entries.map(([, w]) => (sum += w))};
    weightTables.set(weights, table);
  }
  return table;
}

/** A key drawn with probability proportional to its weight. Weight objects are treated as immutable. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Partial<Record<K, number>>>): K {
  const {keys, cumulative} = weightTable(weights);
  const x = rng() * cumulative[cumulative.length - 1]!;
  for (let i = 0; i < keys.length; i++) if (x < cumulative[i]!) return keys[i] as K;
  return keys[keys.length - 1] as K;
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
  while (out.length < length)
    out += Math.floor(rng() * 4294967296)
      .toString(16)
      .padStart(8, "0");
  return out.slice(0, length);
}

export const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);

export const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

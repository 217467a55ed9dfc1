// Unsigned integers of any width up to 24 bits packed into base64, LSB first: eval triage's per-case
// figures (loaders/queries/triageOutcomes.ts) index each run's cases into a suite's distinct figures in
// as few bits as their count needs, and the bake-off's cases file (loaders/queries/bakeoffCases.ts)
// packs its options' scores against each suite's distinct scores (packDistinct) and its latencies,
// sorted, as gaps (packSortedGaps). Kept out
// of outcomes.ts, which the triage page loads on every visit: only the build and the filtered pages
// (src/components/triageRunSlice.ts, bakeoffSlice.ts) use it.
import {fromBase64, toBase64} from "./outcomes.js";

/**
 * Packs unsigned integers below 2 ** bits (bits 0–24) into base64, LSB first: value i is bits
 * [i * bits, (i + 1) * bits) of the byte string, so packBits(x, 2) is packOutcomes' layout (outcomes.ts). With 0 bits
 * (every value 0) the string is empty.
 */
export function packBits(values: ArrayLike<number>, bits: number): string {
  if (!Number.isInteger(bits) || bits < 0 || bits > 24) throw new RangeError(`packBits: ${bits} bits`);
  const bytes = new Uint8Array(Math.ceil((values.length * bits) / 8));
  for (let i = 0, at = 0; i < values.length; i++, at += bits) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits)
      throw new RangeError(`packBits: value ${v} at ${i} does not fit in ${bits} bits`);
    for (let b = 0; b < bits; b += 8 - ((at + b) & 7)) bytes[(at + b) >> 3] |= (v >> b) << ((at + b) & 7);
  }
  return toBase64(bytes);
}

/** The `count` values of `bits` bits each that packBits packed. */
export function unpackBits(packed: string, count: number, bits: number): Uint32Array {
  const values = new Uint32Array(count);
  if (bits === 0) return values;
  const bytes = fromBase64(packed, Math.ceil((count * bits) / 8), "unpackBits", `${count} values of ${bits} bits`);
  const mask = (1 << bits) - 1;
  for (let i = 0, at = 0; i < count; i++, at += bits) {
    const k = at >> 3;
    // Four bytes hold any 24-bit value that starts within the first.
    const window = bytes[k] | ((bytes[k + 1] ?? 0) << 8) | ((bytes[k + 2] ?? 0) << 16) | ((bytes[k + 3] ?? 0) << 24);
    values[i] = (window >>> (at & 7)) & mask;
  }
  return values;
}

/** Lists of values packed against one list of their distinct values (packDistinct). */
export interface PackedDistinct<T> {
  /** The distinct values, in the order first seen. */
  values: T[];
  /** Bits per index: enough for values.length + 1 (0 stands for null). */
  bits: number;
  /** Each list as packBits of its indexes: 0 for null, k for values[k - 1]. */
  packed: string[];
}

/**
 * Lists of values (null where there is none) packed against one list of their distinct values, so a
 * value repeated across cases and options (a score, a latency) is written once: each list holds per
 * value an index into them in as few bits as their count needs. `key` tells values apart (JSON text
 * for tuples); `what` names the caller in the error when more than 2 ** 24 - 1 values are distinct.
 */
export function packDistinct<T>(
  lists: readonly (readonly (T | null)[])[],
  what: string,
  key: (value: T) => unknown = (value) => value
): PackedDistinct<T> {
  const values: T[] = [];
  const index = new Map<unknown, number>();
  const indexes = lists.map((list) =>
    list.map((value) => {
      if (value === null) return 0;
      const k = key(value);
      let at = index.get(k);
      if (at === undefined) index.set(k, (at = values.push(value)));
      return at;
    })
  );
  if (values.length >= 2 ** 24)
    throw new RangeError(`${what}: ${values.length} distinct values, more than 2 ** 24 - 1`);
  const bits = Math.ceil(Math.log2(values.length + 1));
  return {values, bits, packed: indexes.map((list) => packBits(list, bits))};
}

/** The `count` values of one list packDistinct packed against `values` in `bits` bits each (null for index 0). */
export function unpackDistinct<T>(values: readonly T[], packed: string, count: number, bits: number): (T | null)[] {
  return Array.from(unpackBits(packed, count, bits), (k, i) => {
    if (k > values.length)
      throw new RangeError(`unpackDistinct: index ${k} at ${i} is past the ${values.length} values`);
    return k === 0 ? null : values[k - 1];
  });
}

/**
 * Nondecreasing unsigned integers (ranks into sorted values) as the Elias-gamma codes of their gaps
 * (the first from 0), LSB first in base64: a gap g takes 2 * floor(log2(g + 1)) + 1 bits, so a sorted
 * list of many values from a short range costs a few bits a value (the bake-off's latencies per cell).
 */
export function packSortedGaps(values: ArrayLike<number>): string {
  const bits: number[] = [];
  for (let i = 0, previous = 0; i < values.length; previous = values[i++]) {
    const gap = values[i] - previous;
    if (!Number.isInteger(gap) || gap < 0 || values[i] >= 2 ** 31)
      throw new RangeError(`packSortedGaps: value ${values[i]} at ${i} is not an integer at or above ${previous}`);
    const x = gap + 1;
    const width = 31 - Math.clz32(x);
    for (let b = 0; b < width; b++) bits.push(0);
    for (let b = width; b >= 0; b--) bits.push((x >> b) & 1);
  }
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, k) => (bytes[k >> 3] |= bit << (k & 7)));
  return toBase64(bytes);
}

/** The `count` values packSortedGaps packed. */
export function unpackSortedGaps(packed: string, count: number): Uint32Array {
  const values = new Uint32Array(count);
  if (count === 0) return values;
  const bytes = fromBase64(packed, 0, "unpackSortedGaps", `${count} values`);
  const size = bytes.length * 8;
  const short = () => new RangeError(`unpackSortedGaps: ${packed.length} characters cannot hold ${count} values`);
  // Bit by bit without a closure per bit: the traces page's filter decodes about a million of these.
  let at = 0;
  for (let i = 0, previous = 0; i < count; i++) {
    let width = 0;
    for (; ; width++, at++) {
      if (at >= size) throw short();
      if ((bytes[at >> 3] >> (at & 7)) & 1) break;
    }
    if (++at + width > size) throw short();
    let x = 1;
    for (let b = 0; b < width; b++, at++) x = (x << 1) | ((bytes[at >> 3] >> (at & 7)) & 1);
    previous = values[i] = previous + x - 1;
  }
  return values;
}

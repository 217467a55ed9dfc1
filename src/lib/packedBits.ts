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

/** Bits of the order packSortedGaps writes first: 0–31. */
const ORDER_BITS = 5;

/**
 * Nondecreasing unsigned integers (ranks into sorted values) as the gaps between them (the first from
 * 0), each in an exponential-Golomb code of one order k for the whole list, LSB first in base64: the
 * list starts with k in 5 bits; a gap g is then the Elias-gamma code of (g >> k) + 1 followed by g's k
 * low bits. Order 0 is Elias-gamma (g = 0 in 1 bit, 2 * floor(log2(g + 1)) + 1 bits in general); a list
 * whose gaps are mostly of some size takes the order that codes it in the fewest bits among the five
 * around its mean gap's bit count (cheapestOrder counts them): gaps of about 70 ranks (2M spans' latencies) cost 8 bits at order 5,
 * against 13 in Elias-gamma, and an odd wide gap (the first, from 0) still costs only its logarithm.
 * An empty list is the empty string.
 */
export function packSortedGaps(values: ArrayLike<number>): string {
  if (values.length === 0) return "";
  const gaps = new Uint32Array(values.length);
  for (let i = 0, previous = 0; i < values.length; previous = values[i++]) {
    const gap = values[i] - previous;
    if (!Number.isInteger(gap) || gap < 0 || values[i] >= 2 ** 31)
      throw new RangeError(`packSortedGaps: value ${values[i]} at ${i} is not an integer at or above ${previous}`);
    gaps[i] = gap;
  }
  const {order, bits} = cheapestOrder(gaps);
  // Written straight into the bytes (their number known from the count of bits), bit by bit at a cursor.
  const bytes = new Uint8Array(Math.ceil((ORDER_BITS + bits) / 8));
  let at = 0;
  const put = (bit: number) => {
    bytes[at >> 3] |= bit << (at & 7);
    at++;
  };
  for (let b = 0; b < ORDER_BITS; b++) put((order >> b) & 1);
  for (const gap of gaps) {
    const x = (gap >>> order) + 1;
    const width = 31 - Math.clz32(x);
    at += width; // the width's zeros: the bytes start at zero
    for (let b = width; b >= 0; b--) put((x >> b) & 1);
    for (let b = 0; b < order; b++) put((gap >> b) & 1);
  }
  return toBase64(bytes);
}

/**
 * The order whose exponential-Golomb codes of the gaps are shortest (the lowest on a tie), among the
 * five around the bit count of the mean gap, where the shortest lies for gaps of one size (each order
 * counted is a pass over the list, and the traces cells pack millions of values a build).
 */
function cheapestOrder(gaps: Uint32Array): {order: number; bits: number} {
  let sum = 0;
  for (const gap of gaps) sum += gap;
  const around = 31 - Math.clz32(Math.max(1, Math.floor(sum / gaps.length)));
  let best = 0;
  let fewest = Infinity;
  for (let order = Math.max(0, around - 2); order <= Math.min(around + 2, 2 ** ORDER_BITS - 1); order++) {
    let total = 0;
    for (const gap of gaps) total += 2 * (31 - Math.clz32((gap >>> order) + 1)) + 1 + order;
    if (total < fewest) [best, fewest] = [order, total];
  }
  return {order: best, bits: fewest};
}

/** The `count` values packSortedGaps packed. */
export function unpackSortedGaps(packed: string, count: number): Uint32Array {
  const values = new Uint32Array(count);
  if (count === 0) return values;
  const bytes = fromBase64(packed, 0, "unpackSortedGaps", `${count} values`);
  const size = bytes.length * 8;
  const short = () => new RangeError(`unpackSortedGaps: ${packed.length} characters cannot hold ${count} values`);
  if (size < ORDER_BITS) throw short();
  // Bit by bit without a closure per bit: the traces page's filter decodes about a million of these.
  let order = 0;
  for (let b = 0; b < ORDER_BITS; b++) order |= ((bytes[b >> 3] >> (b & 7)) & 1) << b;
  let at = ORDER_BITS;
  for (let i = 0, previous = 0; i < count; i++) {
    let width = 0;
    for (; ; width++, at++) {
      if (at >= size) throw short();
      if ((bytes[at >> 3] >> (at & 7)) & 1) break;
    }
    if (++at + width + order > size) throw short();
    let x = 1;
    for (let b = 0; b < width; b++, at++) x = (x << 1) | ((bytes[at >> 3] >> (at & 7)) & 1);
    let low = 0;
    for (let b = 0; b < order; b++, at++) low |= ((bytes[at >> 3] >> (at & 7)) & 1) << b;
    previous = values[i] = previous + (((x - 1) << order) | low);
  }
  return values;
}

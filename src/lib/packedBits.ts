// Unsigned integers of any width up to 24 bits packed into base64, LSB first: eval triage's per-case
// figures (loaders/queries/triageOutcomes.ts) index each run's cases into a suite's distinct figures in
// as few bits as their count needs. Kept out of outcomes.ts, which the triage page loads on every visit:
// only the build and the filtered page (src/components/triageRunSlice.ts) use it.
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

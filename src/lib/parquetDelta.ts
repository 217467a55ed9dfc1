// Parquet's DELTA_BINARY_PACKED integers as JavaScript numbers, for src/components/parquetPlain.ts and the scan of dist/: the export's
// sorted timestamps (Parquet v2 writes them so, a few bits a row) and the value lengths of
// DELTA_LENGTH_BYTE_ARRAY text. hyparquet decodes INT64 with a BigInt per value, the cost
// parquetPlain exists to avoid; here every value stays a double, exact up to 2^53, and a page whose
// values or deltas leave that range is refused (-1), so the caller falls back to hyparquet.
//
// Layout (parquet-format, Encodings.md): a header of varints (values per block, miniblocks per block,
// value count, the first value as zigzag), then blocks of the deltas that follow: each the smallest
// delta as zigzag, one bit width per miniblock, then the miniblocks, each its deltas less the smallest,
// bit-packed least significant bit first. Every miniblock of a block has a width byte; only those
// holding values have a body, padded to the full miniblock.

/** Where the decoder is in the page. */
interface Cursor {
  at: number;
  readonly end: number;
}

/** An unsigned varint (ULEB128), or NaN when it runs past the page or above 2^53 − 1. */
function varint(bytes: Uint8Array, cursor: Cursor): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (cursor.at >= cursor.end) return NaN;
    const byte = bytes[cursor.at++];
    value += (byte & 0x7f) * scale;
    if (!(byte & 0x80)) return value <= Number.MAX_SAFE_INTEGER ? value : NaN;
    scale *= 128;
    if (scale > 2 ** 63) return NaN;
  }
}

/** A zigzag varint: 0, −1, 1, −2, … from 0, 1, 2, 3, … */
function zigzag(bytes: Uint8Array, cursor: Cursor): number {
  const z = varint(bytes, cursor);
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** `width` bits (at most 24) from bit `shift` of byte `at`, least significant first. */
function bits24(bytes: Uint8Array, at: number, shift: number, width: number): number {
  const word = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
  return (word >>> shift) & ((1 << width) - 1);
}

/** `width` bits (at most 53) from bit `shift` of byte `at`, in pieces of 24. */
function bitsWide(bytes: Uint8Array, at: number, shift: number, width: number): number {
  let value = 0;
  for (let done = 0; done < width; done += 24) {
    const bit = shift + done;
    value += bits24(bytes, at + (bit >> 3), bit & 7, Math.min(24, width - done)) * 2 ** done;
  }
  return value;
}

/** The value count in the DELTA_BINARY_PACKED header at byte `at`, or NaN when it is not one. */
export function deltaValueCount(bytes: Uint8Array, at: number, end: number): number {
  const cursor = {at, end};
  varint(bytes, cursor);
  varint(bytes, cursor);
  return varint(bytes, cursor);
}

/**
 * A miniblock of `n` deltas `width` (at most 48) bits wide from byte `at`, summed onto `value` into
 * out[i…]; returns the last value. Each byte is read once, into a buffer of bits; a delta wider than
 * 24 bits is taken as its low 24 bits and the rest.
 */
function unpackMiniblock(
  bytes: Uint8Array,
  at: number,
  width: number,
  n: number,
  minDelta: number,
  value: number,
  out: Float64Array,
  i: number
): number {
  const lowWidth = Math.min(width, 24);
  const highWidth = width - lowWidth;
  const lowMask = (1 << lowWidth) - 1;
  const highMask = (1 << highWidth) - 1;
  let buffer = 0;
  let buffered = 0;
  for (let k = 0; k < n; k++) {
    // Fewer than 24 bits buffered, plus 8: never past bit 31.
    while (buffered < lowWidth) {
      buffer |= bytes[at++] << buffered;
      buffered += 8;
    }
    let packed = buffer & lowMask;
    buffer >>>= lowWidth;
    buffered -= lowWidth;
    if (highWidth > 0) {
      while (buffered < highWidth) {
        buffer |= bytes[at++] << buffered;
        buffered += 8;
      }
      packed += (buffer & highMask) * 0x1000000;
      buffer >>>= highWidth;
      buffered -= highWidth;
    }
    value += minDelta + packed;
    out[i + k] = value;
  }
  return value;
}

/**
 * Decodes the DELTA_BINARY_PACKED values from byte `at` of `bytes` (not past `end`) into `out`, whose
 * length must be the header's value count. Returns the offset after them, or -1 when the page is not
 * well formed for this decoder (a count other than out's, a width over 53 bits, a value or delta
 * outside ±(2^53 − 1), bytes past `end`).
 */
export function deltaBinaryPacked(bytes: Uint8Array, at: number, end: number, out: Float64Array): number {
  const cursor = {at, end};
  const blockValues = varint(bytes, cursor);
  const miniblocks = varint(bytes, cursor);
  const count = varint(bytes, cursor);
  let value = zigzag(bytes, cursor);
  const perMiniblock = blockValues / miniblocks;
  if (count !== out.length || !Number.isInteger(perMiniblock) || perMiniblock % 8 !== 0 || Number.isNaN(value))
    return -1;
  if (count === 0) return cursor.at;
  out[0] = value;
  let i = 1;
  while (i < count) {
    const minDelta = zigzag(bytes, cursor);
    const widths = cursor.at;
    cursor.at += miniblocks;
    if (Number.isNaN(minDelta) || cursor.at > end) return -1;
    for (let m = 0; m < miniblocks && i < count; m++) {
      const width = bytes[widths + m];
      const n = Math.min(perMiniblock, count - i);
      const body = (perMiniblock * width) / 8;
      if (width > 53 || cursor.at + body > end) return -1;
      // Every partial sum lies within n steps of the smallest or largest delta: when those bounds are
      // well inside the safe range (2^52, room for the bounds' own rounding), so is each value, and the
      // loop need not check them one by one. Sorted timestamps (deltas of 23–33 bits) take this way.
      const low = value + n * Math.min(minDelta, 0);
      const high = value + n * Math.max(minDelta + 2 ** width - 1, 0);
      if (width <= 48 && low > -(2 ** 52) && high < 2 ** 52) {
        value = unpackMiniblock(bytes, cursor.at, width, n, minDelta, value, out, i);
        i += n;
      } else {
        for (let k = 0, bit = 0; k < n; k++, bit += width) {
          const packed =
            width <= 24
              ? bits24(bytes, cursor.at + (bit >> 3), bit & 7, width)
              : bitsWide(bytes, cursor.at + (bit >> 3), bit & 7, width);
          const delta = minDelta + packed;
          value += delta;
          // A sum of two safe integers is exact when it is itself safe: checking both keeps every value exact.
          if (delta > Number.MAX_SAFE_INTEGER || value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER)
            return -1;
          out[i++] = value;
        }
      }
      // A body is padded to the full miniblock, the last one too (what follows, such as text, starts after it).
      cursor.at += body;
    }
  }
  return cursor.at;
}

// Which columns of the exported tables a query reads, so the Explore page fetches only those
// (exploreData.ts), and how their values become Arrow. Pure: no DOM, no DuckDB.
import {
  Bool,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  TimestampMillisecond,
  Utf8,
  type DataType,
  type Vector
} from "apache-arrow";
import type {ExploreManifest} from "../../loaders/explore/export.js";

const word = /"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*)/g;
const star = /(?:\bselect\s+(?:distinct\s+)?|,\s*|\b[A-Za-z_][A-Za-z0-9_]*\.)\*/i;

/**
 * The tables a query reads and the columns it may use from each: every table whose name appears as a
 * word, with every one of its columns that appears as a word (all of them after a `*` in a select list).
 * Over-reading a column costs bytes, never a wrong answer; a table is loaded with at least one column
 * so that count(*) counts its rows.
 */
export function columnsUsed(sql: string, manifest: ExploreManifest): Map<string, string[]> {
  const words = new Set<string>();
  for (const m of sql.matchAll(word)) words.add((m[1]?.replaceAll('""', '"') ?? m[2]).toLowerCase());
  const all = star.test(sql);
  const used = new Map<string, string[]>();
  for (const table of manifest.tables) {
    if (!words.has(table.name) || table.columns.length === 0) continue;
    const named = table.columns.filter((c) => all || words.has(c.name.toLowerCase())).map((c) => c.name);
    used.set(
      table.name,
      named.length > 0
        ? named
        : [table.sortBy.find((c) => table.columns.some((col) => col.name === c)) ?? table.columns[0].name]
    );
  }
  return used;
}

/**
 * hyparquet's parsers for the exported timestamps (DuckDB writes them as microseconds): milliseconds
 * as plain numbers, which is what the Arrow column handed to DuckDB holds. hyparquet's default makes a
 * Date per value, and at 2M spans that was a third of the time a group-by-day query spent reading.
 */
export const timestampsAsMilliseconds = {
  timestampFromMilliseconds: (millis: bigint): number => Number(millis),
  timestampFromMicroseconds: (micros: bigint): number => truncatedQuotient(micros, 1000),
  timestampFromNanoseconds: (nanos: bigint): number => truncatedQuotient(nanos, 1_000_000)
};

/**
 * The parsers the columns loaded into DuckDB-wasm are read with: timestamps as above, and text kept as
 * the file's UTF-8 bytes, which utf8Vector copies into the Arrow column. Decoding each value to a
 * JavaScript string only to encode it back to UTF-8 was most of a text column's cost (at 2M spans,
 * trace_id's 2M distinct values).
 */
export const columnParsers = {
  ...timestampsAsMilliseconds,
  stringFromBytes: (bytes: Uint8Array | undefined): Uint8Array | undefined => bytes
};

/**
 * BigInt division rounded toward zero, in floating point where that is exact: a BigInt division
 * allocates a BigInt per value, and at 2M spans the start times cost about twice what this does.
 * Below 2^53 the number is exact, and x / d cannot round across an integer (x has at most 53 bits, so
 * the quotient keeps at least log2(d) bits of fraction while (d - 1) / d is 1/d from the next one).
 */
function truncatedQuotient(value: bigint, divisor: number): number {
  const exact = Number(value);
  // + 0 turns the -0 of a small negative quotient into the 0 BigInt division gives.
  return Number.isSafeInteger(exact) ? Math.trunc(exact / divisor) + 0 : Number(value / BigInt(divisor));
}

/** Distinct strings whose UTF-8 bytes utf8Vector keeps, so a repeated value (a model, a segment) is encoded once. */
const ENCODED_CACHE_LIMIT = 4096;

/**
 * Strings, or their UTF-8 bytes (null where missing), as an Arrow Utf8 vector, built directly from
 * offsets and bytes.
 * apache-arrow's vectorFromArray goes through a generic builder that re-encodes every value; at 700k
 * requests that was most of a filter's first load (8 text columns, about 6× the Parquet read itself,
 * measured in Node). Repeated values, which most text columns are, are encoded once.
 */
export function utf8Vector(values: readonly unknown[]): Vector<Utf8> {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const valid = new Uint8Array((length + 7) >> 3);
  const cache = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  let data = new Uint8Array(Math.max(1024, length * 8));
  let bytes = 0;
  let nulls = 0;
  const room = (needed: number) => {
    if (bytes + needed <= data.length) return;
    const grown = new Uint8Array(Math.max(data.length * 2, bytes + needed));
    grown.set(data.subarray(0, bytes));
    data = grown;
  };
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      nulls++;
      offsets[i + 1] = bytes;
      continue;
    }
    if (value instanceof Uint8Array) {
      // Already UTF-8 (the Parquet file's own bytes, read with columnParsers): copied, never decoded.
      room(value.length);
      data.set(value, bytes);
      bytes += value.length;
      valid[i >> 3] |= 1 << (i & 7);
      offsets[i + 1] = bytes;
      continue;
    }
    const text = String(value);
    const cached = cache.get(text);
    if (cached) {
      room(cached.length);
      data.set(cached, bytes);
      bytes += cached.length;
    } else {
      // A UTF-16 code unit takes at most 3 bytes of UTF-8.
      room(text.length * 3);
      const {written} = encoder.encodeInto(text, data.subarray(bytes));
      if (cache.size < ENCODED_CACHE_LIMIT) cache.set(text, data.slice(bytes, bytes + written));
      bytes += written;
    }
    valid[i >> 3] |= 1 << (i & 7);
    offsets[i + 1] = bytes;
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length,
      nullCount: nulls,
      nullBitmap: nulls > 0 ? valid : null,
      valueOffsets: offsets,
      data: data.subarray(0, bytes)
    })
  );
}

/** The Arrow type a non-text column of the manifest is handed to DuckDB as (DuckDB type → Arrow). */
export function arrowType(duckdbType: string): DataType {
  if (duckdbType === "DOUBLE") return new Float64();
  if (duckdbType === "INTEGER") return new Int32();
  if (duckdbType === "BIGINT") return new Int64();
  if (duckdbType === "BOOLEAN") return new Bool();
  if (duckdbType.startsWith("TIMESTAMP")) return new TimestampMillisecond();
  throw new Error(
    `Explore: no Arrow type for the DuckDB type ${duckdbType}; add it to arrowType in src/components/exploreColumns.ts.`
  );
}

const TWO_32 = 2 ** 32;

/**
 * Numbers, BigInts or booleans (null where missing, timestamps as epoch milliseconds) as an Arrow
 * vector of the column's type, written straight into its typed array. apache-arrow's vectorFromArray
 * runs a generic builder per value, and a BIGINT column first needed a BigInt made per value: at 2M
 * spans that was seconds per column. 64-bit values are written as two 32-bit halves, so a number
 * needs no BigInt.
 */
export function numberVector(values: readonly unknown[], duckdbType: string): Vector {
  const type = arrowType(duckdbType);
  const length = values.length;
  const valid = new Uint8Array((length + 7) >> 3);
  let nulls = 0;
  let data: Float64Array | Int32Array | BigInt64Array | Uint8Array;
  const present = (i: number): boolean => {
    const value = values[i];
    if (value === null || value === undefined) {
      nulls++;
      return false;
    }
    valid[i >> 3] |= 1 << (i & 7);
    return true;
  };
  if (type instanceof Float64) {
    const out = (data = new Float64Array(length));
    for (let i = 0; i < length; i++) if (present(i)) out[i] = Number(values[i]);
  } else if (type instanceof Int32) {
    const out = (data = new Int32Array(length));
    for (let i = 0; i < length; i++) if (present(i)) out[i] = Number(values[i]);
  } else if (type instanceof Bool) {
    const out = (data = new Uint8Array((length + 7) >> 3));
    for (let i = 0; i < length; i++) if (present(i) && values[i]) out[i >> 3] |= 1 << (i & 7);
  } else {
    // Int64 and timestamps: little-endian halves, low word first (Arrow's byte order).
    const big = (data = new BigInt64Array(length));
    const words = new Int32Array(big.buffer);
    for (let i = 0; i < length; i++) {
      if (!present(i)) continue;
      const value = values[i];
      if (typeof value === "bigint") big[i] = value;
      else {
        const n = Number(value);
        if (!Number.isSafeInteger(n))
          throw new Error(`Explore: ${String(value)} is not a whole number for a ${duckdbType} column`);
        const high = Math.floor(n / TWO_32);
        words[2 * i] = n - high * TWO_32;
        words[2 * i + 1] = high;
      }
    }
  }
  return makeVector(makeData({type, length, nullCount: nulls, nullBitmap: nulls > 0 ? valid : null, data} as never));
}

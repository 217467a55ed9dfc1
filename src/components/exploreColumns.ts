// Which columns of the exported tables a query reads, so the Explore page fetches only those
// (exploreData.ts), and how their values become Arrow. Pure: no DOM, no DuckDB.
import {makeData, makeVector, Utf8, type Vector} from "apache-arrow";
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
  timestampFromMicroseconds: (micros: bigint): number => Number(micros / 1000n),
  timestampFromNanoseconds: (nanos: bigint): number => Number(nanos / 1_000_000n)
};

/**
 * Bytes fetched from a Parquet file's end to find its footer (hyparquet's initialFetchSize, 512 KiB by
 * default). The sample's spans footer is about 24 KB, so the default fetched over a quarter of the
 * whole 1.8 MB file before any column; a footer larger than this costs one more request instead.
 */
export const FOOTER_FETCH_BYTES = 64 * 1024;

/** Distinct strings whose UTF-8 bytes utf8Vector keeps, so a repeated value (a model, a segment) is encoded once. */
const ENCODED_CACHE_LIMIT = 4096;

/**
 * Strings (null where missing) as an Arrow Utf8 vector, built directly from offsets and bytes.
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

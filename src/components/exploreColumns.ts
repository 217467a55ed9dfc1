// Which columns of the exported tables a query reads, so the Explore page fetches only those
// (exploreData.ts). Pure: no DOM, no DuckDB.
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

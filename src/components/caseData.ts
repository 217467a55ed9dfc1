// The rows a case view needs, read from the exported Parquet tables without DuckDB: first only the
// columns the filter reads (an id, a few slice columns), then every column of just the row groups
// that hold a match, cut to the matching rows. Over HTTP range requests that fetches the filter
// columns plus the matching groups' chunks, not the file; a host that ignores ranges answers with the
// whole file, which hyparquet then slices.
import {asyncBufferFromUrl, cachedAsyncBuffer, parquetMetadataAsync} from "hyparquet";
import type {AsyncBuffer, FileMetaData} from "hyparquet";
import {exploreHrefs} from "./exploreFiles.js";
import {matchingRows, type Matches, type Row} from "./rowRanges.js";

export type {Matches, Row};

const opened = new Map<string, Promise<{file: AsyncBuffer; metadata: FileMetaData}>>();

function open(table: string) {
  let found = opened.get(table);
  if (!found) {
    found = (async () => {
      const url = new URL(exploreHrefs[table], location.href).href;
      const file = cachedAsyncBuffer(await asyncBufferFromUrl({url}));
      return {file, metadata: await parquetMetadataAsync(file)};
    })();
    opened.set(table, found);
  }
  return found;
}

/**
 * Rows of an exported table that `match` keeps, in file order (by time); with a limit, the latest
 * `limit` of them. `filterColumns` are the only columns read for every row.
 */
export async function readMatching(
  table: string,
  filterColumns: readonly string[],
  match: (columns: Record<string, ArrayLike<unknown>>, i: number) => boolean,
  options: {limit?: number} = {}
): Promise<Matches> {
  const {file, metadata} = await open(table);
  return matchingRows(file, metadata, table, filterColumns, match, options);
}

/** Rows whose column equals value. */
export const readWhere = (table: string, column: string, value: string, options?: {limit?: number}) =>
  readMatching(table, [column], (c, i) => c[column][i] === value, options);

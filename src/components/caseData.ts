// The rows a case view needs, read from the exported Parquet tables without DuckDB: first only the
// columns the filter reads (an id, a few slice columns), then every column of just the row groups
// that hold a match, cut to the matching rows. Over HTTP range requests that fetches the filter
// columns plus the matching groups' chunks, not the file; a host that ignores ranges answers with the
// whole file, which hyparquet then slices.
import {openExported} from "./exploreFiles.js";
import {matchingRows, type Matches, type Row} from "./rowRanges.js";

export type {Matches, Row};

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
  const {file, metadata} = await openExported(table);
  return matchingRows(file, metadata, table, filterColumns, match, options);
}

/** Rows whose column equals value. */
export const readWhere = (table: string, column: string, value: string, options?: {limit?: number}) =>
  readMatching(table, [column], (c, i) => c[column][i] === value, options);

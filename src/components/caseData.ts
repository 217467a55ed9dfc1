// The rows a case view needs, read from the exported Parquet tables without DuckDB: first only the
// columns the filter reads (an id, a few slice columns), then every column of just the row groups
// that hold a match, cut to the matching rows. Over HTTP range requests that fetches the filter
// columns plus the matching groups' chunks, not the file; a host that ignores ranges answers with the
// whole file, which hyparquet then slices.
import {asyncBufferFromUrl, cachedAsyncBuffer, parquetMetadataAsync, parquetRead, parquetReadObjects} from "hyparquet";
import type {AsyncBuffer, FileMetaData} from "hyparquet";
import {exploreHrefs} from "./exploreFiles.js";
import {groupStarts, rangesFor} from "./rowRanges.js";

export type Row = Record<string, unknown>;

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

export interface Matches {
  rows: Row[];
  /** Rows that matched; more than rows.length when a limit cut them. */
  total: number;
  /** Whether the table is in the export at all (a workspace without flags exports an empty file). */
  columns: string[];
}

/**
 * Rows of an exported table that `match` keeps, in file order (by time); with a limit, the latest
 * `limit` of them. `filterColumns` are the only columns read for every row.
 */
export async function readMatching(
  table: string,
  filterColumns: readonly string[],
  match: (columns: Record<string, ArrayLike<unknown>>, i: number) => boolean,
  {limit = Infinity}: {limit?: number} = {}
): Promise<Matches> {
  const {file, metadata} = await open(table);
  const columns = metadata.schema.slice(1).map((e) => e.name);
  const rows = Number(metadata.num_rows);
  if (rows === 0) return {rows: [], total: 0, columns};
  const missing = filterColumns.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new Error(`the exported ${table} table has no column ${missing.join(", ")}; columns: ${columns.join(", ")}.`);
  const values: Record<string, unknown[]> = Object.fromEntries(filterColumns.map((c) => [c, new Array(rows)]));
  await parquetRead({
    file,
    metadata,
    columns: [...filterColumns],
    onChunk({columnName, columnData, rowStart}) {
      const target = values[columnName];
      if (target) for (let i = 0; i < columnData.length; i++) target[rowStart + i] = columnData[i];
    }
  });
  const indices: number[] = [];
  for (let i = 0; i < rows; i++) if (match(values, i)) indices.push(i);
  const wanted = indices.slice(Math.max(0, indices.length - limit));
  const keep = new Set(wanted);
  const starts = groupStarts(metadata.row_groups.map((g) => Number(g.num_rows)));
  const out: Row[] = [];
  for (const [rowStart, rowEnd] of rangesFor(wanted, starts)) {
    const read = await parquetReadObjects({file, metadata, rowStart, rowEnd});
    read.forEach((row, k) => keep.has(rowStart + k) && out.push(row));
  }
  return {rows: out, total: indices.length, columns};
}

/** Rows whose column equals value. */
export const readWhere = (table: string, column: string, value: string, options?: {limit?: number}) =>
  readMatching(table, [column], (c, i) => c[column][i] === value, options);

// The few rows of a Parquet file a case view needs (caseData.ts): the filter columns of every row
// first, then every column of only the row groups that hold a match. hyparquet reads whole column
// chunks of a row group anyway, so one range per group that holds a wanted row, from its first to its
// last, decodes each chunk once.
import {parquetRead, parquetReadObjects, type AsyncBuffer, type FileMetaData, type ParquetParsers} from "hyparquet";

export type Row = Record<string, unknown>;

/** First row of each row group, and the total: [0, g1, g2, …, rows]. */
export function groupStarts(groupRows: readonly number[]): number[] {
  const starts = [0];
  for (const n of groupRows) starts.push(starts.at(-1)! + n);
  return starts;
}

/** The row ranges [start, end) to read for the wanted rows: one per row group holding any, from its first to its last. */
export function rangesFor(indices: readonly number[], starts: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  let g = 0;
  for (const i of [...indices].sort((a, b) => a - b)) {
    while (i >= starts[g + 1]) g++;
    const last = ranges.at(-1);
    if (last && last[0] >= starts[g]) last[1] = i + 1;
    else ranges.push([i, i + 1]);
  }
  return ranges;
}

export interface Matches {
  rows: Row[];
  /** Rows that matched; more than rows.length when a limit cut them. */
  total: number;
  /** Whether the table is in the export at all (a workspace without flags exports an empty file). */
  columns: string[];
}

/**
 * Rows of a Parquet file that `match` keeps, in file order; with a limit, the last `limit` of them.
 * Reads `filterColumns` for every row, then every column of only the row groups holding a kept row.
 * `table` names the file in errors.
 */
export async function matchingRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  table: string,
  filterColumns: readonly string[],
  match: (columns: Record<string, ArrayLike<unknown>>, i: number) => boolean,
  {limit = Infinity}: {limit?: number} = {}
): Promise<Matches> {
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
  return {rows: await rowsAt(file, metadata, wanted), total: indices.length, columns};
}

/**
 * The rows of a Parquet file at the given indices, in file order, with the named columns (every one by
 * default): one read per row group holding any of them, so only those groups' chunks are fetched.
 * `parsers`: hyparquet's, as parquetRead takes them.
 */
export async function rowsAt(
  file: AsyncBuffer,
  metadata: FileMetaData,
  indices: readonly number[],
  {columns, parsers}: {columns?: readonly string[]; parsers?: Partial<ParquetParsers>} = {}
): Promise<Row[]> {
  const keep = new Set(indices);
  const starts = groupStarts(metadata.row_groups.map((g) => Number(g.num_rows)));
  const out: Row[] = [];
  for (const [rowStart, rowEnd] of rangesFor(indices, starts)) {
    const read = await parquetReadObjects({
      file,
      metadata,
      rowStart,
      rowEnd,
      ...(columns ? {columns: [...columns]} : {}),
      ...(parsers ? {parsers} : {})
    });
    read.forEach((row, k) => keep.has(rowStart + k) && out.push(row));
  }
  return out;
}

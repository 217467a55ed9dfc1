// Reading the exported Parquet files' columns into Arrow and handing them to DuckDB-wasm, row group by
// row group: the I/O half of exploreData.ts, without the page's FileAttachment, so that the unit tests
// run it against hyparquet's generic read and DuckDB's own reading of the file.
import {Table, tableToIPC, type Vector} from "apache-arrow";
import {parquetRead, type AsyncBuffer, type FileMetaData} from "hyparquet";
import type {ExportPlan} from "../../loaders/explore/export.js";
import {columnParsers, numberVector, utf8Vector} from "./exploreColumns.js";
import {readPlainColumn} from "./parquetPlain.js";

/**
 * The named columns of a Parquet file as Arrow vectors, in file order, with when the Parquet read ended
 * and when the vectors were built (exploreData.ts counts the times).
 */
export async function decodeColumns(
  file: AsyncBuffer,
  metadata: FileMetaData,
  plan: ExportPlan,
  names: readonly string[]
): Promise<{vectors: Map<string, Vector>; decoded: number; built: number}> {
  const rows = Number(metadata.num_rows);
  // Text and timestamps straight into Arrow (parquetPlain.ts); hyparquet reads the others. All at
  // once, so that every column's row groups are fetched together.
  const plain = new Map<string, Vector>();
  const direct = await Promise.all(names.map((name) => readPlainColumn(file, metadata, name)));
  direct.forEach((vector, i) => vector && plain.set(names[i], vector));
  const rest = names.filter((name) => !plain.has(name));
  const values = new Map(rest.map((name) => [name, new Array<unknown>(rows)]));
  if (rest.length)
    await parquetRead({
      file,
      metadata,
      columns: rest,
      parsers: columnParsers,
      onChunk({columnName, columnData, rowStart}) {
        const target = values.get(columnName);
        if (!target) return;
        for (let i = 0; i < columnData.length; i++) target[rowStart + i] = columnData[i];
      }
    });
  const decoded = performance.now();
  const vectors = new Map<string, Vector>();
  for (const name of names) {
    const type = plan.columns.find((c) => c.name === name)!.type;
    const read = plain.get(name) ?? values.get(name)!;
    vectors.set(name, !Array.isArray(read) ? read : type === "VARCHAR" ? utf8Vector(read) : numberVector(read, type));
  }
  return {vectors, decoded, built: performance.now()};
}

/** Each row group of a file as a file of its own (its footer with that group alone), or the file itself when it has none. */
export function rowGroupFiles(metadata: FileMetaData): FileMetaData[] {
  if (metadata.row_groups.length === 0) return [metadata];
  return metadata.row_groups.map((group) => ({...metadata, row_groups: [group], num_rows: group.num_rows}));
}

/** The calls of DuckDB-wasm's connection used here: its async one on the pages, its blocking one in the tests. */
export interface InsertConnection {
  query(sql: string): unknown;
  insertArrowFromIPCStream(buffer: Uint8Array, options: {name: string; create: boolean}): unknown;
}

/**
 * The tables, in order, as DuckDB's table `name`, replacing it: the first creates it, each next one is
 * appended as soon as it is ready and the one before it is in, so the rows keep their order (rowid is
 * the file's row). Returns the milliseconds spent waiting on DuckDB-wasm.
 */
export async function insertInOrder(
  connection: InsertConnection,
  name: string,
  tables: readonly Promise<Table>[]
): Promise<number> {
  // A failed part stops the insert; the parts still being read then end unawaited.
  for (const table of tables) table.catch(() => {});
  let waited = 0;
  for (let i = 0; i < tables.length; i++) {
    const table = await tables[i];
    const started = performance.now();
    if (i === 0) await connection.query(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
    // As IPC bytes, not as a Table: this module's apache-arrow is not the copy inside DuckDB-wasm's bundle.
    await connection.insertArrowFromIPCStream(tableToIPC(table, "stream"), {name, create: i === 0});
    waited += performance.now() - started;
  }
  return waited;
}

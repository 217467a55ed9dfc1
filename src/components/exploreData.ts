// The exported tables (loaders/explore/) as a DuckDB-wasm database in the browser, for the Explore
// page and workspace notebooks. DuckDB-wasm 1.29 has no Parquet reader without fetching an extension
// from DuckDB's host, so hyparquet reads the files, over HTTP range requests, only the columns a query
// names, and hands them to DuckDB as Arrow. A host that ignores ranges answers 200 with the whole file,
// which hyparquet then keeps and slices (the fallback).
import {Table, tableToIPC, type Vector} from "apache-arrow";
import {parquetRead, type AsyncBuffer, type FileMetaData} from "hyparquet";
import {FileAttachment} from "observablehq:stdlib";
import type {DuckDBClient} from "observablehq:stdlib/duckdb";
import type {ExploreManifest, ExportPlan} from "../../loaders/explore/export.js";
import {columnParsers, columnsUsed, numberVector, utf8Vector} from "./exploreColumns.js";
import {openExported} from "./exploreFiles.js";
import {chunkRange, plainKind, readPlainColumn} from "./parquetPlain.js";

export type {ExploreManifest, ExportPlan};

export const exploreManifest = (): Promise<ExploreManifest> => FileAttachment("../data/explore/manifest.json").json();

/**
 * Where the columns' loading time went so far (this page): fetching and decoding the Parquet pages
 * (hyparquet), building the Arrow vectors, waiting for DuckDB-wasm's insert after the last row group
 * was read (insertMs) and its inserts' own time, most of it beside the read (insertBusyMs); read by the
 * Chromium bench.
 */
export const loadStats = {readMs: 0, arrowMs: 0, insertMs: 0, insertBusyMs: 0, values: 0};

/** Each query's own time in DuckDB-wasm, columns already loaded (the start of its SQL, then ms), for the same bench. */
export const queryLog: {sql: string; ms: number}[] = [];

/**
 * Reads the named columns of a Parquet file into Arrow vectors, in file order: all its rows, or those of
 * the consecutive row groups `rowGroups` (ascending).
 */
export async function readColumns(
  file: AsyncBuffer,
  metadata: FileMetaData,
  plan: ExportPlan,
  names: readonly string[],
  {rowGroups}: {rowGroups?: readonly number[]} = {}
): Promise<Map<string, Vector>> {
  const started = performance.now();
  const before = rowGroups?.length ? metadata.row_groups.slice(0, rowGroups[0]) : [];
  const rowStart = before.reduce((sum, g) => sum + Number(g.num_rows), 0);
  const rows = rowGroups
    ? rowGroups.reduce((sum, i) => sum + Number(metadata.row_groups[i].num_rows), 0)
    : Number(metadata.num_rows);
  // Text and timestamps straight into Arrow (parquetPlain.ts); hyparquet reads the others. All at
  // once, so that every column's row groups are fetched together.
  const plain = new Map<string, Vector>();
  const direct = await Promise.all(names.map((name) => readPlainColumn(file, metadata, name, {rowGroups})));
  direct.forEach((vector, i) => vector && plain.set(names[i], vector));
  const rest = names.filter((name) => !plain.has(name));
  const values = new Map(rest.map((name) => [name, new Array<unknown>(rows)]));
  if (rest.length && rows > 0)
    await parquetRead({
      file,
      metadata,
      columns: rest,
      rowStart,
      rowEnd: rowStart + rows,
      parsers: columnParsers,
      onChunk({columnName, columnData, rowStart: at}) {
        const target = values.get(columnName);
        if (!target) return;
        // hyparquet may hand a row group's chunk whole, rows outside the range included.
        for (let i = Math.max(0, rowStart - at); i < columnData.length && at + i < rowStart + rows; i++)
          target[at + i - rowStart] = columnData[i];
      }
    });
  const decoded = performance.now();
  const vectors = new Map<string, Vector>();
  for (const name of names) {
    const type = plan.columns.find((c) => c.name === name)!.type;
    const read = plain.get(name) ?? values.get(name)!;
    vectors.set(name, !Array.isArray(read) ? read : type === "VARCHAR" ? utf8Vector(read) : numberVector(read, type));
  }
  loadStats.readMs += decoded - started;
  loadStats.arrowMs += performance.now() - decoded;
  loadStats.values += rows * names.length;
  return vectors;
}

/**
 * Starts fetching every row group's bytes of the named columns, in the ranges the reads will ask for
 * (readPlainColumn a chunk each; hyparquet its plan's, chunks of neighbouring columns together), so
 * that reading group by group finds each group's bytes fetched or on the way: the file remembers every
 * read (exportedFile.ts), a failed one until the next reader.
 */
async function prefetch(
  file: AsyncBuffer,
  metadata: FileMetaData,
  names: readonly string[]
): Promise<Promise<unknown>[]> {
  const plain = names.filter((name) => plainKind(metadata, name));
  const rest = names.filter((name) => !plain.includes(name));
  const ranges = metadata.row_groups.flatMap((group) => plain.map((name) => chunkRange(group, name)));
  if (rest.length) {
    // Imported here, as parquetPlain imports hyparquet's modules: only a load needs it.
    const {parquetPlan} = await import("hyparquet/src/plan.js");
    for (const {startByte, endByte} of parquetPlan({file, metadata, columns: [...rest]}).fetches)
      ranges.push([startByte, endByte]);
  }
  return ranges.map(([start, end]) => Promise.resolve(file.slice(start, end)));
}

/**
 * Rows of a table DuckDB-wasm inserts at once when a load goes row group by row group: each insert has a
 * cost of its own (about 10 ms, measured at 2M spans: 20 inserts of 100k rows took 212–320 ms warm, 5 of
 * 400k 120–177 ms, one of 2M 172 ms), and fewer, larger ones leave less of the insert beside the read.
 */
export const INSERT_BATCH_ROWS = 400_000;

/** The consecutive row groups of each insert, about INSERT_BATCH_ROWS rows each (one empty batch for a file without rows). */
export function insertBatches(metadata: FileMetaData, batchRows = INSERT_BATCH_ROWS): number[][] {
  const batches: number[][] = [];
  let rows = Infinity;
  metadata.row_groups.forEach((group, i) => {
    if (rows >= batchRows) {
      batches.push([]);
      rows = 0;
    }
    batches[batches.length - 1].push(i);
    rows += Number(group.num_rows);
  });
  return batches.length ? batches : [[]];
}

/** Columns to load, by table. */
export type TableColumns = Readonly<Record<string, readonly string[]>>;

export interface ExploreDatabase {
  manifest: ExploreManifest;
  /** Loads what the query needs, then runs it; the result is an Arrow table (rows via toArray()). */
  query(sql: string): Promise<any>;
  /**
   * Loads exactly the named columns of each table, for a page whose statements name more columns
   * than they read (columnsUsed takes every word that is a column of a table the statement names).
   */
  loadColumns(columns: TableColumns): Promise<void>;
  /**
   * Runs a statement over the columns loaded so far, loading none: for a page that loaded its own
   * with loadColumns (query would load every further column the statement names as a word).
   */
  queryLoaded(sql: string): Promise<any>;
  /** A tagged template for notebooks: const rows = await db.sql`SELECT …`. */
  sql(strings: TemplateStringsArray, ...params: unknown[]): Promise<any>;
  /** The columns loaded so far, per table. */
  loaded(): Map<string, string[]>;
}

/**
 * A DuckDB-wasm database over the exported tables; columns load on first use and stay loaded. The page
 * passes its DuckDBClient global: Framework copies its DuckDB module into the site only for a page that
 * names it, not for a component that imports it.
 */
export async function exploreDatabase(
  duckdb: Pick<typeof DuckDBClient, "of">,
  manifest?: ExploreManifest,
  {
    open = openExported,
    batchRows = INSERT_BATCH_ROWS
  }: {
    /** Opens a table's file (the site's, exploreFiles.ts; a test's own). */
    open?: (name: string) => Promise<{file: AsyncBuffer; metadata: FileMetaData}>;
    batchRows?: number;
  } = {}
): Promise<ExploreDatabase> {
  manifest ??= await exploreManifest();
  const client = await duckdb.of();
  // Each table's loaded columns, one map per insert batch of its file (insertBatches), in file order.
  const tables = new Map<string, Map<string, Vector>[]>();
  /**
   * Reads the `missing` columns of table `name` and makes DuckDB's table `name` every loaded column,
   * replacing it; its rows keep the file's order, so rowid is the file's row. Batch by batch: while this
   * thread reads a batch's row groups, DuckDB-wasm (in its own worker, the second core) appends the batch
   * before, so the insert runs beside the fetches and the decoding instead of after them (at 2M spans
   * it was a third of an Explore query's time after the read).
   */
  const load = async (name: string, plan: ExportPlan, missing: readonly string[]) => {
    const {file, metadata} = await open(name);
    const batches = tables.get(name) ?? [];
    // Until the load succeeds the table has no columns loaded: half a table must not answer a query.
    tables.delete(name);
    let failure: {error: unknown} | undefined;
    // A fetch that fails fails the load, as it did when each read fetched its own bytes, even if a read
    // then fetched them again (the file forgets a failed read): the next load starts afresh.
    for (const fetched of await prefetch(file, metadata, missing)) fetched.catch((error) => (failure ??= {error}));
    const connection = await client._db.connect();
    let inserted: Promise<void> = connection.query(`DROP TABLE IF EXISTS "${name}"`).then(() => undefined);
    let busy = 0;
    try {
      for (const [i, rowGroups] of insertBatches(metadata, batchRows).entries()) {
        // A failed fetch or insert ends the load at the next batch, not after every one is read.
        if (failure) throw failure.error;
        const batch = batches[i] ?? new Map<string, Vector>();
        for (const [column, vector] of await readColumns(file, metadata, plan, missing, {rowGroups}))
          batch.set(column, vector);
        batches[i] = batch;
        const ordered = plan.columns.map((c) => c.name).filter((c) => batch.has(c));
        // As IPC bytes, not as a Table: this module's apache-arrow is not the copy inside DuckDB-wasm's bundle.
        const bytes = tableToIPC(new Table(Object.fromEntries(ordered.map((c) => [c, batch.get(c)!]))), "stream");
        inserted = inserted.then(async () => {
          const started = performance.now();
          await connection.insertArrowFromIPCStream(bytes, {name, create: i === 0});
          busy += performance.now() - started;
        });
        inserted.catch((error: unknown) => (failure ??= {error}));
      }
      const waiting = performance.now();
      await inserted;
      if (failure) throw failure.error;
      loadStats.insertMs += performance.now() - waiting;
      loadStats.insertBusyMs += busy;
      tables.set(name, batches);
    } catch (error) {
      // The next load of the table starts afresh, from its file.
      await inserted.catch(() => undefined);
      await connection.query(`DROP TABLE IF EXISTS "${name}"`).catch(() => undefined);
      throw error;
    } finally {
      await connection.close();
    }
  };
  // One load at a time: two queries asking for the same new column must not insert the table twice.
  let loading: Promise<unknown> = Promise.resolve();
  // Each statement's columns of each table it names, as for the statement alone; then one insert per table.
  const columnsOf = (sqls: readonly string[]): TableColumns => {
    const used: Record<string, string[]> = {};
    for (const sql of sqls)
      for (const [name, columns] of columnsUsed(sql, manifest)) used[name] = [...(used[name] ?? []), ...columns];
    return used;
  };
  // A load that failed (a request dropped, a file gone) fails the statement that asked for it alone: the
  // next load starts once it has settled either way. Chained on `then` alone, one failure left `loading`
  // rejected, and every later query of the page failed with that first error until a reload.
  const ensure = (used: TableColumns) =>
    (loading = loading
      .catch(() => undefined)
      .then(async () => {
        for (const [name, wanted] of Object.entries(used)) {
          const plan = manifest.tables.find((t) => t.name === name);
          const unknown = wanted.filter((c) => !plan?.columns.some((col) => col.name === c));
          if (!plan || unknown.length)
            throw new Error(
              `Explore: the exported tables have no ${plan ? `column ${unknown.join(", ")} in` : "table"} ${name}`
            );
          const have = tables.get(name)?.[0];
          const missing = [...new Set(wanted)].filter((c) => !have?.has(c));
          if (missing.length) await load(name, plan, missing);
        }
      }));
  const queryLoaded = async (sql: string) => {
    // Waits for a load in progress; its failure is its own statement's to report.
    await loading.catch(() => undefined);
    const started = performance.now();
    const result = await client.query(sql);
    queryLog.push({sql: sql.replace(/\s+/g, " ").slice(0, 60), ms: performance.now() - started});
    return result;
  };
  const query = async (sql: string) => {
    await ensure(columnsOf([sql]));
    return queryLoaded(sql);
  };
  return {
    manifest,
    query,
    queryLoaded,
    loadColumns: async (columns) => void (await ensure(columns)),
    sql: (strings, ...params) => {
      const text = strings.join("?");
      return ensure(columnsOf([text])).then(() => client.query(text, params));
    },
    loaded: () => new Map([...tables].map(([name, groups]) => [name, [...(groups[0]?.keys() ?? [])]]))
  };
}

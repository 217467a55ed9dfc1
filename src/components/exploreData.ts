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
import {readPlainColumn} from "./parquetPlain.js";

export type {ExploreManifest, ExportPlan};

export const exploreManifest = (): Promise<ExploreManifest> => FileAttachment("../data/explore/manifest.json").json();

/**
 * Where the columns' loading time went so far (this page): fetching and decoding the Parquet pages
 * (hyparquet), building the Arrow vectors, and DuckDB-wasm's insert, of which `ipcMs` went to writing
 * the Arrow IPC stream on the page (the rest is the worker's); read by the Chromium bench.
 */
export const loadStats = {readMs: 0, arrowMs: 0, insertMs: 0, ipcMs: 0, values: 0};

/** Each query's own time in DuckDB-wasm, columns already loaded (the start of its SQL, then ms), for the same bench. */
export const queryLog: {sql: string; ms: number}[] = [];

/** Reads the named columns of a Parquet file into Arrow vectors, in file order. */
export async function readColumns(
  file: AsyncBuffer,
  metadata: FileMetaData,
  plan: ExportPlan,
  names: readonly string[]
): Promise<Map<string, Vector>> {
  const started = performance.now();
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
  loadStats.readMs += decoded - started;
  loadStats.arrowMs += performance.now() - decoded;
  loadStats.values += rows * names.length;
  return vectors;
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
    open = openExported
  }: {
    /** Opens a table's file: the site's (exploreFiles.ts), or a test's own. */
    open?: (name: string) => Promise<{file: AsyncBuffer; metadata: FileMetaData}>;
  } = {}
): Promise<ExploreDatabase> {
  manifest ??= await exploreManifest();
  const client = await duckdb.of();
  const vectors = new Map<string, Map<string, Vector>>();
  /** `table` as DuckDB's table `name`, replacing it; its rows keep their order, so rowid is the file's row. */
  const insert = async (name: string, table: Table) => {
    const inserting = performance.now();
    const connection = await client._db.connect();
    try {
      await connection.query(`DROP TABLE IF EXISTS "${name}"`);
      // As IPC bytes, not as a Table: this module's apache-arrow is not the copy inside DuckDB-wasm's bundle.
      const writing = performance.now();
      const stream = tableToIPC(table, "stream");
      loadStats.ipcMs += performance.now() - writing;
      await connection.insertArrowFromIPCStream(stream, {name, create: true});
    } finally {
      await connection.close();
      loadStats.insertMs += performance.now() - inserting;
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
          const have = new Map(vectors.get(name));
          const missing = [...new Set(wanted)].filter((c) => !have.has(c));
          if (missing.length === 0) continue;
          const {file, metadata} = await open(name);
          for (const [column, vector] of await readColumns(file, metadata, plan, missing)) have.set(column, vector);
          const ordered = plan.columns.map((c) => c.name).filter((c) => have.has(c));
          try {
            await insert(name, new Table(Object.fromEntries(ordered.map((c) => [c, have.get(c)!]))));
          } catch (error) {
            // The insert dropped the table first: no column of it is loaded now, so the next statement
            // that names one loads it again, where it would have found the table missing.
            vectors.delete(name);
            throw error;
          }
          vectors.set(name, have);
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
    loaded: () => new Map([...vectors].map(([name, columns]) => [name, [...columns.keys()]]))
  };
}

// The exported tables (loaders/explore/) as a DuckDB-wasm database in the browser, for the Explore
// page and workspace notebooks. DuckDB-wasm 1.29 has no Parquet reader without fetching an extension
// from DuckDB's host, so hyparquet reads the files, over HTTP range requests, only the columns a query
// names, and hands them to DuckDB as Arrow. A host that ignores ranges answers 200 with the whole file,
// which hyparquet then keeps and slices (the fallback).
import {Table, type Vector} from "apache-arrow";
import type {AsyncBuffer, FileMetaData} from "hyparquet";
import {FileAttachment} from "observablehq:stdlib";
import type {DuckDBClient} from "observablehq:stdlib/duckdb";
import type {ExploreManifest, ExportPlan} from "../../loaders/explore/export.js";
import {columnsUsed} from "./exploreColumns.js";
import {decodeColumns, insertInOrder, rowGroupFiles} from "./exploreRead.js";
import {openExported} from "./exploreFiles.js";

export type {ExploreManifest, ExportPlan};

export const exploreManifest = (): Promise<ExploreManifest> => FileAttachment("../data/explore/manifest.json").json();

/**
 * Where the columns' loading time went so far (this page), read by the Chromium bench: fetching and
 * decoding the Parquet pages (for a load into DuckDB-wasm, from its start until its last row group was
 * read, which overlaps the inserts of the groups before), building the Arrow vectors, and waiting on
 * DuckDB-wasm's inserts.
 */
export const loadStats = {readMs: 0, arrowMs: 0, insertMs: 0, values: 0};

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
  const {vectors, decoded, built} = await decodeColumns(file, metadata, plan, names);
  loadStats.readMs += decoded - started;
  loadStats.arrowMs += built - decoded;
  loadStats.values += Number(metadata.num_rows) * names.length;
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
  duckdb: typeof DuckDBClient,
  manifest?: ExploreManifest
): Promise<ExploreDatabase> {
  manifest ??= await exploreManifest();
  const client = await duckdb.of();
  /** Each table's loaded columns, row group by row group (Arrow vectors in file order). */
  const vectors = new Map<string, Map<string, Vector>[]>();
  /**
   * `plan`'s table as DuckDB's table of its name, replacing it, with the columns already loaded (`have`,
   * by row group) and `missing` read from its Parquet file; its rows keep their order, so rowid is the
   * file's row. Every row group's reads start at once (their requests all in flight, as for whole
   * columns), and each group is inserted as soon as it is read and the one before it is in, while
   * the page decodes the next ones: at 2M spans the read and DuckDB-wasm's insert each took about half
   * of a query's load, one after the other (docs/explore.md).
   */
  const load = async (plan: ExportPlan, have: Map<string, Vector>[] | undefined, missing: string[]) => {
    const {name} = plan;
    const started = performance.now();
    const {file, metadata} = await openExported(name);
    const parts = rowGroupFiles(metadata);
    const groups: Map<string, Vector>[] = [];
    let decoded = started;
    const tables = parts.map((part, g) =>
      decodeColumns(file, part, plan, missing).then((read) => {
        decoded = Math.max(decoded, read.decoded);
        loadStats.arrowMs += read.built - read.decoded;
        const group = (groups[g] = new Map([...(have?.[g] ?? []), ...read.vectors]));
        const ordered = plan.columns.map((c) => c.name).filter((c) => group.has(c));
        return new Table(Object.fromEntries(ordered.map((c) => [c, group.get(c)!])));
      })
    );
    const connection = await client._db.connect();
    try {
      loadStats.insertMs += await insertInOrder(connection, name, tables);
    } finally {
      await connection.close();
    }
    loadStats.readMs += decoded - started;
    loadStats.values += Number(metadata.num_rows) * missing.length;
    vectors.set(name, groups);
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
  const ensure = (used: TableColumns) =>
    (loading = loading.then(async () => {
      for (const [name, wanted] of Object.entries(used)) {
        const plan = manifest.tables.find((t) => t.name === name);
        const unknown = wanted.filter((c) => !plan?.columns.some((col) => col.name === c));
        if (!plan || unknown.length)
          throw new Error(
            `Explore: the exported tables have no ${plan ? `column ${unknown.join(", ")} in` : "table"} ${name}`
          );
        const have = vectors.get(name);
        const missing = [...new Set(wanted)].filter((c) => !have?.[0].has(c));
        if (missing.length > 0) await load(plan, have, missing);
      }
    }));
  const queryLoaded = async (sql: string) => {
    await loading;
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
    loaded: () => new Map([...vectors].map(([name, groups]) => [name, [...groups[0].keys()]]))
  };
}

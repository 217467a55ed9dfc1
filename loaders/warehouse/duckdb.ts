// The one place that talks to @duckdb/node-api; callers cast in SQL (count(*)::INTEGER) so BigInt
// never reaches a page.
//
// Values reach SQL two ways. A statement whose shape is fixed takes them as named parameters
// ($file, $run: ingest.ts, nativeJsonl.ts, launchGate.ts, classifiers.ts). SQL whose shape depends on
// the schema or the workspace is built as text, and then every name and value in it is quoted with
// @duckdb/node-api's own helpers, re-exported below: quotedIdentifier for column and table names
// (the schema's fields, class-label fields, grouping columns), quotedString for values (file names,
// config defaults, experiment, variant and metric names, label spellings, timestamp patterns), and
// pathLiteral for file paths handed to read_json/read_csv, which also expand globs. Both helpers
// double the quote character, so no name or value can end its quotes; test/unit/loaders/warehouse/
// duckdb.test.ts runs them on hostile names. Only constants of our own source that hold no quote
// (ALL and NONE in the queries, the correction actions) are put between quotes by hand.
import type {DuckDBConnection, DuckDBValue} from "@duckdb/node-api";
import {mkdirSync, readdirSync, rmSync} from "node:fs";
import {createRequire} from "node:module";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

type DuckDBApi = typeof import("@duckdb/node-api");
let api: DuckDBApi | undefined;

/**
 * @duckdb/node-api, loaded on first use: loading it loads DuckDB itself (a 70 MB library), which took
 * 4-6 s of wall time on the busy build machine, and a build with nothing changed opens no database.
 */
export function duckdbApi(): DuckDBApi {
  return (api ??= createRequire(import.meta.url)("@duckdb/node-api") as DuckDBApi);
}

// The quoting helpers from their own module of the package, which loads no DuckDB: queries quote
// names in constants when their module loads.
import {quotedIdentifier, quotedString} from "@duckdb/node-api/lib/sql.js";

export {quotedIdentifier, quotedString};

export type Params = Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

export interface Database {
  run(sql: string, params?: Params): Promise<void>;
  query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  columns(sql: string, params?: Params): Promise<Record<string, unknown[]>>;
  /**
   * A result of INTEGER columns, never NULL, as typed arrays copied from DuckDB's vectors: no JavaScript
   * value per cell, which for a million rows or more costs seconds (getColumnsObjectJS converts each).
   * Any other column type, or a NULL, is an error naming the column.
   */
  intColumns(sql: string, params?: Params): Promise<Record<string, Int32Array>>;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * How much memory DuckDB may hold and where it spills beyond that. A stated limit, rather than
 * DuckDB's default of 80% of the machine's RAM, keeps a build at 20M spans from taking the memory of
 * everything else on a shared machine; operators past the limit (sorts, hash joins, aggregates,
 * inserts) write to the temporary directory instead of failing. Both are machine settings, not
 * workspace ones, so they come from the environment and do not enter the warehouse fingerprint.
 */
export interface DuckDBResources {
  /** A DuckDB size, e.g. "4GB" or "512MB" (WORKBENCH_MEMORY_LIMIT). */
  memoryLimit: string;
  /** Folder under which each open database spills in its own subfolder (WORKBENCH_TEMP_DIRECTORY). */
  tempDirectory: string;
  /**
   * DuckDB's worker threads per database (WORKBENCH_THREADS); unset, DuckDB's default of one per core.
   * The unit tests set 1: their warehouses hold a few rows, and a second thread per database only
   * adds scheduling (about a quarter more CPU per ingest) on a machine their workers already fill.
   */
  threads?: number;
}

export const DEFAULT_MEMORY_LIMIT = "4GB";
/** The project's .workbench/tmp, resolved from this file (loaders/warehouse/) to the repository root. */
const defaultTempDirectory = fileURLToPath(new URL("../../.workbench/tmp", import.meta.url));

export function duckdbResources(env: NodeJS.ProcessEnv = process.env): DuckDBResources {
  const memoryLimit = env.WORKBENCH_MEMORY_LIMIT?.trim() || DEFAULT_MEMORY_LIMIT;
  if (!/^\d+(?:\.\d+)?\s*(?:[KMGT]i?B|bytes)$/i.test(memoryLimit))
    throw new Error(`WORKBENCH_MEMORY_LIMIT: expected a DuckDB size such as "4GB" or "512MB", got "${memoryLimit}".`);
  const threadsText = env.WORKBENCH_THREADS?.trim();
  if (threadsText && !/^[1-9]\d{0,3}$/.test(threadsText))
    throw new Error(`WORKBENCH_THREADS: expected a whole number of threads from 1, got "${threadsText}".`);
  return {
    memoryLimit,
    tempDirectory: resolve(env.WORKBENCH_TEMP_DIRECTORY?.trim() || defaultTempDirectory),
    ...(threadsText ? {threads: Number(threadsText)} : {})
  };
}

let opened = 0;

/**
 * A spill folder of its own for each database opened: two DuckDB instances (in one process or in
 * two) given the same folder would write the same temporary file names. DuckDB removes the folder
 * when the database closes; one left by a killed process is removed by the next open.
 */
function spillFolder(root: string): string {
  mkdirSync(root, {recursive: true});
  for (const name of readdirSync(root)) {
    const pid = /^duckdb-(\d+)-\d+$/.exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(root, name), {recursive: true, force: true});
  }
  return join(root, `duckdb-${process.pid}-${++opened}`);
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function openDatabase(
  path = ":memory:",
  {readOnly = false, resources = duckdbResources()}: {readOnly?: boolean; resources?: DuckDBResources} = {}
): Promise<Database> {
  const options: Record<string, string> = {
    memory_limit: resources.memoryLimit,
    temp_directory: spillFolder(resources.tempDirectory)
  };
  if (resources.threads) options.threads = String(resources.threads);
  if (readOnly) options.access_mode = "READ_ONLY";
  const instance = await duckdbApi().DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  // Timestamps are read and shown in UTC so that the same inputs give the same outputs anywhere.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    connection,
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async query(sql, params) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map(normalizeRow) as never;
    },
    async columns(sql, params) {
      const reader = await connection.runAndReadAll(sql, params);
      const cols = reader.getColumnsObjectJS();
      for (const key in cols) cols[key] = cols[key].map(normalizeValue) as never;
      return cols;
    },
    async intColumns(sql, params) {
      return intColumnsOf(await connection.run(sql, params));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    }
  };
}

async function intColumnsOf(result: Awaited<ReturnType<DuckDBConnection["run"]>>): Promise<Record<string, Int32Array>> {
  const names = result.columnNames();
  const {DuckDBTypeId} = duckdbApi();
  result.columnTypes().forEach((type, c) => {
    if (type.typeId !== DuckDBTypeId.INTEGER) throw new Error(`intColumns: column ${names[c]} is ${type}, not INTEGER`);
  });
  const chunks = await result.fetchAllChunks();
  const rows = chunks.reduce((n, chunk) => n + chunk.rowCount, 0);
  const out = names.map(() => new Int32Array(rows));
  let at = 0;
  for (const chunk of chunks) {
    names.forEach((name, c) => {
      const vector = chunk.getColumnVector(c);
      // An INTEGER vector of @duckdb/node-api 1.5 keeps its values in an Int32Array (`items`, private in
      // its types) and has no validity mask (`validity.data` null) when no value is NULL: copied whole,
      // that is the point of this function. Should a release rename either, the values are checked and
      // read one by one, about as slow as getColumnsObjectJS but still right.
      const {items, validity} = vector as unknown as {items?: unknown; validity?: {data?: unknown}};
      if (validity?.data !== null)
        for (let i = 0; i < chunk.rowCount; i++)
          if (vector.getItem(i) === null) throw new Error(`intColumns: column ${name} holds a NULL`);
      if (items instanceof Int32Array) out[c].set(items.subarray(0, chunk.rowCount), at);
      else for (let i = 0; i < chunk.rowCount; i++) out[c][at + i] = vector.getItem(i) as number;
    });
    at += chunk.rowCount;
  }
  return Object.fromEntries(names.map((name, c) => [name, out[c]]));
}

function normalizeRow(row: Record<string, unknown>): Row {
  for (const key in row) row[key] = normalizeValue(row[key]);
  return row;
}

/** BigInt and Date are not JSON; a page receives plain numbers and ISO strings. */
export function normalizeValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** The id of the transaction a statement runs in. */
type TransactionRow = {id: string};

/** Whether the table named `table` has a row, read with LIMIT 1 so that no more than one is. */
export async function hasRows(db: Database, table: string): Promise<boolean> {
  return (await db.query(`SELECT 1 AS one FROM ${quotedIdentifier(table)} LIMIT 1`)).length > 0;
}

/**
 * Whether the connection is inside a transaction it began (BEGIN TRANSACTION): there two statements
 * run in one transaction, while on their own (auto-commit) each runs in a new one. Asked rather than
 * tried, since a BEGIN refused inside a transaction aborts that transaction.
 */
export async function inTransaction(db: Database): Promise<boolean> {
  const [first] = await db.query<TransactionRow>(`SELECT txid_current()::VARCHAR AS id`);
  const [second] = await db.query<TransactionRow>(`SELECT txid_current()::VARCHAR AS id`);
  return first.id === second.id;
}

/**
 * A file path as a literal for DuckDB's readers (read_json, read_csv), which expand globs: each of
 * `*`, `?` and `[` becomes a one-character class, so a file named `e*.jsonl` is read as itself, not
 * with every file the pattern matches (and `[a].jsonl` not as `a.jsonl`).
 */
export function pathLiteral(path: string): string {
  return quotedString(path.replace(/[*?[]/g, "[$&]"));
}

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
import {
  DuckDBInstance,
  quotedIdentifier,
  quotedString,
  type DuckDBConnection,
  type DuckDBValue
} from "@duckdb/node-api";

export {quotedIdentifier, quotedString};

export type Params = Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

export interface Database {
  run(sql: string, params?: Params): Promise<void>;
  query<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  columns(sql: string, params?: Params): Promise<Record<string, unknown[]>>;
  connection: DuckDBConnection;
  close(): void;
}

export async function openDatabase(path = ":memory:", {readOnly = false} = {}): Promise<Database> {
  const instance = await DuckDBInstance.create(path, readOnly ? {access_mode: "READ_ONLY"} : {});
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
    close() {
      connection.closeSync();
      instance.closeSync();
    }
  };
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

/**
 * A file path as a literal for DuckDB's readers (read_json, read_csv), which expand globs: each of
 * `*`, `?` and `[` becomes a one-character class, so a file named `e*.jsonl` is read as itself, not
 * with every file the pattern matches (and `[a].jsonl` not as `a.jsonl`).
 */
export function pathLiteral(path: string): string {
  return quotedString(path.replace(/[*?[]/g, "[$&]"));
}

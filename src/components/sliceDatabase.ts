// The heavy half of the pages' filters, imported only when a filter is set: DuckDB-wasm (Framework's
// client, imported here rather than named by a page, since a page that names DuckDBClient preloads
// its module on every visit) over the exported tables, one database per page visit.
import type {Vector} from "apache-arrow";
import {exploreDatabase, exploreManifest, readColumns, type ExploreDatabase, type TableColumns} from "./exploreData.js";
import {openExported} from "./exploreFiles.js";
import {remembered} from "../lib/remembered.js";

const database = remembered<ExploreDatabase>();

/** The second filter reuses the columns the first one loaded; after a failed open, it opens again. */
export function openDatabase(): Promise<ExploreDatabase> {
  return database.get(() =>
    import("observablehq:stdlib/duckdb").then(({DuckDBClient}) => exploreDatabase(DuckDBClient))
  );
}

/** Loads exactly the named columns of each table (a page that declares what its statements read). */
export async function sliceLoadColumns(columns: TableColumns): Promise<void> {
  await (await openDatabase()).loadColumns(columns);
}

/**
 * Whole columns of an exported table as Arrow vectors, in file order, read as a load reads them
 * (readColumns: PLAIN text copied straight into Arrow) but not inserted into DuckDB-wasm: for a few
 * rows' values of a column no statement reads. At 2M spans, the 667k requests' trace ids read so took
 * a third of the time loadRows took for 240 of them (hyparquet's row objects over every row of each
 * row group holding one).
 */
export async function sliceReadColumns(table: string, columns: readonly string[]): Promise<Map<string, Vector>> {
  const plan = (await manifest.get(exploreManifest)).tables.find((t) => t.name === table);
  if (!plan) throw new Error(`the exported tables have no table ${table}`);
  const {file, metadata} = await openExported(table);
  return readColumns(file, metadata, plan, columns);
}

/** A query's rows as plain objects (Arrow rows are proxies; a BIGINT arrives as a BigInt and becomes a number). */
export async function sliceQuery<R>(sql: string): Promise<R[]> {
  return rowsOf<R>(await (await openDatabase()).query(sql));
}

/** sliceQuery over the columns loaded so far (sliceLoadColumns), loading none. */
export async function sliceQueryLoaded<R>(sql: string): Promise<R[]> {
  return rowsOf<R>(await (await openDatabase()).queryLoaded(sql));
}

function rowsOf<R>(table: any): R[] {
  const names: string[] = table.schema.fields.map((f: {name: string}) => f.name);
  return table.toArray().map((row: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const value = row[name];
      out[name] = typeof value === "bigint" ? Number(value) : value;
    }
    return out as R;
  });
}

/**
 * An exported table's size, when the size policy sampled it (docs/explore.md), else null: from the
 * export's manifest, without waiting for DuckDB-wasm.
 */
export async function tableSample(name: string): Promise<{exported: number; rows: number} | null> {
  const plan = (await manifest.get(exploreManifest)).tables.find((t) => t.name === name);
  return plan?.sampled ? {exported: plan.exported, rows: plan.rows} : null;
}

const manifest = remembered<Awaited<ReturnType<typeof exploreManifest>>>();

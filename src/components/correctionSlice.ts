// The heavy half of the corrections page's filters, imported only when a filter is set: queries over
// the exported corrections table in the pages' one DuckDB-wasm database (sliceDatabase.ts).
import {
  editBinsSql,
  editDistanceFigures,
  editStatsSql,
  examplesSql,
  type CorrectionExample,
  type EditBinRow,
  type EditStatsRow
} from "../lib/correctionEdits.js";
import type {CountGroup} from "./correctionFilters.js";
import {toCsv} from "./csvDownload.js";
import {resultRows} from "./exploreViews.js";
import {openDatabase, tableSample} from "./sliceDatabase.js";

/** The exported corrections table's size, when the size policy sampled it (docs/explore.md), else null. */
export const correctionsSample = () => tableSample("corrections");

export async function countGroups(sql: string): Promise<CountGroup[]> {
  const table = await (await openDatabase()).query(sql);
  // Arrow rows are proxies; copy the fields into plain objects (n may arrive as a BigInt).
  return table.toArray().map((row: Record<string, unknown>) => ({
    feature: row.feature,
    model: row.model,
    prompt_version: row.prompt_version,
    segment: row.segment,
    category: row.category,
    week: row.week,
    action: row.action,
    n: Number(row.n)
  })) as CountGroup[];
}

/** The events a query selects, every exported column, as a CSV document. */
export async function eventsCsv(sql: string): Promise<{csv: string; rows: number}> {
  const {rows, columns} = resultRows(await (await openDatabase()).query(sql));
  return {
    csv: toCsv(
      rows,
      columns.map((c) => c.name)
    ),
    rows: rows.length
  };
}

/**
 * A query's rows as the build's DuckDB wrapper gives them: plain objects, a BIGINT as a number, a list
 * as an array and a timestamp as its ISO string (Arrow hands over rows as proxies, lists as vectors, and
 * timestamps as dates).
 */
async function plainRows<R>(sql: string): Promise<R[]> {
  const table = await (await openDatabase()).query(sql);
  const fields: {name: string; type: unknown}[] = table.schema.fields;
  // Framework's client casts timestamps to Arrow dates (castTimestampToDate), which arrive as Dates or epoch milliseconds.
  const timestamp = new Set(fields.filter((f) => /^(Timestamp|Date)/.test(String(f.type))).map((f) => f.name));
  const plain = (name: string, value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") return Number(value);
    if (value instanceof Date) return value.toISOString();
    if (timestamp.has(name)) return new Date(Number(value)).toISOString();
    if (typeof value === "object" && typeof (value as {toArray?: unknown}).toArray === "function")
      return Array.from((value as {toArray(): ArrayLike<unknown>}).toArray(), (v) => plain("", v));
    return value;
  };
  return table
    .toArray()
    .map(
      (row: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f.name, plain(f.name, row[f.name])])) as R
    );
}

/** How much the slice's edited outputs change and its before/after examples, by the build's queries over `events`. */
export async function sliceEdits(events: string): Promise<{
  editDistance: ReturnType<typeof editDistanceFigures>;
  examples: CorrectionExample[];
}> {
  const bins = await plainRows<EditBinRow>(editBinsSql(events));
  const stats = await plainRows<EditStatsRow>(editStatsSql(events));
  return {
    editDistance: editDistanceFigures(bins, stats),
    examples: await plainRows<CorrectionExample>(examplesSql(events))
  };
}

// The SQL that keeps a page filter's rows of an exported table. Apart from pageFilters.ts, which every
// filtered page loads to draw its form: only the slices, loaded once a filter is set, need this.
import {ALL, NONE} from "../lib/all.js";
import type {PageFilter} from "./pageFilters.js";

/** A value as a SQL string literal: values come from the URL, so each is quoted, never spliced. */
export const sqlLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export interface WhereSpec {
  /** Filter key → the exported column it compares; a key not named here (nor from/to) is not a column filter. */
  columns: Readonly<Record<string, string>>;
  /** The time column `from` and `to` bound, and the length of one bucket as a DuckDB interval ("7 DAY"). */
  time?: {column: string; bucket: string};
}

/** The SQL conditions that keep the filtered rows (empty when nothing is set); join them with AND. */
export function filterTerms(filter: PageFilter, {columns, time}: WhereSpec): string[] {
  const terms: string[] = [];
  for (const [key, column] of Object.entries(columns)) {
    const value = filter[key];
    if (value === undefined || value === ALL) continue;
    terms.push(value === NONE ? `"${column}" IS NULL` : `"${column}"::VARCHAR = ${sqlLiteral(value)}`);
  }
  if (time && filter.from !== undefined && filter.from !== ALL)
    terms.push(`"${time.column}" >= CAST(${sqlLiteral(filter.from)} AS TIMESTAMP)`);
  if (time && filter.to !== undefined && filter.to !== ALL)
    terms.push(`"${time.column}" < CAST(${sqlLiteral(filter.to)} AS TIMESTAMP) + INTERVAL ${time.bucket}`);
  return terms;
}

/** filterTerms as a WHERE clause, or "" when nothing is set. */
export function filterWhereSql(filter: PageFilter, spec: WhereSpec): string {
  const terms = filterTerms(filter, spec);
  return terms.length ? `WHERE ${terms.join(" AND ")}` : "";
}

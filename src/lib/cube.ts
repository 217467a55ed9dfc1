// The production pages' slices as SQL: every feature × model cell, each dimension alone and all
// together, in one GROUPING SETS query, with each roll-up labelled ALL and a missing value NONE. In
// src/lib because the traces page's filters run the build's queries in DuckDB-wasm too.
import {ALL, NONE} from "./all.js";

/**
 * A column name of our own source between double quotes. The names are constants of the queries
 * (bucket, kind, feature, model), never data, so one holding a quote is a programming error.
 */
function identifier(column: string): string {
  if (column.includes('"')) throw new Error(`cube.ts: column name ${column} holds a double quote`);
  return `"${column}"`;
}

/** SQL naming a dimension's value in a GROUPING SETS query: its value, (none) when missing, (all) on a roll-up row. */
export function sliceLabel(column: string): string {
  return `CASE WHEN grouping(${identifier(column)}) = 1 THEN '${ALL}' ELSE coalesce(${identifier(column)}::VARCHAR, '${NONE}') END`;
}

/** Grouping sets over `dimensions` with `fixed` in every set: each dimension alone, all together, and none (the total). */
export function cubeSql(fixed: readonly string[], dimensions: readonly string[]): string {
  return `GROUPING SETS (${cubeSetsSql(fixed, dimensions)})`;
}

/** cubeSql's sets as a list, for one query that groups several cubes. */
export function cubeSetsSql(fixed: readonly string[], dimensions: readonly string[]): string {
  const sets: string[][] = [];
  for (let mask = 0; mask < 1 << dimensions.length; mask++)
    sets.push([...fixed, ...dimensions.filter((_, i) => mask & (1 << i))]);
  return sets.map((s) => `(${s.map(identifier).join(", ")})`).join(", ");
}

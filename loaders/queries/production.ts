// What the four production pages share: one row per traced request (built from its spans), slices
// labelled the same way everywhere, time buckets sized to the data, and rates with their intervals.
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import {round as roundTo} from "../../src/lib/format.js";
import {ALL, NONE} from "../../src/lib/all.js";

// The label of a missing value, for the queries that import it from here (a roll-up row's is ALL).
export {NONE};

/** SQL naming a dimension's value in a GROUPING SETS query: its value, (none) when missing, (all) on a roll-up row. */
export function sliceLabel(column: string): string {
  return `CASE WHEN grouping(${quotedIdentifier(column)}) = 1 THEN '${ALL}' ELSE coalesce(${quotedIdentifier(column)}::VARCHAR, '${NONE}') END`;
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
  return sets.map((s) => `(${s.map(quotedIdentifier).join(", ")})`).join(", ");
}

export {trendGranularity, volumeGranularity, type Granularity} from "../../src/lib/utcBuckets.js";

type DaysRow = {days: number | null};

export async function spanDays(db: Database, table: string, column: string): Promise<number> {
  const at = quotedIdentifier(column);
  const [row] = await db.query<DaysRow>(`SELECT (epoch(max(${at})) - epoch(min(${at}))) / 86400 AS days
    FROM ${quotedIdentifier(table)}`);
  return row?.days ?? 0;
}

/** A rate with n and its 95% Wilson interval, rounded for the page (src/lib, shared with the browser's recomputation). */
export {rate} from "../../src/lib/metrics/rate.js";

/** The shared rounding rule (src/lib/format.ts) at the production pages' 6 digits. */
export const round = (x: number | null, digits = 6): number | null => roundTo(x, digits);

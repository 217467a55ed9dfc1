// What the four production pages share: one row per traced request (built from its spans), slices
// labelled the same way everywhere, time buckets sized to the data, and rates with their intervals.
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import {round as roundTo} from "../../src/lib/format.js";
import {NONE} from "../../src/lib/all.js";

// The label of a missing value, for the queries that import it from here (a roll-up row's is ALL).
export {NONE};

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

// The corrections page's figures from action counts: each slice's rates with Wilson intervals, and the
// hot spots (a slice whose rate of an action is significantly above the rest of its feature, Newcombe
// interval on the difference). The build's query (loaders/queries/corrections.ts) and the page's
// in-browser recomputation of a filtered slice both count in SQL and shape the counts here, so a
// filter shows exactly what the build would print for a workspace holding only those rows.
import {ALL} from "./all.js";
import {round} from "./format.js";
import {proportionDifference} from "./metrics/proportionDifference.js";
import {rate, RATE_DIGITS} from "./metrics/rate.js";
import type {Rate} from "./metrics/wilson.js";

export const ACTIONS = ["accepted", "edited", "rejected", "ignored", "escalated"] as const;
export type Action = (typeof ACTIONS)[number];
export const DIMENSIONS = ["model", "prompt_version", "segment", "category", "week"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A slice needs this many events, and so does the rest of its feature, to be called a hot spot. */
export const HOT_SPOT_MIN_N = 30;
const HOT_SPOT_LIMIT = 200;

export type Counts = Record<Action, number>;
/** Events of one feature (or ALL) and one value of a dimension (ALL for the feature's total), by action. */
export type CountRow = {feature: string; value: string; n: number} & Counts;
export type SliceRates = {feature: string; value: string; n: number} & Record<Action, Rate>;

export function withRates(row: CountRow): SliceRates {
  const {feature, value, n} = row;
  return {feature, value, n, ...(Object.fromEntries(ACTIONS.map((a) => [a, rate(row[a], n)])) as Record<Action, Rate>)};
}

export interface HotSpot {
  feature: string;
  dimension: Dimension;
  value: string;
  action: Action;
  slice: Rate;
  rest: Rate;
  featureRate: Rate;
  difference: {value: number | null; low: number | null; high: number | null};
}

/**
 * Slices (a segment, category, model or prompt version within one feature) whose rate of an action
 * is significantly above the rest of the feature, ranked by how far above it they are at least
 * (the interval's lower end), so a large gap on few events does not outrank a sure one.
 */
export function hotSpots(
  overall: readonly CountRow[],
  counts: Readonly<Record<string, readonly CountRow[]>>
): HotSpot[] {
  const totals = new Map(overall.map((r) => [r.feature, r]));
  const spots: HotSpot[] = [];
  for (const dimension of DIMENSIONS.filter((d) => d !== "week")) {
    for (const slice of counts[dimension] ?? []) {
      const total = totals.get(slice.feature);
      if (slice.feature === ALL || !total) continue;
      const restN = total.n - slice.n;
      if (slice.n < HOT_SPOT_MIN_N || restN < HOT_SPOT_MIN_N) continue;
      for (const action of ACTIONS.filter((a) => a !== "accepted")) {
        const restK = total[action] - slice[action];
        const d = proportionDifference(slice[action], slice.n, restK, restN);
        if (d.low === null || d.low <= 0) continue;
        spots.push({
          feature: slice.feature,
          dimension,
          value: slice.value,
          action,
          slice: rate(slice[action], slice.n),
          rest: rate(restK, restN),
          featureRate: rate(total[action], total.n),
          difference: {
            value: round(d.difference, RATE_DIGITS),
            low: round(d.low, RATE_DIGITS),
            high: round(d.high, RATE_DIGITS)
          }
        });
      }
    }
  }
  spots.sort(
    (a, b) =>
      b.difference.low! - a.difference.low! ||
      a.feature.localeCompare(b.feature) ||
      a.dimension.localeCompare(b.dimension) ||
      a.value.localeCompare(b.value) ||
      a.action.localeCompare(b.action)
  );
  return spots.slice(0, HOT_SPOT_LIMIT);
}

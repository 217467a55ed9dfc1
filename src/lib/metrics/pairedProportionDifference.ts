// Difference of two proportions measured on the same cases (two options graded on one test set):
// Newcombe's hybrid score interval for paired data (method 10 of Newcombe 1998, Stat Med 17:2635),
// the two Wilson intervals combined with the correlation φ of the 2×2 table. Cases both options pass
// or both fail narrow the interval; treating the two rates as independent (proportionDifference.ts)
// would be conservative and leave a realistic bake-off inconclusive for longer.
import {wilsonInterval, Z95} from "./wilson.js";
import type {ProportionDifference} from "./proportionDifference.js";

/** The paired 2×2 table on the cases both options graded. */
export interface PairedCounts {
  /** Cases both passed. */
  both: number;
  /** Cases only the first option passed. */
  aOnly: number;
  /** Cases only the second option passed. */
  bOnly: number;
  /** Cases both graded (both + aOnly + bOnly + neither). */
  shared: number;
}

/** Rate of the first option minus the second's on their shared cases, with its 95% interval. */
export function pairedProportionDifference({both, aOnly, bOnly, shared}: PairedCounts, z = Z95): ProportionDifference {
  const neither = shared - both - aOnly - bOnly;
  if ([both, aOnly, bOnly, neither].some((x) => !Number.isInteger(x) || x < 0))
    throw new RangeError(
      `pairedProportionDifference: need whole counts with both + aOnly + bOnly ≤ shared, got ${both}, ${aOnly}, ${bOnly} of ${shared}`
    );
  if (shared === 0) return {difference: null, low: null, high: null};
  const a = wilsonInterval(both + aOnly, shared, z);
  const b = wilsonInterval(both + bOnly, shared, z);
  const p1 = a.rate!;
  const p2 = b.rate!;
  const marginals = (both + aOnly) * (bOnly + neither) * (both + bOnly) * (aOnly + neither);
  // A margin of 0 (one option passed everything or nothing) leaves φ undefined: Newcombe takes 0.
  const phi = marginals === 0 ? 0 : (both * neither - aOnly * bOnly) / Math.sqrt(marginals);
  const d = p1 - p2;
  const [l1, u1, l2, u2] = [p1 - a.low!, a.high! - p1, p2 - b.low!, b.high! - p2];
  const down = Math.sqrt(Math.max(0, l1 ** 2 - 2 * phi * l1 * u2 + u2 ** 2));
  const up = Math.sqrt(Math.max(0, u1 ** 2 - 2 * phi * u1 * l2 + l2 ** 2));
  return {difference: d, low: Math.max(-1, d - down), high: Math.min(1, d + up)};
}

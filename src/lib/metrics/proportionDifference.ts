// Difference of two independent proportions p₁ − p₂ with Newcombe's hybrid score interval (method 10
// of Newcombe 1998), built from the two Wilson intervals: it behaves at small n and near 0 or 1, where
// the Wald interval does not. An interval that excludes 0 is a significant difference at 95%.
import {wilsonInterval, Z95} from "./wilson.js";

export interface ProportionDifference {
  /** p₁ − p₂, or null when either n is 0. */
  difference: number | null;
  low: number | null;
  high: number | null;
}

export function proportionDifference(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
  z = Z95
): ProportionDifference {
  const a = wilsonInterval(successes1, n1, z);
  const b = wilsonInterval(successes2, n2, z);
  if (a.rate === null || b.rate === null) return {difference: null, low: null, high: null};
  const d = a.rate - b.rate;
  const low = d - Math.sqrt((a.rate - a.low!) ** 2 + (b.high! - b.rate) ** 2);
  const high = d + Math.sqrt((a.high! - a.rate) ** 2 + (b.rate - b.low!) ** 2);
  return {difference: d, low, high};
}

// The threshold a PM should ship given what each mistake costs: minimize
// cost_fp × FP + cost_fn × FN over every distinct threshold, plus "flag nothing" (threshold ∞).
// Among equally cheap thresholds the highest wins (it flags the fewest items).
import {Z95} from "../wilson.js";
import type {Confusion, ThresholdSweep} from "./thresholdSweep.js";

export interface ErrorCosts {
  falsePositive: number;
  falseNegative: number;
}

export interface ThresholdCost {
  /** Items with score ≥ threshold are flagged; Infinity flags nothing. */
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  cost: number;
}

export function costAt(sweep: ThresholdSweep, index: number, costs: ErrorCosts): ThresholdCost {
  const tp = index < 0 ? 0 : sweep.tp[index];
  const fp = index < 0 ? 0 : sweep.fp[index];
  const fn = sweep.positives - tp;
  return {
    threshold: index < 0 ? Infinity : sweep.thresholds[index],
    tp,
    fp,
    fn,
    tn: sweep.negatives - fp,
    cost: costs.falsePositive * fp + costs.falseNegative * fn
  };
}

export function costOptimalThreshold(
  sweep: ThresholdSweep,
  costs: ErrorCosts,
  candidates?: ArrayLike<number>
): ThresholdCost {
  checkCosts(costs);
  let best = costAt(sweep, -1, costs);
  const n = candidates ? candidates.length : sweep.thresholds.length;
  for (let k = 0; k < n; k++) {
    const i = candidates ? candidates[k] : k;
    const cost = costs.falsePositive * sweep.fp[i] + costs.falseNegative * (sweep.positives - sweep.tp[i]);
    if (cost < best.cost) best = costAt(sweep, i, costs);
  }
  return best;
}

function checkCosts({falsePositive, falseNegative}: ErrorCosts): void {
  if (!(falsePositive >= 0) || !(falseNegative >= 0)) {
    throw new RangeError(
      `costOptimalThreshold: costs must be non-negative numbers, got false positive ${falsePositive} and false negative ${falseNegative}`
    );
  }
}

export interface CostPerThousand {
  value: number;
  low: number;
  high: number;
  n: number;
}

/**
 * Expected cost per 1,000 requests with a 95% normal-approximation interval: each request costs
 * cost_fp (a false positive), cost_fn (a false negative) or 0, so the mean's standard error is the
 * sample standard deviation of those per-request costs over √n. Null when there are no requests.
 */
export function costPerThousand(at: Confusion, costs: ErrorCosts, z = Z95): CostPerThousand | null {
  const n = at.tp + at.fp + at.fn + at.tn;
  if (n === 0) return null;
  const mean = (costs.falsePositive * at.fp + costs.falseNegative * at.fn) / n;
  const squares = at.fp * costs.falsePositive ** 2 + at.fn * costs.falseNegative ** 2;
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  const half = z * Math.sqrt(variance / n);
  return {value: 1000 * mean, low: 1000 * Math.max(0, mean - half), high: 1000 * (mean + half), n};
}

// A ratio metric under user-level randomization (e.g. accepted suggestions / suggestions, cost per
// request): the unit of analysis is the user, so requests of one user are not independent. The
// ratio R = Σx / Σy = x̄ / ȳ gets its variance from the delta method over per-user sums
// (Deng, Knoblich & Lu 2018): Var(R) ≈ (Var x − 2R·Cov(x, y) + R²·Var y) / (n·ȳ²).
// A per-request t-test would treat every request as a unit and understate the variance.
import {normalQuantile, normalTwoSidedP} from "../../../src/lib/metrics/normal.js";
import type {Interval, Lift} from "./meanDifference.js";
import {relativeLift} from "./meanDifference.js";
import type {RatioMoments} from "./moments.js";

export interface RatioEstimate {
  ratio: number;
  /** Variance of the ratio estimate (not of a unit's ratio). */
  variance: number;
}

export function ratioEstimate(m: RatioMoments): RatioEstimate {
  if (!Number.isInteger(m.n) || m.n < 2)
    throw new RangeError(`ratioEstimate: each arm needs at least 2 units, got ${m.n}`);
  if (m.meanY === 0) throw new RangeError("ratioEstimate: the denominator's total is 0, so the ratio is undefined");
  const ratio = m.meanX / m.meanY;
  const variance = (m.varianceX - 2 * ratio * m.covarianceXY + ratio ** 2 * m.varianceY) / (m.n * m.meanY ** 2);
  return {ratio, variance: Math.max(0, variance)};
}

export function ratioDifference(treatment: RatioMoments, control: RatioMoments, confidence = 0.95): Lift {
  const t = ratioEstimate(treatment);
  const c = ratioEstimate(control);
  const estimate = t.ratio - c.ratio;
  const se = Math.sqrt(t.variance + c.variance);
  const half = normalQuantile(1 - (1 - confidence) / 2) * se;
  const absolute: Interval = {
    estimate,
    low: estimate - half,
    high: estimate + half,
    standardError: se,
    pValue: se === 0 ? (estimate === 0 ? 1 : 0) : normalTwoSidedP(estimate / se)
  };
  return {absolute, relative: relativeLift(t.ratio, t.variance, c.ratio, c.variance, confidence)};
}

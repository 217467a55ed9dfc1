// Treatment − control for a per-unit metric: the absolute difference with Welch's t interval (unequal
// variances, Welch–Satterthwaite degrees of freedom), and the relative lift treatment / control − 1
// with a delta-method interval: Var(t̄/c̄) ≈ Var(t̄)/c̄² + t̄²·Var(c̄)/c̄⁴ for independent arms.
import {normalQuantile, normalTwoSidedP} from "../../../src/lib/metrics/normal.js";
import {studentTCdf, studentTQuantile} from "../studentT.js";
import {checkMoments, type Moments} from "./moments.js";

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  standardError: number;
  pValue: number;
}

export interface Lift {
  absolute: Interval;
  /** null when the control mean is 0 (a relative change from nothing is undefined). */
  relative: Interval | null;
}

export function meanDifference(treatment: Moments, control: Moments, confidence = 0.95): Lift {
  checkMoments(treatment, "meanDifference");
  checkMoments(control, "meanDifference");
  const vt = treatment.variance / treatment.n;
  const vc = control.variance / control.n;
  const difference = treatment.mean - control.mean;
  const se = Math.sqrt(vt + vc);
  if (se === 0) {
    const absolute = {
      estimate: difference,
      low: difference,
      high: difference,
      standardError: 0,
      pValue: difference === 0 ? 1 : 0
    };
    return {absolute, relative: relativeLift(treatment.mean, vt, control.mean, vc, confidence)};
  }
  const df = (vt + vc) ** 2 / (vt ** 2 / (treatment.n - 1) + vc ** 2 / (control.n - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(difference / se), df));
  return {
    absolute: {estimate: difference, low: difference - half, high: difference + half, standardError: se, pValue},
    relative: relativeLift(treatment.mean, vt, control.mean, vc, confidence)
  };
}

/** Relative lift t/c − 1 with the delta method, from the two means and the variances of those means. */
export function relativeLift(
  treatmentMean: number,
  treatmentMeanVariance: number,
  controlMean: number,
  controlMeanVariance: number,
  confidence = 0.95
): Interval | null {
  if (controlMean === 0) return null;
  const estimate = treatmentMean / controlMean - 1;
  const se = Math.sqrt(
    treatmentMeanVariance / controlMean ** 2 + (treatmentMean ** 2 * controlMeanVariance) / controlMean ** 4
  );
  const half = normalQuantile(1 - (1 - confidence) / 2) * se;
  return {
    estimate,
    low: estimate - half,
    high: estimate + half,
    standardError: se,
    pValue: se === 0 ? (estimate === 0 ? 1 : 0) : normalTwoSidedP(estimate / se)
  };
}

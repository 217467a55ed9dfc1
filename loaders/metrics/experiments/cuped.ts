// CUPED (Deng, Xu, Kohavi & Walker 2013): subtract from each unit's metric y the part predicted by a
// pre-experiment covariate x, y′ = y − θ(x − x̄). θ is the pooled within-arm regression slope, which
// makes the estimate identical to the treatment coefficient of OLS y ~ treatment + x (ANCOVA). The
// adjusted metric keeps the same expected difference (x is independent of the assignment) with
// variance shrunk by ρ², the squared correlation of x and y.
import {meanDifference, type Lift} from "./meanDifference.js";
import type {CovariateMoments, Moments} from "./moments.js";

export interface CupedResult {
  theta: number;
  /** 1 − Var(adjusted) / Var(raw), pooled over the arms; 0 means the covariate did not help. */
  varianceReduction: number;
  adjusted: Lift;
  treatment: Moments;
  control: Moments;
}

/** Moments are of y (meanY, varianceY) and of the covariate x (meanX, varianceX) per arm. */
export function cuped(treatment: CovariateMoments, control: CovariateMoments, confidence = 0.95): CupedResult {
  const arms = [treatment, control];
  for (const a of arms)
    if (!Number.isInteger(a.n) || a.n < 2) throw new RangeError(`cuped: each arm needs at least 2 units, got ${a.n}`);
  const sxy = arms.reduce((s, a) => s + (a.n - 1) * a.covarianceXY, 0);
  const sxx = arms.reduce((s, a) => s + (a.n - 1) * a.varianceX, 0);
  const syy = arms.reduce((s, a) => s + (a.n - 1) * a.varianceY, 0);
  const theta = sxx === 0 ? 0 : sxy / sxx;
  const grandMeanX = (treatment.n * treatment.meanX + control.n * control.meanX) / (treatment.n + control.n);
  const adjust = (a: CovariateMoments): Moments => ({
    n: a.n,
    mean: a.meanY - theta * (a.meanX - grandMeanX),
    variance: Math.max(0, a.varianceY - 2 * theta * a.covarianceXY + theta ** 2 * a.varianceX)
  });
  const t = adjust(treatment);
  const c = adjust(control);
  const adjustedSquares = (treatment.n - 1) * t.variance + (control.n - 1) * c.variance;
  const varianceReduction = syy === 0 ? 0 : 1 - adjustedSquares / syy;
  return {theta, varianceReduction, adjusted: meanDifference(t, c, confidence), treatment: t, control: c};
}

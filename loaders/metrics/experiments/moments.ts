// Per-arm summaries of a unit-level metric. Every experiment statistic takes these rather than raw
// rows so that SQL can aggregate millions of units (count, avg, var_samp, covar_samp) and the
// statistics stay pure functions of a few numbers.

/** n units, their mean and sample variance (denominator n − 1). */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

/** Sums of a ratio metric's numerator x and denominator y per unit (e.g. clicks / requests). */
export interface RatioMoments {
  n: number;
  meanX: number;
  meanY: number;
  varianceX: number;
  varianceY: number;
  covarianceXY: number;
}

/** A metric y with a pre-period covariate x for the same units (CUPED). */
export type CovariateMoments = RatioMoments;

export function momentsOf(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = n ? sum / n : NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return {n, mean, variance: n > 1 ? squares / (n - 1) : NaN};
}

export function pairedMomentsOf(x: ArrayLike<number>, y: ArrayLike<number>): RatioMoments {
  if (x.length !== y.length) throw new RangeError(`pairedMomentsOf: x has ${x.length} values, y ${y.length}`);
  const a = momentsOf(x);
  const b = momentsOf(y);
  let cross = 0;
  for (let i = 0; i < x.length; i++) cross += (x[i] - a.mean) * (y[i] - b.mean);
  return {
    n: a.n,
    meanX: a.mean,
    meanY: b.mean,
    varianceX: a.variance,
    varianceY: b.variance,
    covarianceXY: x.length > 1 ? cross / (x.length - 1) : NaN
  };
}

export function checkMoments(m: Moments, name: string): void {
  if (!Number.isInteger(m.n) || m.n < 2) throw new RangeError(`${name}: each arm needs at least 2 units, got ${m.n}`);
  if (!Number.isFinite(m.mean) || !(m.variance >= 0))
    throw new RangeError(`${name}: mean and variance must be finite, got ${m.mean}, ${m.variance}`);
}

// A judge that scores on a numeric scale (0–1 harm, 1–5 Likert) against the people's scores on the
// same items: mean absolute error with its standard error, and the mean signed difference with a
// one-sample t-test — PyRIT's scorer metrics (mean_absolute_error, mae_standard_error, t_statistic,
// p_value), which are numpy's mean/std (ddof 0) and scipy's ttest_1samp.
import {studentTCdf} from "../studentT.js";

export interface ScoreAgreement {
  n: number;
  meanAbsoluteError: number;
  /** Standard deviation of the absolute errors (ddof 0) over √n, as PyRIT computes it. */
  maeStandardError: number;
  /** Mean of judge − human: positive means the judge scores higher than people. */
  meanDifference: number;
  /** One-sample t statistic of the differences against 0; null when every difference is equal. */
  t: number | null;
  p: number | null;
}

export function scoreAgreement(human: readonly number[], judge: readonly number[]): ScoreAgreement | null {
  if (human.length !== judge.length)
    throw new RangeError(`scoreAgreement: ${human.length} human scores but ${judge.length} judge scores`);
  const n = human.length;
  if (n === 0) return null;
  const diff = judge.map((j, i) => j - human[i]);
  const abs = diff.map(Math.abs);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mae = mean(abs);
  const meanDifference = mean(diff);
  const ss = (xs: number[], m: number) => xs.reduce((a, x) => a + (x - m) ** 2, 0);
  const maeStandardError = Math.sqrt(ss(abs, mae) / n) / Math.sqrt(n);
  const sd = n > 1 ? Math.sqrt(ss(diff, meanDifference) / (n - 1)) : 0;
  const t = sd > 0 ? meanDifference / (sd / Math.sqrt(n)) : null;
  return {
    n,
    meanAbsoluteError: mae,
    maeStandardError,
    meanDifference,
    t,
    p: t === null ? null : 2 * studentTCdf(-Math.abs(t), n - 1)
  };
}

import {describe, expect, test} from "vitest";
import {binomialCdf} from "../../../../src/lib/metrics/binomial.js";
import {regularizedIncompleteBeta} from "../../../../src/lib/metrics/incompleteBeta.js";
import {logGamma} from "../../../../src/lib/metrics/logGamma.js";
import {studentTCdf, studentTQuantile} from "../../../../loaders/metrics/studentT.js";

// Reference values recorded with scipy 1.10.1 (Debian python3-scipy): scipy.special.gammaln,
// scipy.special.betainc, scipy.stats.binom.cdf, scipy.stats.t.cdf / t.ppf.
describe("logGamma(x)", () => {
  test.each([
    [0.5, 0.5723649429247],
    [1.5, -0.12078223763524526],
    [10, 12.801827480081469],
    [1e6, 12815504.569147611]
  ])("ln Γ(%d) matches scipy.special.gammaln", (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 9);
  });

  test("rejects x ≤ 0", () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe("regularizedIncompleteBeta(x, a, b)", () => {
  test.each([
    [0.4, 2.5, 3.5, 0.4869041915261175],
    [0.9, 0.5, 0.5, 0.7951672353008662],
    [0.05, 50000, 950001, 0.5006406658856377]
  ])("I_%d(%d, %d) matches scipy.special.betainc", (x, a, b, expected) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 9);
  });

  test("is 0 at x = 0 and 1 at x = 1", () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe("binomialCdf(k, n, p)", () => {
  test.each([
    [3, 10, 0.3, 0.6496107184000002],
    [0, 20, 0.5, 9.5367431640625e-7],
    [12, 40, 0.5, 0.008294501687487355],
    [949_500, 1_000_000, 0.95, 0.011041122391135416]
  ])("P(X ≤ %i | n = %i, p = %d) matches scipy.stats.binom.cdf", (k, n, p, expected) => {
    expect(binomialCdf(k, n, p)).toBeCloseTo(expected, 10);
    expect(binomialCdf(k, n, p) / expected).toBeCloseTo(1, 8);
  });

  test("is 0 below 0 and 1 from n on", () => {
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
  });
});

describe("studentTQuantile(p, df) and studentTCdf(t, df)", () => {
  test.each([
    [1, 12.706204736432095, 0.8128329581890013],
    [2, 4.302652729911275, 0.8638034375544996],
    [5, 2.5705818366147395, 0.9030481598787634],
    [10, 2.2281388519649385, 0.9177463367772799],
    [30, 2.0422724563012373, 0.927967035435677],
    [100, 1.9839715184496334, 0.9316174709376556],
    [1000, 1.9623390808264074, 0.933034980588957]
  ])("df = %i: t.ppf(0.975) and t.cdf(1.5) match scipy", (df, ppf, cdf) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(ppf, 8);
    expect(studentTCdf(1.5, df)).toBeCloseTo(cdf, 12);
  });

  test("is symmetric around 0", () => {
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281388519649385, 8);
    expect(studentTCdf(-1.5, 10)).toBeCloseTo(1 - 0.9177463367772799, 12);
  });
});

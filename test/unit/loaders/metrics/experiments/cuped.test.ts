import {describe, expect, test} from "vitest";
import {cuped} from "../../../../../loaders/metrics/experiments/cuped.js";
import {meanDifference} from "../../../../../loaders/metrics/experiments/meanDifference.js";
import {numbered, reference} from "./reference.js";

describe("cuped(treatment, control)", () => {
  test.each(numbered(reference.cuped))(
    "case %i matches OLS y ~ treatment + x and Welch on the adjusted values",
    (_, c: any) => {
      // record.py's paired(x, y) puts the covariate in X and the metric in Y, as cuped() expects.
      const r = cuped(c.treatment, c.control);
      expect(r.theta).toBeCloseTo(c.theta, 10);
      expect(r.adjusted.absolute.estimate).toBeCloseTo(c.olsCoefficient, 10);
      expect(r.adjusted.absolute.low).toBeCloseTo(c.low, 9);
      expect(r.adjusted.absolute.high).toBeCloseTo(c.high, 9);
      expect(r.varianceReduction).toBeCloseTo(c.varianceReduction, 10);
    }
  );

  test("a correlated covariate narrows the interval by about √(1 − ρ²); an uncorrelated one changes nothing much", () => {
    const [strong, , none] = reference.cuped;
    const raw = (m: any) => ({n: m.n, mean: m.meanY, variance: m.varianceY});
    const narrow = cuped(strong.treatment, strong.control);
    const plain = meanDifference(raw(strong.treatment), raw(strong.control));
    expect(narrow.adjusted.absolute.standardError / plain.absolute.standardError).toBeCloseTo(
      Math.sqrt(1 - narrow.varianceReduction),
      2
    );
    expect(narrow.varianceReduction).toBeGreaterThan(0.3);
    expect(cuped(none.treatment, none.control).varianceReduction).toBeLessThan(0.05);
  });

  test("a constant covariate leaves the metric as it was", () => {
    const arm = {n: 4, meanX: 3, meanY: 2, varianceX: 0, varianceY: 1, covarianceXY: 0};
    const r = cuped(arm, {...arm, meanY: 1});
    expect(r.theta).toBe(0);
    expect(r.varianceReduction).toBe(0);
    expect(r.adjusted.absolute.estimate).toBe(1);
  });
});

import {describe, expect, test} from "vitest";
import {meanDifference} from "../../../../../loaders/metrics/experiments/meanDifference.js";
import {proportionDifference} from "../../../../../loaders/metrics/proportionDifference.js";
import {normalCdf, normalQuantile} from "../../../../../src/lib/metrics/normal.js";
import {numbered, reference, relativeError} from "./reference.js";

describe("meanDifference(treatment, control)", () => {
  test.each(numbered(reference.meanDifference))(
    "case %i matches statsmodels' Welch interval and the numerical delta method",
    (_, c: any) => {
      const r = meanDifference(c.treatment, c.control);
      expect(r.absolute.estimate).toBeCloseTo(c.difference, 12);
      expect(r.absolute.low).toBeCloseTo(c.low, 9);
      expect(r.absolute.high).toBeCloseTo(c.high, 9);
      expect(relativeError(r.absolute.pValue, c.pValue)).toBeLessThan(1e-7);
      expect(r.relative!.estimate).toBeCloseTo(c.relative.estimate, 12);
      expect(relativeError(r.relative!.standardError, c.relative.standardError)).toBeLessThan(1e-6);
      expect(r.relative!.low).toBeCloseTo(c.relative.low, 6);
      expect(r.relative!.high).toBeCloseTo(c.relative.high, 6);
    }
  );

  test("no relative lift from a control mean of 0; identical constant arms give a zero-width interval", () => {
    expect(meanDifference({n: 10, mean: 1, variance: 1}, {n: 10, mean: 0, variance: 1}).relative).toBeNull();
    const same = meanDifference({n: 5, mean: 2, variance: 0}, {n: 5, mean: 2, variance: 0});
    expect(same.absolute).toMatchObject({estimate: 0, low: 0, high: 0, pValue: 1});
  });

  test("rejects an arm with fewer than two units", () => {
    expect(() => meanDifference({n: 1, mean: 1, variance: 0}, {n: 10, mean: 0, variance: 1})).toThrow(
      /at least 2 units/
    );
  });
});

describe("proportionDifference (Newcombe) for binary metrics", () => {
  test.each(reference.newcombe as any[])("$s1/$n1 − $s2/$n2 matches statsmodels' newcomb interval", (c) => {
    const r = proportionDifference(c.s1, c.n1, c.s2, c.n2);
    expect(r.low).toBeCloseTo(c.low, 9);
    expect(r.high).toBeCloseTo(c.high, 9);
  });
});

describe("normalCdf and normalQuantile", () => {
  test.each(reference.normal.cdf as [number, number][])("Φ(%d) matches scipy", (x, p) =>
    expect(relativeError(normalCdf(x), p)).toBeLessThan(1e-10)
  );
  test.each(reference.normal.ppf as [number, number][])("Φ⁻¹(%d) matches scipy", (p, x) =>
    expect(normalQuantile(p)).toBeCloseTo(x, 9)
  );
});

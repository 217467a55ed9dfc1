import {describe, expect, test} from "vitest";
import {minimumDetectableDifference} from "../../../../../src/lib/metrics/minimumDetectableDifference.js";

describe("minimumDetectableDifference(rate, n, options)", () => {
  // Reference: (scipy.stats.norm.ppf(0.975) + norm.ppf(0.8)) * sqrt(samples * p * (1 - p) / n), SciPy 1.10.
  test.each([
    [0.865, 400, 1, 0.04786838546939449],
    [0.5, 50, 1, 0.19810199057996727],
    [0.9, 100, 2, 0.11886119434798036]
  ] as const)("rate %d on n = %i with %i sample(s) is %d", (rate, n, samples, expected) => {
    expect(minimumDetectableDifference(rate, n, {samples})).toBeCloseTo(expected, 9);
  });

  test("shrinks with the square root of n", () => {
    expect(minimumDetectableDifference(0.8, 400)! / minimumDetectableDifference(0.8, 100)!).toBeCloseTo(0.5, 12);
  });

  test("is null without cases, and finite at a rate of 0 or 1", () => {
    expect(minimumDetectableDifference(0.9, 0)).toBeNull();
    expect(minimumDetectableDifference(1, 50)).toBeGreaterThan(0);
    expect(minimumDetectableDifference(0, 50)).toBeGreaterThan(0);
    expect(() => minimumDetectableDifference(1.2, 50)).toThrow(RangeError);
  });
});

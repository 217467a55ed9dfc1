import {describe, expect, test} from "vitest";
import {sampleRatioCheck, SRM_ALPHA} from "../../../../../loaders/metrics/experiments/sampleRatio.js";
import {numbered, reference, relativeError} from "./reference.js";

describe("sampleRatioCheck(observed, weights)", () => {
  test.each(reference.srm as {observed: number[]; weights: number[]; statistic: number; pValue: number}[])(
    "$observed against $weights matches scipy.stats.chisquare",
    (c) => {
      const r = sampleRatioCheck(c.observed, c.weights);
      expect(r.statistic).toBeCloseTo(c.statistic, 9);
      expect(relativeError(r.pValue, c.pValue)).toBeLessThan(1e-9);
      expect(r.df).toBe(c.observed.length - 1);
      expect(r.mismatch).toBe(c.pValue < SRM_ALPHA);
    }
  );

  test("a 50/50 design that logged 52/48 of 10,000 users is a mismatch; 50.1/49.9 is not", () => {
    expect(sampleRatioCheck([5200, 4800], [50, 50]).mismatch).toBe(true);
    expect(sampleRatioCheck([5010, 4990], [50, 50]).mismatch).toBe(false);
  });

  test("rejects a missing weight, a negative count and a zero weight", () => {
    expect(() => sampleRatioCheck([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioCheck([-1, 2], [1, 1])).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, 2], [0, 1])).toThrow(RangeError);
  });
});

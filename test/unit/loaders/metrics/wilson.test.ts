import {describe, expect, test} from "vitest";
import {wilsonInterval} from "../../../../src/lib/metrics/wilson.js";

describe("wilsonInterval(successes, n)", () => {
  // Reference values: Newcombe, "Two-sided confidence intervals for the single proportion",
  // Statistics in Medicine 17 (1998), Table I, method 3 (Wilson score), examples 81/263 and 15/148.
  test.each([
    [81, 263, 0.2553003, 0.3662138],
    [15, 148, 0.0624, 0.1605]
  ])("%i/%i matches the reference", (k, n, low, high) => {
    const r = wilsonInterval(k, n);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  test("stays inside [0, 1] at the edges", () => {
    expect(wilsonInterval(0, 10)).toMatchObject({rate: 0, low: 0});
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775328, 6);
  });

  test("has no rate and no interval when n = 0", () => {
    expect(wilsonInterval(0, 0)).toEqual({rate: null, n: 0, successes: 0, low: null, high: null});
  });

  test("rejects impossible counts", () => {
    expect(() => wilsonInterval(5, 3)).toThrow(RangeError);
  });
});

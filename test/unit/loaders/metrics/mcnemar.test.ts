import {describe, expect, test} from "vitest";
import {exactMcNemar} from "../../../../src/lib/metrics/mcnemar.js";

describe("exactMcNemar(b, c)", () => {
  // Reference: statsmodels 0.13.5, statsmodels.stats.contingency_tables.mcnemar([[a, b], [c, d]], exact=True).pvalue.
  test.each([
    [150, 86, 3.715936139571387e-5],
    [10, 0, 0.001953125],
    [3, 12, 0.03515625],
    [59, 41, 0.08862608011406767],
    [400, 350, 0.0735077740584349],
    [5, 5, 1],
    [1, 0, 1]
  ])("b = %i, c = %i matches statsmodels' exact p-value", (b, c, p) => {
    expect(exactMcNemar(b, c).pValue).toBeCloseTo(p, 12);
    expect(exactMcNemar(b, c).pValue / p).toBeCloseTo(1, 9);
  });

  test("10 discordant pairs all one way is 2 × ½¹⁰ by hand", () => {
    expect(exactMcNemar(0, 10).pValue).toBeCloseTo(2 / 1024, 15);
  });

  test("gives p = 1 with no discordant pairs, and is symmetric in b and c", () => {
    expect(exactMcNemar(0, 0)).toEqual({b: 0, c: 0, discordant: 0, pValue: 1});
    expect(exactMcNemar(12, 3).pValue).toBe(exactMcNemar(3, 12).pValue);
  });

  test("rejects negative or fractional counts", () => {
    expect(() => exactMcNemar(-1, 2)).toThrow(RangeError);
    expect(() => exactMcNemar(1.5, 2)).toThrow(RangeError);
  });
});

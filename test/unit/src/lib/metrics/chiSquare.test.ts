import {describe, expect, test} from "vitest";
import {chiSquareHomogeneity, chiSquareSurvival} from "../../../../../src/lib/metrics/chiSquare.js";

// Reference values recorded with SciPy 1.10.1: scipy.stats.chi2.sf and
// scipy.stats.chi2_contingency(table, correction=False).
describe("chiSquareSurvival(x, df)", () => {
  test.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [0.001, 1, 0.9747728793699604],
    [10.5, 3, 0.014760897143990665],
    [100, 10, 5.4497019829205215e-17],
    [1000, 50, 7.188706215514871e-177],
    [50, 100, 0.9999930466947524],
    [1e-8, 2, 0.999999995],
    [20, 20, 0.4579297144718523],
    [74.3, 7, 1.9892258431128571e-13],
    [0.5, 0.5, 0.25632205526853896]
  ])("P(χ² ≥ %d | df = %d) matches scipy.stats.chi2.sf", (x, df, expected) => {
    expect(Math.abs(chiSquareSurvival(x, df) - expected) / expected).toBeLessThan(1e-9);
  });

  test("underflows to 0 only where SciPy does", () => {
    expect(chiSquareSurvival(1500, 1)).toBe(0);
  });
});

describe("chiSquareHomogeneity(counts)", () => {
  test.each([
    [
      [
        [10, 20, 30],
        [20, 20, 20]
      ],
      5.333333333333334,
      2,
      0.0694834512228015
    ],
    [
      [
        [300, 0, 50],
        [250, 40, 60]
      ],
      45.45454545454545,
      2,
      1.3479409456530162e-10
    ],
    [
      [
        [5, 1],
        [2, 8]
      ],
      6.112169312169312,
      1,
      0.013425424881491248
    ],
    [
      [
        [120, 90, 45, 30, 15],
        [100, 100, 50, 25, 25]
      ],
      5.5622009569378,
      4,
      0.23431582846738666
    ]
  ])("%j matches scipy.stats.chi2_contingency", (table, statistic, df, p) => {
    const t = chiSquareHomogeneity(table);
    expect(t.statistic).toBeCloseTo(statistic, 10);
    expect(t.df).toBe(df);
    expect(Math.abs(t.pValue! - p) / p).toBeLessThan(1e-9);
  });

  test("returns the expected counts and flags cells below 5", () => {
    const t = chiSquareHomogeneity([
      [5, 1],
      [2, 8]
    ]);
    expect(t.expected).toEqual([
      [2.625, 3.375],
      [4.375, 5.625]
    ]);
    expect(t.smallExpectedCells).toBe(3);
  });

  test("drops a category empty in every sample instead of dividing by zero", () => {
    const t = chiSquareHomogeneity([
      [10, 0, 20, 30],
      [20, 0, 20, 20]
    ]);
    expect(t.columns).toEqual([0, 2, 3]);
    expect(t.statistic).toBeCloseTo(5.333333333333334, 10);
    expect(t.df).toBe(2);
  });

  test("has no p-value when only one category or one sample has data", () => {
    expect(
      chiSquareHomogeneity([
        [5, 0],
        [7, 0]
      ]).pValue
    ).toBeNull();
    expect(
      chiSquareHomogeneity([
        [5, 3],
        [0, 0]
      ]).pValue
    ).toBeNull();
  });

  test("rejects ragged rows and negative counts", () => {
    expect(() => chiSquareHomogeneity([[1, 2], [3]])).toThrow(RangeError);
    expect(() =>
      chiSquareHomogeneity([
        [1, -2],
        [3, 4]
      ])
    ).toThrow(RangeError);
  });
});

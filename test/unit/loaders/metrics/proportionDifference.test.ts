import {describe, expect, test} from "vitest";
import {proportionDifference} from "../../../../loaders/metrics/proportionDifference.js";

// Reference values recorded with statsmodels 0.13.5:
// confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff").
describe("proportionDifference(k1, n1, k2, n2)", () => {
  test.each([
    [56, 70, 48, 80, 0.05243147240236498, 0.33387265403690614],
    [9, 10, 3, 10, 0.1705227239345029, 0.809017973535488],
    [6, 7, 2, 7, 0.05822792748231209, 0.8062496375242278],
    [5, 56, 0, 29, -0.038137147903536936, 0.19256001385511165],
    [0, 10, 0, 20, -0.1611251580528194, 0.27753279986288926],
    [40, 100, 120, 1000, 0.1868598955385729, 0.3797657789510067]
  ])("%i/%i − %i/%i matches statsmodels' Newcombe interval", (k1, n1, k2, n2, low, high) => {
    const d = proportionDifference(k1, n1, k2, n2);
    expect(d.difference).toBeCloseTo(k1 / n1 - k2 / n2, 14);
    expect(d.low).toBeCloseTo(low, 9);
    expect(d.high).toBeCloseTo(high, 9);
  });

  test("has no difference when a side is empty", () => {
    expect(proportionDifference(3, 10, 0, 0)).toEqual({difference: null, low: null, high: null});
  });
});

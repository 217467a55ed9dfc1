import {describe, expect, test} from "vitest";
import {populationStabilityIndex, psiLevel} from "../../../../src/lib/metrics/psi.js";

// Reference values computed with NumPy: shares floored at 1e-4, then Σ (a − e) · ln(a / e).
describe("populationStabilityIndex(expected, actual)", () => {
  test.each([
    [[25, 25, 25, 25], [25, 25, 25, 25], 0],
    [[10, 20, 30, 40], [40, 30, 20, 10], 0.9128696382935673],
    [[500, 300, 200], [480, 310, 210], 0.0016322397603293316]
  ])("%j → %j matches the NumPy reference", (e, a, expected) => {
    expect(populationStabilityIndex(e, a).psi).toBeCloseTo(expected, 12);
  });

  test("floors an empty bin at ε = 1e-4, so a category the eval set lacks still counts", () => {
    const r = populationStabilityIndex([100, 80, 60, 0], [90, 85, 55, 20]);
    expect(r.psi).toBeCloseTo(0.5463511712780297, 12);
    expect(r.bins[3].expectedShare).toBe(0);
    expect(r.bins[3].contribution).toBeCloseTo((20 / 250 - 1e-4) * Math.log(20 / 250 / 1e-4), 12);
    expect(populationStabilityIndex([1, 1], [1, 0]).psi).toBeCloseTo(4.604318466668949, 12);
  });

  test("takes another ε when asked", () => {
    const r = populationStabilityIndex([1, 0], [1, 1], {epsilon: 0.01});
    expect(r.psi).toBeCloseTo(-0.5 * Math.log(0.5) + (0.5 - 0.01) * Math.log(0.5 / 0.01), 12);
  });

  test("has no PSI when a side has no observations", () => {
    expect(populationStabilityIndex([0, 0], [1, 2])).toEqual({psi: null, level: null, bins: []});
  });

  test("rejects bins that do not line up", () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe("psiLevel(psi)", () => {
  test("reads < 0.1 as stable, 0.1–0.25 as moderate and > 0.25 as major", () => {
    expect([0, 0.099, 0.1, 0.25, 0.2501].map(psiLevel)).toEqual(["stable", "stable", "moderate", "moderate", "major"]);
  });
});

import {describe, expect, test} from "vitest";
import {pairedProportionDifference} from "../../../../src/lib/metrics/pairedProportionDifference.js";
import {proportionDifference} from "../../../../loaders/metrics/proportionDifference.js";

/** Wilson's bounds written out again from the textbook formula, independent of src/lib. */
function wilson(k: number, n: number, z = 1.959963984540054) {
  const p = k / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [p, k === 0 ? 0 : c - h, k === n ? 1 : c + h];
}

describe("pairedProportionDifference({both, aOnly, bOnly, shared})", () => {
  test("equals Newcombe's method 10 written out for a correlated table (Newcombe 1998, eqs. for L and U)", () => {
    // 400 shared cases: 330 both pass, 16 only a, 26 only b, 28 neither.
    const [a, b, c, d] = [330, 16, 26, 28];
    const n = a + b + c + d;
    const [p1, l1, u1] = wilson(a + b, n);
    const [p2, l2, u2] = wilson(a + c, n);
    const phi = (a * d - b * c) / Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
    const low = p1 - p2 - Math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2);
    const high = p1 - p2 + Math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2);
    const r = pairedProportionDifference({both: a, aOnly: b, bOnly: c, shared: n});
    expect(r.difference).toBeCloseTo(-10 / 400, 14);
    expect(r.low).toBeCloseTo(low, 12);
    expect(r.high).toBeCloseTo(high, 12);
  });

  test("is the unpaired Newcombe interval (statsmodels-checked) when the table shows no correlation", () => {
    const paired = pairedProportionDifference({both: 4, aOnly: 4, bOnly: 4, shared: 16});
    const unpaired = proportionDifference(8, 16, 8, 16);
    expect(paired.low).toBeCloseTo(unpaired.low!, 12);
    expect(paired.high).toBeCloseTo(unpaired.high!, 12);
  });

  test("is narrower than the unpaired interval when the options agree on most cases", () => {
    const paired = pairedProportionDifference({both: 330, aOnly: 16, bOnly: 26, shared: 400});
    const unpaired = proportionDifference(346, 400, 356, 400);
    expect(paired.high! - paired.low!).toBeLessThan(0.75 * (unpaired.high! - unpaired.low!));
  });

  test("swapping the options negates the interval", () => {
    const ab = pairedProportionDifference({both: 30, aOnly: 2, bOnly: 9, shared: 50});
    const ba = pairedProportionDifference({both: 30, aOnly: 9, bOnly: 2, shared: 50});
    expect(ba.low).toBeCloseTo(-ab.high!, 12);
    expect(ba.high).toBeCloseTo(-ab.low!, 12);
  });

  test("has no difference on no shared cases, and refuses counts that do not add up", () => {
    expect(pairedProportionDifference({both: 0, aOnly: 0, bOnly: 0, shared: 0})).toEqual({
      difference: null,
      low: null,
      high: null
    });
    expect(() => pairedProportionDifference({both: 8, aOnly: 2, bOnly: 1, shared: 10})).toThrow(
      /both \+ aOnly \+ bOnly ≤ shared, got 8, 2, 1 of 10/
    );
  });
});

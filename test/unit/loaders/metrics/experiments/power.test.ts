import {describe, expect, test} from "vitest";
import {
  daysToReach,
  mdeFromStandardError,
  minimumDetectableEffect,
  requiredUnits,
  unitsForEffect
} from "../../../../../loaders/metrics/experiments/power.js";
import {numbered, reference, relativeError} from "./reference.js";

// statsmodels' NormalIndPower also counts the (negligible) chance of rejecting in the wrong tail, so
// its effect is smaller by up to ~3e-5 relative at these sizes (most at n = 40, α = 0.1); the closed form
// ignores that tail.
describe("minimumDetectableEffect and requiredUnits", () => {
  test.each((reference.power as any[]).filter((c) => c.kind === "mde") as {[k: string]: number}[])(
    "MDE at nT = $nT, nC = $nC, σ = $sigma matches statsmodels' NormalIndPower",
    (c) => {
      const mde = minimumDetectableEffect(c.sigma ** 2, c.nT, c.sigma ** 2, c.nC, {alpha: c.alpha, power: c.power})!;
      expect(relativeError(mde, c.mde)).toBeLessThan(1e-4);
    }
  );

  test.each((reference.power as any[]).filter((c) => c.kind === "required") as {[k: string]: number}[])(
    "units for δ = $effect, σ = $sigma, share $share match statsmodels",
    (c) => {
      expect(
        relativeError(
          requiredUnits(c.effect, c.sigma ** 2, c.sigma ** 2, c.share, {alpha: c.alpha, power: c.power}),
          c.total
        )
      ).toBeLessThan(1e-5);
    }
  );

  test("the textbook rule of thumb: n ≈ 16σ²/δ² per arm at α = 0.05 and 80% power", () => {
    expect(requiredUnits(0.1, 1, 1) / 2).toBeCloseTo(15.7 / 0.01, -1);
  });

  test("no MDE without units in both arms", () => expect(minimumDetectableEffect(1, 0, 1, 10)).toBeNull());
});

describe("daysToReach(required, current, unitsPerDay)", () => {
  test("rounds up, is 0 once reached and null without traffic", () => {
    expect(daysToReach(1000, 400, 100)).toBe(6);
    expect(daysToReach(1000, 401, 100)).toBe(6);
    expect(daysToReach(1000, 1000, 100)).toBe(0);
    expect(daysToReach(1000, 10, 0)).toBeNull();
  });
});

describe("mdeFromStandardError and unitsForEffect", () => {
  test("agree with minimumDetectableEffect and requiredUnits for a difference of means", () => {
    const [varT, varC, nT, nC] = [2.5, 1.5, 800, 800];
    const mde = mdeFromStandardError(Math.sqrt(varT / nT + varC / nC));
    expect(mde).toBeCloseTo(minimumDetectableEffect(varT, nT, varC, nC)!, 12);
    expect(unitsForEffect(nT + nC, mde, 0.05)).toBeCloseTo(requiredUnits(0.05, varT, varC, 0.5), 6);
  });
});

import {describe, expect, test} from "vitest";
import {casesToConclude} from "../../../../loaders/metrics/casesToConclude.js";
import {gateBar, gateVerdict, launchVerdict} from "../../../../src/lib/metrics/gateVerdict.js";
import {wilsonInterval} from "../../../../src/lib/metrics/wilson.js";

describe("gateVerdict(evidence)", () => {
  test("passes a min gate only when the whole interval clears it", () => {
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.9, low: 0.86, high: 0.93})).toBe("pass");
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.865, low: 0.828, high: 0.895})).toBe(
      "inconclusive"
    );
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.8, low: 0.75, high: 0.84})).toBe("fail");
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.9, low: 0.85, high: 0.93})).toBe("pass");
  });

  test("passes a max gate only when the whole interval is under it", () => {
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2200, low: 2100, high: 2400})).toBe("pass");
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2450, low: 2300, high: 2600})).toBe(
      "inconclusive"
    );
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2700, low: 2550, high: 2900})).toBe("fail");
  });

  test("cannot pass without the bound that would confirm it, but can still fail", () => {
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 1800, low: 1600, high: null})).toBe(
      "inconclusive"
    );
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 3000, low: 2600, high: null})).toBe("fail");
  });

  test("says no data when there is no estimate", () => {
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: null, low: null, high: null})).toBe("no-data");
  });
});

describe("launchVerdict(verdicts)", () => {
  test("is go when all pass, no-go when any fails, otherwise inconclusive", () => {
    expect(launchVerdict(["pass", "pass"])).toBe("go");
    expect(launchVerdict(["pass", "inconclusive", "fail"])).toBe("no-go");
    expect(launchVerdict(["pass", "inconclusive"])).toBe("inconclusive");
    expect(launchVerdict(["pass", "no-data"])).toBe("inconclusive");
    expect(launchVerdict([])).toBe("inconclusive");
  });
});

describe("casesToConclude(rate, n, threshold)", () => {
  // Reference: the smallest n at which statsmodels' proportion_confint(rate·n, n, method='wilson')
  // excludes the threshold, found by counting up one case at a time (statsmodels 0.13.5).
  test.each([
    [0.865, 400, 0.85, 2177],
    [0.8, 300, 0.85, 300],
    [0.9, 100, 0.85, 196],
    [0.015, 400, 0.03, 497]
  ])("rate %d with n = %i against %d needs %i cases", (rate, n, threshold, expected) => {
    expect(casesToConclude(rate, n, threshold)).toBe(expected);
  });

  test("never concludes when the rate sits on the threshold", () => {
    expect(casesToConclude(0.85, 400, 0.85)).toBeNull();
  });
});

describe("gateVerdict(evidence) with a non-inferiority margin", () => {
  test("passes a minimum when the lower bound clears threshold − margin, and a maximum when the upper bound clears threshold + margin", () => {
    expect(gateBar({direction: "min", threshold: 0.85, margin: 0.02})).toBeCloseTo(0.83, 12);
    expect(gateBar({direction: "max", threshold: 2500, margin: 100})).toBe(2600);
    expect(gateBar({direction: "min", threshold: 0.85})).toBe(0.85);
    expect(gateVerdict({direction: "min", threshold: 0.85, margin: 0.02, estimate: 0.87, low: 0.835, high: 0.9})).toBe(
      "pass"
    );
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.87, low: 0.835, high: 0.9})).toBe(
      "inconclusive"
    );
    expect(gateVerdict({direction: "min", threshold: 0.85, margin: 0.02, estimate: 0.8, low: 0.77, high: 0.825})).toBe(
      "fail"
    );
    expect(gateVerdict({direction: "max", threshold: 2500, margin: 100, estimate: 2450, low: 2300, high: 2600})).toBe(
      "pass"
    );
    expect(gateVerdict({direction: "max", threshold: 2500, margin: 100, estimate: 2700, low: 2650, high: 2900})).toBe(
      "fail"
    );
  });

  test("refuses a negative margin", () => {
    expect(() =>
      gateVerdict({direction: "min", threshold: 0.85, margin: -0.02, estimate: 0.9, low: 0.86, high: 0.93})
    ).toThrow(/margin must be 0 or more/);
  });

  // The seeds' example: 86.5% (346 of 400) against an 85% gate with a 2-point margin. The Wilson lower
  // bound, recomputed here from its textbook formula, is 82.8%: just short of the 83% bar. The same rate
  // over 800 cases (the suite grown to twice its size; a rerun of the same cases would not count,
  // since a pass rate counts each case once) clears it.
  const wilsonLow = (k: number, n: number, z = 1.959963984540054) => {
    const p = k / n;
    return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  };
  test("decides the seeds' example, 86.5% against 85% with a 2-point margin, on 800 cases", () => {
    const one = wilsonInterval(346, 400);
    expect(one.low).toBeCloseTo(wilsonLow(346, 400), 12);
    expect(
      gateVerdict({direction: "min", threshold: 0.85, margin: 0.02, estimate: one.rate, low: one.low, high: one.high})
    ).toBe("inconclusive");
    const two = wilsonInterval(692, 800);
    expect(two.low).toBeCloseTo(wilsonLow(692, 800), 12);
    expect(two.low!).toBeGreaterThan(0.83);
    expect(
      gateVerdict({direction: "min", threshold: 0.85, margin: 0.02, estimate: two.rate, low: two.low, high: two.high})
    ).toBe("pass");
    // Without the margin, the same 800 cases still cannot tell 86.5% from 85%.
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: two.rate, low: two.low, high: two.high})).toBe(
      "inconclusive"
    );
    expect(casesToConclude(0.865, 400, 0.83)).toBeLessThanOrEqual(800);
  });

  test("decides the seeds' latency example, p95 2.1 s against 2.5 s, when the interval's top is below the gate", () => {
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2100, low: 1980, high: 2290})).toBe("pass");
  });
});

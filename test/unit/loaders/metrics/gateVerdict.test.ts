import {describe, expect, test} from "vitest";
import {casesToConclude} from "../../../../loaders/metrics/casesToConclude.js";
import {gateVerdict, launchVerdict} from "../../../../loaders/metrics/gateVerdict.js";

describe("gateVerdict(evidence)", () => {
  test("passes a min gate only when the whole interval clears it", () => {
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.9, low: 0.86, high: 0.93})).toBe("pass");
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.865, low: 0.828, high: 0.895})).toBe("inconclusive");
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.8, low: 0.75, high: 0.84})).toBe("fail");
    expect(gateVerdict({direction: "min", threshold: 0.85, estimate: 0.9, low: 0.85, high: 0.93})).toBe("pass");
  });

  test("passes a max gate only when the whole interval is under it", () => {
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2200, low: 2100, high: 2400})).toBe("pass");
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2450, low: 2300, high: 2600})).toBe("inconclusive");
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 2700, low: 2550, high: 2900})).toBe("fail");
  });

  test("cannot pass without the bound that would confirm it, but can still fail", () => {
    expect(gateVerdict({direction: "max", threshold: 2500, estimate: 1800, low: 1600, high: null})).toBe("inconclusive");
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
    [0.015, 400, 0.03, 497],
  ])("rate %d with n = %i against %d needs %i cases", (rate, n, threshold, expected) => {
    expect(casesToConclude(rate, n, threshold)).toBe(expected);
  });

  test("never concludes when the rate sits on the threshold", () => {
    expect(casesToConclude(0.85, 400, 0.85)).toBeNull();
  });
});

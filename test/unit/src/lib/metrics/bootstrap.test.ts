import {describe, expect, test} from "vitest";
import {bootstrapMeanInterval} from "../../../../../src/lib/metrics/bootstrap.js";
import {BOOTSTRAP_MAX_N, meanInterval, tMeanInterval} from "../../../../../src/lib/metrics/meanInterval.js";
import {quantile} from "../../../../../src/lib/metrics/quantile.js";

const scores = Array.from({length: 40}, (_, i) => Math.round((i * 37) % 101) / 100);

describe("bootstrapMeanInterval(values)", () => {
  test("converges to the exact bootstrap distribution, enumerated over all 5⁵ resamples", () => {
    const v = [0, 1, 2, 5, 10];
    const exact: number[] = [];
    for (let i = 0; i < 5 ** 5; i++) {
      let sum = 0;
      for (let k = 0, j = i; k < 5; k++, j = Math.floor(j / 5)) sum += v[j % 5];
      exact.push(sum / 5);
    }
    // numpy.quantile of the 3125 enumerated means gives 0.8 and 7.0.
    expect(quantile(exact, 0.025)).toBeCloseTo(0.8, 12);
    expect(quantile(exact, 0.975)).toBeCloseTo(7, 12);
    const r = bootstrapMeanInterval(v, {resamples: 50_000, seed: 7});
    expect(r.mean).toBe(3.6);
    expect(r.low).toBeCloseTo(0.8, 1);
    expect(r.high).toBeCloseTo(7, 1);
  });

  test("agrees with scipy.stats.bootstrap(method='percentile') within Monte Carlo error", () => {
    // scipy 1.17.1, n_resamples=200000, random_state=1: (0.40700000000000003, 0.58975), mean 0.4985.
    const r = bootstrapMeanInterval(scores, {resamples: 20_000});
    expect(r.mean).toBeCloseTo(0.4985, 12);
    expect(Math.abs(r.low! - 0.407)).toBeLessThan(0.004);
    expect(Math.abs(r.high! - 0.58975)).toBeLessThan(0.004);
  });

  test("is deterministic for a seed, and the seed matters", () => {
    expect(bootstrapMeanInterval(scores)).toEqual(bootstrapMeanInterval(scores));
    expect(bootstrapMeanInterval(scores, {seed: 2}).low).not.toBe(bootstrapMeanInterval(scores, {seed: 1}).low);
  });

  test("has no interval for no values", () => {
    expect(bootstrapMeanInterval([])).toEqual({mean: null, n: 0, low: null, high: null, method: "bootstrap"});
  });
});

describe("tMeanInterval(n, mean, sd)", () => {
  test("is mean ± t(0.975, n − 1)·s/√n (scipy t.ppf(0.975, 9) = 2.2621571627409915)", () => {
    const r = tMeanInterval(10, 5, 2);
    expect(r.low).toBeCloseTo(5 - (2.2621571627409915 * 2) / Math.sqrt(10), 10);
    expect(r.high).toBeCloseTo(5 + (2.2621571627409915 * 2) / Math.sqrt(10), 10);
  });

  test("clips to the quantity's bounds and has no interval from one value", () => {
    expect(tMeanInterval(3, 0.95, 0.1, {lower: 0, upper: 1}).high).toBe(1);
    expect(tMeanInterval(1, 0.5, null)).toEqual({mean: 0.5, n: 1, low: null, high: null, method: "t"});
  });
});

describe("meanInterval(values)", () => {
  test("switches from the bootstrap to the t interval past BOOTSTRAP_MAX_N, where the two agree", () => {
    const many = Array.from({length: BOOTSTRAP_MAX_N + 1}, (_, i) => ((i * 7919) % 1013) / 1013);
    expect(meanInterval(many.slice(0, BOOTSTRAP_MAX_N)).method).toBe("bootstrap");
    const boot = meanInterval(many, {bootstrapMaxN: Infinity});
    const t = meanInterval(many);
    expect(boot.method).toBe("bootstrap");
    expect(t.method).toBe("t");
    expect(Math.abs(boot.low! - t.low!)).toBeLessThan(0.002);
    expect(Math.abs(boot.high! - t.high!)).toBeLessThan(0.002);
  });
});

import {describe, expect, test} from "vitest";
import {orderStatisticRanks, quantileInterval} from "../../../../loaders/metrics/quantileInterval.js";

// Reference: scipy 1.17.1, scipy.stats.quantile_test(x, q=0, p=q).confidence_interval(0.95), whose
// bounds are order statistics; ranks below are 1-based positions of those bounds in the sorted sample.
describe("quantileInterval(sorted, q)", () => {
  const xs = Array.from({length: 400}, (_, i) => ((i * 7919) % 1013) * 3.7 + 100).sort((a, b) => a - b);

  test.each([
    [0.5, 1983.3000000000002, 1779.8000000000002, 2164.6, 180, 221],
    [0.95, 3674.57, 3574.3, 3748.2000000000003, 371, 389],
    [0.99, 3807.474, 3774.1000000000004, 3840.7000000000003, 392, 400]
  ])(
    "q = %d on 400 latencies matches numpy.quantile and scipy's order-statistic interval",
    (q, estimate, low, high, lowRank, highRank) => {
      const r = quantileInterval(xs, q);
      expect(r.estimate).toBeCloseTo(estimate, 9);
      expect(r).toMatchObject({low, high, lowRank, highRank, n: 400});
    }
  );

  test("scipy's documented example: p = 0.75 of exp(0..1 by 0.01) at 90%", () => {
    const x = Array.from({length: 101}, (_, i) => Math.exp(i / 100));
    const r = quantileInterval(x, 0.75, 0.9);
    expect(r.low).toBeCloseTo(1.9542373206359396, 12);
    expect(r.high).toBeCloseTo(2.293318740264183, 12);
  });

  test("has no upper bound for p95 from too few values (scipy gives nan), and a bound once n suffices", () => {
    const ints = (n: number) => Array.from({length: n}, (_, i) => i + 1);
    expect(quantileInterval(ints(50), 0.95)).toMatchObject({low: 44, high: null, highRank: null});
    expect(quantileInterval(ints(59), 0.95)).toMatchObject({low: 52, high: null});
    expect(quantileInterval(ints(73), 0.95)).toMatchObject({low: 65, high: 73});
    // The first n with an upper bound: 1 − 0.95ⁿ ≥ 0.975 from n = 72 on.
    expect(orderStatisticRanks(71, 0.95).highRank).toBeNull();
    expect(orderStatisticRanks(72, 0.95).highRank).toBe(72);
    expect(quantileInterval(ints(50), 0.5)).toMatchObject({low: 18, high: 33});
  });

  test("finds the ranks at large n without holding the values (scipy binom.ppf / isf)", () => {
    expect(orderStatisticRanks(1000, 0.95)).toEqual({lowRank: 936, highRank: 964});
    expect(orderStatisticRanks(100_000, 0.95)).toEqual({lowRank: 94864, highRank: 95136});
  });

  test("returns nulls for no values", () => {
    expect(quantileInterval([], 0.95)).toEqual({
      estimate: null,
      low: null,
      high: null,
      lowRank: null,
      highRank: null,
      n: 0
    });
  });
});

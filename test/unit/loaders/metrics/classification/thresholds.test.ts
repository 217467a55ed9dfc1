import {describe, expect, test} from "vitest";
import {
  costOptimalThreshold,
  costPerThousand
} from "../../../../../src/lib/metrics/classification/costOptimalThreshold.js";
import {scoreCounts} from "../../../../../loaders/metrics/classification/scoreCounts.js";
import {coverageAtAccuracy} from "../../../../../loaders/metrics/classification/selectivePrediction.js";
import {rocHullVertices, sweepPoints} from "../../../../../loaders/metrics/classification/sweepPoints.js";
import {thresholdSweep, type ThresholdSweep} from "../../../../../src/lib/metrics/classification/thresholdSweep.js";
import {fromJson, sklearnCases} from "./sklearn.js";

const cases = sklearnCases("brute_force.json");
const sweepOf = (c: {y_true: number[]; y_score: number[]}) => thresholdSweep(scoreCounts(c.y_score, c.y_true));
const costPairs = [
  [1, 1],
  [0.5, 25],
  [10, 1],
  [0, 1]
] as const;

describe("costOptimalThreshold(sweep, costs)", () => {
  for (const [name, c] of Object.entries(cases)) {
    test(`equals a brute-force search over every threshold: ${name}`, () => {
      const sweep = sweepOf(c);
      for (const [fp, fn] of costPairs) {
        const expected = c[`costs ${fp}/${fn}`].optimal;
        const best = costOptimalThreshold(sweep, {falsePositive: fp, falseNegative: fn});
        expect({threshold: best.threshold, tp: best.tp, fp: best.fp, fn: best.fn, cost: best.cost}).toEqual({
          ...expected,
          threshold: fromJson(expected.threshold)
        });
      }
    });
  }

  test("flags nothing when false positives cost and false negatives are free", () => {
    const best = costOptimalThreshold(sweepOf(cases.ties_two_decimals), {falsePositive: 1, falseNegative: 0});
    expect(best).toMatchObject({threshold: Infinity, tp: 0, fp: 0, cost: 0});
  });

  test("rejects a negative or missing cost", () => {
    expect(() => costOptimalThreshold(sweepOf(cases.sklearn_docstring), {falsePositive: -1, falseNegative: 1})).toThrow(
      "costOptimalThreshold: costs must be non-negative numbers, got false positive -1 and false negative 1"
    );
  });
});

describe("costPerThousand(at, costs)", () => {
  test("is the mean cost per request × 1000 with a normal interval from the per-request costs", () => {
    const at = {threshold: 0.5, tp: 10, fp: 20, fn: 5, tn: 65, cost: 20 * 0.5 + 5 * 25};
    const result = costPerThousand(at, {falsePositive: 0.5, falseNegative: 25})!;
    const perRequest = [...Array(20).fill(0.5), ...Array(5).fill(25), ...Array(75).fill(0)];
    const mean = perRequest.reduce((a, b) => a + b) / 100;
    const sd = Math.sqrt(perRequest.reduce((a, x) => a + (x - mean) ** 2, 0) / 99);
    expect(result.value).toBeCloseTo(1350, 10);
    expect(result.high).toBeCloseTo(1000 * (mean + 1.959963984540054 * (sd / 10)), 10);
    expect(result.low).toBeCloseTo(1000 * Math.max(0, mean - 1.959963984540054 * (sd / 10)), 10);
    expect(result.n).toBe(100);
  });

  test("is null without requests", () => {
    expect(costPerThousand({tp: 0, fp: 0, fn: 0, tn: 0}, {falsePositive: 1, falseNegative: 1})).toBeNull();
  });
});

describe("coverageAtAccuracy(sweep, target)", () => {
  for (const [name, c] of Object.entries(cases)) {
    test(`equals a brute-force search for the widest coverage at the target: ${name}`, () => {
      const sweep = sweepOf(c);
      for (const [target, expected] of [
        [0.95, c["costs 1/1"].coverage_at_target],
        [0.8, c["target 0.8"]]
      ] as const) {
        const got = coverageAtAccuracy(sweep, target);
        if (expected === null) expect(got).toBeNull();
        else expect({threshold: got!.threshold, covered: got!.covered, correct: got!.correct}).toEqual(expected);
      }
    });
  }

  test("reports coverage and accuracy as rates with n and Wilson intervals", () => {
    const got = coverageAtAccuracy(thresholdSweep(scoreCounts([0.9, 0.8, 0.7, 0.2], [1, 1, 0, 1])), 0.9)!;
    expect(got.threshold).toBe(0.8);
    expect(got.coverage).toMatchObject({rate: 0.5, n: 4, successes: 2});
    expect(got.accuracy).toMatchObject({rate: 1, n: 2, successes: 2, high: 1});
  });
});

describe("sweepPoints(sweep)", () => {
  const big = (() => {
    // 20,000 items with 3-decimal scores: many more distinct thresholds than a page needs.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const y = Array.from({length: 20000}, () => (rand() < 0.3 ? 1 : 0));
    const s = y.map((v) => Math.round(Math.min(1, Math.max(0, 0.35 + 0.25 * v + (rand() - 0.5) * 0.7)) * 1000) / 1000);
    return thresholdSweep(scoreCounts(s, y));
  })();
  const bruteOptimum = (sweep: ThresholdSweep, fp: number, fn: number) =>
    costOptimalThreshold(sweep, {falsePositive: fp, falseNegative: fn});

  test("keeps few points, both ends, and the exact cost optimum for any costs", () => {
    const kept = sweepPoints(big);
    expect(big.thresholds.length).toBeGreaterThan(900);
    expect(kept.length).toBeLessThan(big.thresholds.length);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(big.thresholds.length - 1);
    for (const [fp, fn] of [
      [1, 1],
      [0.5, 25],
      [3, 1],
      [1, 3],
      [0.01, 7],
      [7, 0.01],
      [0, 1],
      [1, 0],
      [2.5, 2.5]
    ]) {
      expect(costOptimalThreshold(big, {falsePositive: fp, falseNegative: fn}, kept)).toEqual(
        bruteOptimum(big, fp, fn)
      );
    }
  });

  test("keeps the threshold every 0.01 slider position selects", () => {
    const kept = new Set(sweepPoints(big, {resolution: 0.5}).map((i) => big.thresholds[i]));
    for (let k = 0; k <= 100; k++) {
      const v = k / 100;
      const selected = big.thresholds.filter((t) => t >= v).at(-1);
      if (selected !== undefined) expect(kept.has(selected), `slider ${v}`).toBe(true);
    }
  });

  test("never leaves a gap wider than the resolution in recall, false-positive rate or flagged share", () => {
    const kept = sweepPoints(big, {resolution: 0.01});
    const n = big.positives + big.negatives;
    for (let k = 1; k < kept.length; k++) {
      const [a, b] = [kept[k - 1], kept[k]];
      // The gap before the point that closed it can exceed the resolution by at most that one point's items.
      const stepBefore = (i: number) => (i > 0 ? big.tp[i] - big.tp[i - 1] + big.fp[i] - big.fp[i - 1] : 0);
      const slack = stepBefore(b) / Math.min(big.positives, big.negatives);
      expect((big.tp[b] - big.tp[a]) / big.positives).toBeLessThanOrEqual(0.01 + slack);
      expect((big.fp[b] - big.fp[a]) / big.negatives).toBeLessThanOrEqual(0.01 + slack);
      expect((big.tp[b] + big.fp[b] - big.tp[a] - big.fp[a]) / n).toBeLessThanOrEqual(0.01 + slack);
    }
  });

  test("ROC hull vertices turn strictly clockwise and every point lies on or under the hull", () => {
    const hull = rocHullVertices(big);
    const pts = [[0, 0], ...hull.map((i) => [big.fp[i], big.tp[i]])];
    for (let k = 2; k < pts.length; k++) {
      const [a, b, c] = [pts[k - 2], pts[k - 1], pts[k]];
      expect((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).toBeLessThan(0);
    }
    const hullHeight = (x: number) => {
      let y = -Infinity;
      for (let k = 1; k < pts.length; k++) {
        const [a, b] = [pts[k - 1], pts[k]];
        if (x < a[0] || x > b[0]) continue;
        y = Math.max(y, b[0] === a[0] ? b[1] : a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]));
      }
      return y;
    };
    for (let i = 0; i < big.tp.length; i++) expect(big.tp[i]).toBeLessThanOrEqual(hullHeight(big.fp[i]) + 1e-9);
  });

  test("an empty sweep has no points", () => {
    expect(sweepPoints(thresholdSweep(scoreCounts([], [])))).toEqual([]);
  });
});

import {describe, expect, test} from "vitest";
import {averagePrecision} from "../../../../../loaders/metrics/classification/averagePrecision.js";
import {precisionRecallCurve} from "../../../../../loaders/metrics/classification/precisionRecallCurve.js";
import {aucInterval, rocAuc} from "../../../../../loaders/metrics/classification/rocAuc.js";
import {rocCurve} from "../../../../../loaders/metrics/classification/rocCurve.js";
import {scoreCounts, scoreCountsFromGroups} from "../../../../../loaders/metrics/classification/scoreCounts.js";
import {confusionAt, thresholdSweep} from "../../../../../src/lib/metrics/classification/thresholdSweep.js";
import {expectClose, sklearnCases} from "./sklearn.js";

const curves = sklearnCases("curves.json");
const bruteForce = sklearnCases("brute_force.json");
const sweepOf = (c: {y_true: number[]; y_score: number[]}) => thresholdSweep(scoreCounts(c.y_score, c.y_true));

describe("thresholdSweep(scoreCounts(scores, labels))", () => {
  for (const [name, c] of Object.entries(curves)) {
    test(`equals sklearn's _binary_clf_curve: ${name}`, () => {
      const sweep = sweepOf(c);
      expect(Array.from(sweep.thresholds)).toEqual(c.binary_clf_curve.thresholds);
      expect(Array.from(sweep.tp)).toEqual(c.binary_clf_curve.tps);
      expect(Array.from(sweep.fp)).toEqual(c.binary_clf_curve.fps);
    });
  }

  test("grouped rows in any order give the same counts as raw scores", () => {
    const raw = scoreCounts([0.2, 0.9, 0.2, 0.5, 0.9, 0.9], [1, 0, 0, 1, 1, 1]);
    const grouped = scoreCountsFromGroups([
      {score: 0.5, positives: 1, negatives: 0},
      {score: 0.9, positives: 1, negatives: 1},
      {score: 0.2, positives: 1, negatives: 1},
      {score: 0.9, positives: 1, negatives: 0}
    ]);
    expect(grouped).toEqual(raw);
    expect(Array.from(raw.scores)).toEqual([0.9, 0.5, 0.2]);
    expect(Array.from(raw.positives)).toEqual([2, 1, 1]);
    expect(Array.from(raw.negatives)).toEqual([1, 0, 1]);
  });

  test("counts any finite scores (negative, -0, tiny, huge, tied) as a plain sort would", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pool = [
      -1e300,
      -2.5,
      -1,
      -Number.MIN_VALUE,
      -0,
      0,
      Number.MIN_VALUE,
      1e-300,
      0.1,
      0.30000000000000004,
      0.3,
      1,
      7,
      1e300
    ];
    const scores = Array.from({length: 5000}, (_, i) =>
      i % 3 ? pool[Math.floor(rand() * pool.length)] : (rand() - 0.5) * 10 ** Math.floor(rand() * 10)
    );
    const labels = scores.map(() => (rand() < 0.4 ? 1 : 0));
    const expected = new Map<number, [number, number]>();
    scores.forEach((s, i) => {
      const key = s === 0 ? 0 : s;
      const [p, n] = expected.get(key) ?? [0, 0];
      expected.set(key, labels[i] ? [p + 1, n] : [p, n + 1]);
    });
    const order = [...expected.keys()].sort((a, b) => b - a);
    const counts = scoreCounts(scores, labels);
    expect(Array.from(counts.scores)).toEqual(order);
    expect(Array.from(counts.positives)).toEqual(order.map((k) => expected.get(k)![0]));
    expect(Array.from(counts.negatives)).toEqual(order.map((k) => expected.get(k)![1]));
  });

  test("rejects a score that is not a finite number, naming its position", () => {
    expect(() => scoreCounts([0.1, NaN], [1, 0])).toThrow(
      "scoreCounts: score 1 is NaN; every score must be a finite number"
    );
  });

  test("confusionAt(sweep, t) flags exactly the items with score ≥ t, for any t", () => {
    const c = curves.ties_two_decimals;
    const sweep = sweepOf(c);
    for (const t of [-1, 0, 0.05, 0.3, 0.31, 0.5, 0.999, 1, 2]) {
      const flagged = c.y_score.map((s: number) => s >= t);
      const tp = flagged.filter((f: boolean, i: number) => f && c.y_true[i] === 1).length;
      const fp = flagged.filter((f: boolean, i: number) => f && c.y_true[i] === 0).length;
      expect(confusionAt(sweep, t)).toEqual({tp, fp, fn: sweep.positives - tp, tn: sweep.negatives - fp});
    }
  });
});

describe("rocCurve(sweep)", () => {
  for (const [name, c] of Object.entries(curves)) {
    if (!("value" in c.roc_curve) || c.roc_curve.warning) continue;
    test(`equals sklearn's roc_curve: ${name}`, () => {
      for (const [curve, drop] of [
        [c.roc_curve.value, true],
        [c.roc_curve_all_points.value, false]
      ] as const) {
        const roc = rocCurve(sweepOf(c), {dropIntermediate: drop})!;
        expectClose(roc.fpr, curve.fpr);
        expectClose(roc.tpr, curve.tpr);
        // sklearn 1.2 starts at max score + 1, 1.3+ at inf: both mean "nothing flagged".
        expect(roc.thresholds[0]).toBe(Infinity);
        expect(curve.thresholds[0]).toBeGreaterThan(Math.max(...c.y_score));
        expectClose(roc.thresholds.slice(1), curve.thresholds.slice(1));
      }
    });
  }

  test("is undefined with one class, where sklearn warns and fills NaN", () => {
    expect(curves.all_positive.roc_curve.warning).toMatch(/No negative samples/);
    expect(rocCurve(sweepOf(curves.all_positive))).toBeNull();
    expect(rocCurve(sweepOf(curves.all_negative))).toBeNull();
  });
});

describe("rocAuc(sweep) and aucInterval(counts)", () => {
  for (const [name, c] of Object.entries(curves)) {
    if (!("value" in c.roc_auc_score)) continue;
    test(`equals sklearn's roc_auc_score and a brute-force DeLong variance: ${name}`, () => {
      expectClose(rocAuc(sweepOf(c)), c.roc_auc_score.value);
      const ci = aucInterval(scoreCounts(c.y_score, c.y_true))!;
      expectClose(ci.auc, c.roc_auc_score.value);
      expectClose(ci.variance, bruteForce[name].delong.variance);
      expect(ci.low).toBeCloseTo(Math.max(0, ci.auc - 1.959963984540054 * Math.sqrt(ci.variance!)), 12);
    });
  }

  test("is undefined with one class, where sklearn raises", () => {
    expect(curves.all_negative.roc_auc_score.error).toBe(
      "Only one class present in y_true. ROC AUC score is not defined in that case."
    );
    expect(rocAuc(sweepOf(curves.all_negative))).toBeNull();
    expect(rocAuc(sweepOf(curves.all_positive))).toBeNull();
    expect(aucInterval(scoreCounts([0.3, 0.4], [1, 1]))).toBeNull();
  });

  test("all scores tied gives 0.5 with a variance of 0", () => {
    const ci = aucInterval(scoreCounts(curves.all_scores_tied.y_score, curves.all_scores_tied.y_true))!;
    expect(ci).toEqual({auc: 0.5, variance: 0, low: 0.5, high: 0.5});
  });
});

describe("precisionRecallCurve(sweep) and averagePrecision(sweep)", () => {
  for (const [name, c] of Object.entries(curves)) {
    if (c.precision_recall_curve.warning) continue;
    test(`equal sklearn's precision_recall_curve and average_precision_score: ${name}`, () => {
      const sweep = sweepOf(c);
      const pr = precisionRecallCurve(sweep)!;
      expectClose(pr.precision, c.precision_recall_curve.value.precision);
      expectClose(pr.recall, c.precision_recall_curve.value.recall);
      expectClose(pr.thresholds, c.precision_recall_curve.value.thresholds);
      expectClose(averagePrecision(sweep), c.average_precision_score.value);
    });
  }

  test("are undefined without positives, where sklearn warns and returns AP 0", () => {
    expect(curves.all_negative.average_precision_score).toEqual({
      value: -0,
      warning: "No positive class found in y_true, recall is set to one for all thresholds."
    });
    expect(precisionRecallCurve(sweepOf(curves.all_negative))).toBeNull();
    expect(averagePrecision(sweepOf(curves.all_negative))).toBeNull();
  });

  test("all positives gives AP 1", () => {
    expect(averagePrecision(sweepOf(curves.all_positive))).toBe(1);
  });
});

// The classifier page recomputes rates, costs and the optimum from shipped points as the slider and
// cost inputs move; these must equal the loader-side metrics on the full data.
import {describe, expect, test} from "vitest";
import {
  costOptimalThreshold,
  costPerThousand as metricCostPerThousand
} from "../../../../src/lib/metrics/classification/costOptimalThreshold.js";
import {scoreCounts} from "../../../../loaders/metrics/classification/scoreCounts.js";
import {sweepPoints} from "../../../../loaders/metrics/classification/sweepPoints.js";
import {confusionAt, thresholdSweep} from "../../../../src/lib/metrics/classification/thresholdSweep.js";
import {wilsonInterval} from "../../../../src/lib/metrics/wilson.js";
import type {SweepPayload} from "../../../../loaders/queries/classifierSlices.js";
import {
  autoHandledMatrix,
  costPerThousand,
  countsAtPoint,
  fmtThreshold,
  optimalPoint,
  pointAt,
  ratesOf,
  snapThreshold
} from "../../../../src/components/classifierMath.js";
import {matrixCells} from "../../../../src/components/confusionMatrixChart.js";
import {confusedPairs} from "../../../../src/components/classifierTables.js";
import {sklearnCases} from "../../loaders/metrics/classification/sklearn.js";

const {continuous: c} = sklearnCases("brute_force.json");
const sweep = thresholdSweep(scoreCounts(c.y_score, c.y_true));
const kept = sweepPoints(sweep, {resolution: 0.05});
const payload: SweepPayload = {
  positives: sweep.positives,
  negatives: sweep.negatives,
  threshold: kept.map((i) => sweep.thresholds[i]),
  tp: kept.map((i) => sweep.tp[i]),
  fp: kept.map((i) => sweep.fp[i])
};

describe("page-side threshold math (src/components/classifierMath.ts)", () => {
  test("every 0.01 slider position gives the full-data confusion matrix, though points are downsampled", () => {
    expect(payload.threshold.length).toBeLessThan(sweep.thresholds.length);
    for (let k = 0; k <= 100; k++) {
      const t = snapThreshold(k / 100 + 1e-9);
      expect(t).toBe(k / 100);
      expect(countsAtPoint(payload, pointAt(payload, t)), `threshold ${t}`).toEqual(confusionAt(sweep, t));
    }
  });

  test("rates are the Wilson rates of those counts", () => {
    const counts = confusionAt(sweep, 0.42);
    const r = ratesOf(counts);
    expect(r.precision).toEqual(wilsonInterval(counts.tp, counts.tp + counts.fp));
    expect(r.recall).toEqual(wilsonInterval(counts.tp, sweep.positives));
    expect(r.falsePositiveRate).toEqual(wilsonInterval(counts.fp, sweep.negatives));
    expect(r.flagged).toEqual(wilsonInterval(counts.tp + counts.fp, sweep.positives + sweep.negatives));
    expect(r.f1).toBe((2 * counts.tp) / (2 * counts.tp + counts.fp + counts.fn));
  });

  test("the optimum over shipped points equals the full-data optimum for costs the PM types in", () => {
    for (const [fp, fn] of [
      [1, 1],
      [0.5, 25],
      [25, 0.5],
      [3, 3],
      [0, 2],
      [2, 0],
      [0.01, 0.07],
      [13, 4]
    ]) {
      const costs = {falsePositive: fp, falseNegative: fn};
      const full = costOptimalThreshold(sweep, costs);
      const page = optimalPoint(payload, costs);
      expect({threshold: page.threshold ?? Infinity, ...page.counts, cost: page.cost}).toEqual(full);
      expect(costPerThousand(page.counts, costs)).toEqual(metricCostPerThousand(full, costs));
    }
  });

  test("the auto-handled matrix at a slider threshold sums the cells shipped down to it", () => {
    const cells = [
      [0, 0, 1, 0, 1, 1],
      [1, 1, 1],
      [1, 0, 1, 2, 2, 1]
    ];
    const multi: SweepPayload = {
      positives: 3,
      negatives: 2,
      threshold: [0.9, 0.6, 0.2],
      tp: [1, 2, 3],
      fp: [1, 1, 2],
      cellThresholds: [0.9, 0.6, 0.2],
      cells
    };
    expect(autoHandledMatrix(multi, 0.95, 3)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0]
    ]);
    expect(autoHandledMatrix(multi, 0.9, 3)).toEqual([
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 0]
    ]);
    expect(autoHandledMatrix(multi, 0.6, 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 0]
    ]);
    expect(autoHandledMatrix(multi, 0.3, 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 0]
    ]);
    expect(autoHandledMatrix(multi, 0, 3)).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 1]
    ]);
  });
});

describe("matrix display helpers", () => {
  test("fmtThreshold keeps short thresholds as stored and cuts long ones to 4 decimals", () => {
    expect([0.55, 0.551, 0.01, 1, 0.13091391189107, 0.30000000000000004].map(fmtThreshold)).toEqual([
      "0.55",
      "0.551",
      "0.01",
      "1",
      "0.1309",
      "0.3000"
    ]);
  });

  const matrix = {
    labels: ["a", "b", "c"],
    counts: [
      [3, 1, 0],
      [0, 0, 0],
      [2, 0, 4]
    ]
  };

  test("a row without items shows — instead of 0% or NaN", () => {
    const cells = matrixCells(matrix, "true");
    expect(cells.filter((c) => c.label === "b").map((c) => c.text)).toEqual(["—", "—", "—"]);
    expect(cells.filter((c) => c.label === "a").map((c) => c.text)).toEqual(["75%", "25%", "0%"]);
    expect(
      matrixCells(matrix, "pred")
        .filter((c) => c.predicted === "b")
        .map((c) => c.text)
    ).toEqual(["100%", "0%", "0%"]);
    expect(
      matrixCells(matrix, "count")
        .map((c) => c.text)
        .join(" ")
    ).toBe("3 1 0 0 0 0 2 0 4");
  });

  test("confusedPairs lists the largest off-diagonal cells first", () => {
    expect(confusedPairs(matrix)).toEqual([
      {label: "c", predicted: "a", count: 2, of: 6},
      {label: "a", predicted: "b", count: 1, of: 4}
    ]);
  });
});

import {describe, expect, test} from "vitest";
import {brierScore} from "../../../../../loaders/metrics/classification/brierScore.js";
import {
  calibrationCurve,
  expectedCalibrationError,
  uniformEdges
} from "../../../../../loaders/metrics/classification/calibrationCurve.js";
import {scoreCounts} from "../../../../../loaders/metrics/classification/scoreCounts.js";
import {expectClose, sklearnCases} from "./sklearn.js";

const calibration = sklearnCases("calibration.json");
const curves = sklearnCases("curves.json");

describe("calibrationCurve(counts, {bins})", () => {
  for (const [name, c] of Object.entries(calibration)) {
    test(`equals sklearn's calibration_curve(strategy="uniform") on its non-empty bins: ${name}`, () => {
      const bins = calibrationCurve(scoreCounts(c.y_prob, c.y_true), {bins: c.n_bins});
      expect(bins.map((b) => b.count)).toEqual(c.bin_counts);
      const filled = bins.filter((b) => b.count > 0);
      expectClose(
        filled.map((b) => b.fractionPositive!),
        c.calibration_curve.prob_true
      );
      expectClose(
        filled.map((b) => b.meanPredicted!),
        c.calibration_curve.prob_pred
      );
      expectClose(expectedCalibrationError(bins), c.expected_calibration_error);
    });
  }

  test("puts a score on an inner edge in the bin below, as numpy.searchsorted does", () => {
    const bins = calibrationCurve(scoreCounts([0, 0.1, 0.3, 0.30000000000000004, 0.6, 1], [0, 0, 1, 1, 1, 1]), {
      bins: 10
    });
    expect(bins.map((b) => b.count)).toEqual([2, 0, 2, 0, 0, 1, 0, 0, 0, 1]);
  });

  test("keeps empty bins with null means, and edges equal numpy.linspace", () => {
    expect(Array.from(uniformEdges(10))).toEqual([
      0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1
    ]);
    const [first, second] = calibrationCurve(scoreCounts([0.05], [1]), {bins: 10});
    expect(first).toEqual({low: 0, high: 0.1, count: 1, meanPredicted: 0.05, fractionPositive: 1, positives: 1});
    expect(second).toEqual({low: 0.1, high: 0.2, count: 0, meanPredicted: null, fractionPositive: null, positives: 0});
  });

  test("rejects a score outside [0, 1] and has no error for no items", () => {
    expect(() => calibrationCurve(scoreCounts([1.5], [1]))).toThrow(
      "calibrationCurve: scores must be probabilities in [0, 1], got 1.5"
    );
    expect(expectedCalibrationError(calibrationCurve(scoreCounts([], [])))).toBeNull();
  });
});

describe("brierScore(counts)", () => {
  for (const [name, c] of Object.entries(curves)) {
    test(`equals sklearn's brier_score_loss: ${name}`, () => {
      expectClose(brierScore(scoreCounts(c.y_score, c.y_true)), c.brier_score_loss.value);
    });
  }

  test("is null without items", () => {
    expect(brierScore(scoreCounts([], []))).toBeNull();
  });
});

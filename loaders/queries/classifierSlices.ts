// Everything a classifier page shows for one slice (a model, in all segments or one), computed from
// grouped warehouse rows with the pure metrics in loaders/metrics/classification/. The threshold
// sweep is shipped as a few thousand points (see sweepPoints), never as rows.
import {averagePrecision} from "../metrics/classification/averagePrecision.js";
import {brierScore} from "../metrics/classification/brierScore.js";
import {
  calibrationCurve,
  expectedCalibrationError,
  type CalibrationBin
} from "../metrics/classification/calibrationCurve.js";
import {classificationReport, type ClassificationReport} from "../metrics/classification/classificationReport.js";
import {confusionMatrix, type ConfusionMatrix, type LabelPair} from "../metrics/classification/confusionMatrix.js";
import {
  costOptimalThreshold,
  costPerThousand,
  type CostPerThousand,
  type ErrorCosts
} from "../../src/lib/metrics/classification/costOptimalThreshold.js";
import {aucInterval, type AucInterval} from "../metrics/classification/rocAuc.js";
import type {ScoreCounts} from "../metrics/classification/scoreCounts.js";
import {coverageAtAccuracy, type CoverageAtAccuracy} from "../metrics/classification/selectivePrediction.js";
import {sliderIndices, sweepPoints} from "../metrics/classification/sweepPoints.js";
import {thresholdSweep, type ThresholdSweep} from "../../src/lib/metrics/classification/thresholdSweep.js";

/** A downsampled sweep: at threshold[i], tp[i] positives and fp[i] negatives have score ≥ threshold[i]. */
export interface SweepPayload {
  positives: number;
  negatives: number;
  threshold: number[];
  tp: number[];
  fp: number[];
  /**
   * Multiclass only, at the thresholds the page's slider can select (0.00, 0.01, … 1.00): cells[i]
   * lists, as flat [true label index, predicted label index, count, …], the items first auto-handled
   * at cellThresholds[i], so the matrix of auto-handled items there is the sum of cells[0..i].
   */
  cellThresholds?: number[];
  cells?: number[][];
}

export interface ThresholdChoice {
  /** Flag (binary) or auto-handle (multiclass) items with score ≥ threshold; null flags nothing. */
  threshold: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  cost: number;
  perThousand: CostPerThousand | null;
}

export interface ScoredSlice {
  /** Items with a score. */
  n: number;
  sweep: SweepPayload;
  /** Points in the full sweep before downsampling. */
  distinctThresholds: number;
  auc: AucInterval | null;
  averagePrecision: number | null;
  calibration: {bins: CalibrationBin[]; ece: number | null; brier: number | null};
  optimum: ThresholdChoice;
  coverageAtTarget: CoverageAtAccuracy | null;
  /** Binary only: the sweep over (confidence in the predicted label, correct) for selective prediction. */
  selective?: SweepPayload;
}

/** Multiclass: one row per (confidence, true label, predicted label), confidence decreasing. */
export interface CellColumns {
  score: ArrayLike<number>;
  /** Indices into the task's labels. */
  label: ArrayLike<number>;
  predicted: ArrayLike<number>;
  count: ArrayLike<number>;
}

export interface SliceInputs {
  /** Rows for the confusion matrix: true label, predicted label (as shipped), count. */
  pairs: LabelPair[];
  /** Binary: (score, positives, negatives). Multiclass: (confidence, correct, wrong). Empty without scores. */
  scores: ScoreCounts;
  /** Multiclass: the matrix cells behind each confidence, for the matrix at each threshold. */
  cells?: CellColumns;
  /** Binary: (confidence in the predicted label, correct, wrong). */
  confidence?: ScoreCounts;
}

export interface SliceOptions {
  labels: string[];
  costs: ErrorCosts;
  targetAccuracy: number;
}

export interface SliceResult {
  n: number;
  matrix: ConfusionMatrix;
  report: ClassificationReport;
  scored: ScoredSlice | null;
}

export function sliceResult(inputs: SliceInputs, options: SliceOptions): SliceResult {
  const matrix = confusionMatrix(inputs.pairs, options.labels);
  // The report uses the labels present in the slice, as sklearn does by default.
  const report = classificationReport(confusionMatrix(inputs.pairs));
  const n = inputs.pairs.reduce((a, p) => a + (p.count ?? 1), 0);
  return {n, matrix, report, scored: scoredSlice(inputs, options)};
}

function scoredSlice(inputs: SliceInputs, {labels, costs, targetAccuracy}: SliceOptions): ScoredSlice | null {
  if (!inputs.scores.scores.length) return null;
  const counts = inputs.scores;
  const sweep = thresholdSweep(counts);
  const kept = sweepPoints(sweep);
  const payload = sweepPayload(sweep, kept);
  if (inputs.cells) {
    payload.cellThresholds = [...new Set(sliderIndices(sweep))].sort((a, b) => a - b).map((i) => sweep.thresholds[i]);
    payload.cells = cellDeltas(inputs.cells, payload.cellThresholds, labels.length);
  }
  const best = costOptimalThreshold(sweep, costs);
  const bins = calibrationCurve(counts);
  const selectiveSweep = inputs.confidence ? thresholdSweep(inputs.confidence) : sweep;
  return {
    n: sweep.positives + sweep.negatives,
    sweep: payload,
    distinctThresholds: sweep.thresholds.length,
    auc: aucInterval(counts),
    averagePrecision: averagePrecision(sweep),
    calibration: {bins, ece: expectedCalibrationError(bins), brier: brierScore(counts)},
    optimum: {
      ...best,
      threshold: Number.isFinite(best.threshold) ? best.threshold : null,
      perThousand: costPerThousand(best, costs)
    },
    coverageAtTarget: coverageAtAccuracy(selectiveSweep, targetAccuracy),
    ...(inputs.confidence ? {selective: sweepPayload(selectiveSweep, sweepPoints(selectiveSweep))} : {})
  };
}

function sweepPayload(sweep: ThresholdSweep, kept: number[]): SweepPayload {
  return {
    positives: sweep.positives,
    negatives: sweep.negatives,
    threshold: kept.map((i) => sweep.thresholds[i]),
    tp: kept.map((i) => sweep.tp[i]),
    fp: kept.map((i) => sweep.fp[i])
  };
}

/** Assigns each (score, label, predicted) row to the first of the thresholds (decreasing) it reaches; lower scores are dropped. */
function cellDeltas(cells: CellColumns, thresholds: number[], k: number): number[][] {
  const perPoint = thresholds.map(() => new Map<number, number>());
  for (let r = 0; r < cells.score.length; r++) {
    let lo = 0;
    let hi = thresholds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (thresholds[mid] <= cells.score[r]) hi = mid;
      else lo = mid + 1;
    }
    if (cells.score[r] < thresholds[lo]) continue;
    const key = cells.label[r] * k + cells.predicted[r];
    perPoint[lo].set(key, (perPoint[lo].get(key) ?? 0) + cells.count[r]);
  }
  return perPoint.map((m) =>
    [...m.entries()].sort((a, b) => a[0] - b[0]).flatMap(([key, n]) => [Math.floor(key / k), key % k, n])
  );
}

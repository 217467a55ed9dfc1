// What the classifier page computes as the slider and cost inputs move, from the shipped sweep
// points alone (never rows), with the same functions the loaders ran on the full sweep (src/lib/).
import type {SweepPayload} from "../../loaders/queries/classifierSlices.js";
import {wilsonInterval, type Rate} from "../lib/metrics/wilson.js";
import {
  costAt,
  costOptimalThreshold,
  type CostPerThousand,
  type ErrorCosts
} from "../lib/metrics/classification/costOptimalThreshold.js";
import {
  confusionAtIndex,
  sweepIndexAt,
  type Confusion,
  type ThresholdSweep
} from "../lib/metrics/classification/thresholdSweep.js";

export {costPerThousand} from "../lib/metrics/classification/costOptimalThreshold.js";
export type {Rate, CostPerThousand};
export type Counts = Confusion;
export type Costs = ErrorCosts;

/** The shipped points as the sweep the metrics read (no copy: the arrays are shared). */
const asSweep = (p: SweepPayload): ThresholdSweep => ({
  thresholds: p.threshold,
  tp: p.tp,
  fp: p.fp,
  positives: p.positives,
  negatives: p.negatives
});

/** A threshold as the page shows it: as stored when short (0.55, 0.551), else to 4 decimals (0.1309). */
export const fmtThreshold = (t: number) => (String(t).length <= 6 ? String(t) : t.toFixed(4));

/** A slider value snapped to its 0.01 step exactly as k / 100, the value the sweep's points were chosen for. */
export const snapThreshold = (x: number) => Math.round(x * 100) / 100;

/** Index of the last shipped point whose threshold is ≥ t (−1: nothing reaches t). */
export const pointAt = (sweep: SweepPayload, t: number): number => sweepIndexAt(asSweep(sweep), t);

export const countsAtPoint = (sweep: SweepPayload, i: number): Counts => confusionAtIndex(asSweep(sweep), i);

export interface Rates {
  precision: Rate;
  recall: Rate;
  falsePositiveRate: Rate;
  /** Share of all items with score ≥ t: flagged (binary) or auto-handled (multiclass). */
  flagged: Rate;
  f1: number | null;
}

export function ratesOf({tp, fp, fn, tn}: Counts): Rates {
  const n = tp + fp + fn + tn;
  return {
    precision: wilsonInterval(tp, tp + fp),
    recall: wilsonInterval(tp, tp + fn),
    falsePositiveRate: wilsonInterval(fp, fp + tn),
    flagged: wilsonInterval(tp + fp, n),
    f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null
  };
}

/**
 * The cheapest shipped point (or flagging nothing, index −1) for these costs. The shipped points
 * include every vertex of the ROC convex hull, so this is the optimum over all thresholds.
 */
export function optimalPoint(
  sweep: SweepPayload,
  costs: Costs
): {index: number; threshold: number | null; counts: Counts; cost: number} {
  const best = costOptimalThreshold(asSweep(sweep), costs);
  const index = best.threshold === Infinity ? -1 : sweepIndexAt(asSweep(sweep), best.threshold);
  const {tp, fp, fn, tn, cost} = costAt(asSweep(sweep), index, costs);
  return {index, threshold: index < 0 ? null : best.threshold, counts: {tp, fp, fn, tn}, cost};
}

/** Multiclass: the confusion matrix of the items auto-handled at a slider threshold t (score ≥ t). */
export function autoHandledMatrix(sweep: SweepPayload, t: number, k: number): number[][] {
  const m = Array.from({length: k}, () => new Array<number>(k).fill(0));
  const cells = sweep.cells ?? [];
  const thresholds = sweep.cellThresholds ?? [];
  for (let p = 0; p < cells.length && thresholds[p] >= t; p++) {
    const c = cells[p];
    for (let j = 0; j < c.length; j += 3) m[c[j]][c[j + 1]] += c[j + 2];
  }
  return m;
}

export interface SweepRow {
  threshold: number;
  metric: string;
  value: number;
}

/** Long-format rows for the sweep chart: one per shipped point and metric with a defined value. */
export function sweepRows(
  sweep: SweepPayload,
  names: {precision: string; recall: string; fpr: string; flagged: string}
): SweepRow[] {
  const rows: SweepRow[] = [];
  for (let i = 0; i < sweep.threshold.length; i++) {
    const r = ratesOf(countsAtPoint(sweep, i));
    const threshold = sweep.threshold[i];
    const push = (metric: string, value: number | null) => value !== null && rows.push({threshold, metric, value});
    push(names.precision, r.precision.rate);
    push(names.recall, r.recall.rate);
    push("F1", r.f1);
    push(names.fpr, r.falsePositiveRate.rate);
    push(names.flagged, r.flagged.rate);
  }
  return rows;
}

/** ROC points (fpr, tpr) from (0, 0) through every shipped point; empty when one class is missing. */
export function rocPoints(sweep: SweepPayload): {fpr: number; tpr: number; threshold: number | null}[] {
  if (!sweep.positives || !sweep.negatives) return [];
  return [
    {fpr: 0, tpr: 0, threshold: null},
    ...sweep.threshold.map((threshold, i) => ({
      fpr: sweep.fp[i] / sweep.negatives,
      tpr: sweep.tp[i] / sweep.positives,
      threshold
    }))
  ];
}

/** Precision–recall points at every shipped point; empty without positives. */
export function prPoints(sweep: SweepPayload): {recall: number; precision: number; threshold: number}[] {
  if (!sweep.positives) return [];
  return sweep.threshold.map((threshold, i) => ({
    recall: sweep.tp[i] / sweep.positives,
    precision: sweep.tp[i] / (sweep.tp[i] + sweep.fp[i]),
    threshold
  }));
}

/** Selective prediction: coverage and accuracy of auto-handled items at each shipped point. */
export function coveragePoints(
  sweep: SweepPayload
): {coverage: number; accuracy: number; threshold: number; covered: number}[] {
  const n = sweep.positives + sweep.negatives;
  return sweep.threshold.map((threshold, i) => ({
    coverage: (sweep.tp[i] + sweep.fp[i]) / n,
    accuracy: sweep.tp[i] / (sweep.tp[i] + sweep.fp[i]),
    threshold,
    covered: sweep.tp[i] + sweep.fp[i]
  }));
}

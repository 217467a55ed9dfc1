// What the classifier page computes as the slider and cost inputs move, from the shipped sweep
// points alone (never rows). Every function equals its loaders/metrics counterpart on those points;
// test/unit/src/components/classifierMath.test.ts pins that, since pages cannot import from loaders/.
import type {SweepPayload} from "../../loaders/queries/classifierSlices.js";

export interface Rate {
  rate: number | null;
  n: number;
  successes: number;
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

/** Wilson score interval, as loaders/metrics/wilson.ts. */
export function wilson(successes: number, n: number): Rate {
  if (n === 0) return {rate: null, n, successes, low: null, high: null};
  const p = successes / n;
  const z2 = Z95 * Z95;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {rate: p, n, successes, low: successes === 0 ? 0 : Math.max(0, center - half), high: successes === n ? 1 : Math.min(1, center + half)};
}

/** A threshold as the page shows it: as stored when short (0.55, 0.551), else to 4 decimals (0.1309). */
export const fmtThreshold = (t: number) => (String(t).length <= 6 ? String(t) : t.toFixed(4));

/** A slider value snapped to its 0.01 step exactly as k / 100, the value the sweep's points were chosen for. */
export const snapThreshold = (x: number) => Math.round(x * 100) / 100;

/** Index of the last shipped point whose threshold is ≥ t (−1: nothing reaches t). */
export function pointAt(sweep: SweepPayload, t: number): number {
  let lo = 0;
  let hi = sweep.threshold.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sweep.threshold[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function countsAtPoint(sweep: SweepPayload, i: number): Counts {
  const tp = i < 0 ? 0 : sweep.tp[i];
  const fp = i < 0 ? 0 : sweep.fp[i];
  return {tp, fp, fn: sweep.positives - tp, tn: sweep.negatives - fp};
}

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
    precision: wilson(tp, tp + fp),
    recall: wilson(tp, tp + fn),
    falsePositiveRate: wilson(fp, fp + tn),
    flagged: wilson(tp + fp, n),
    f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null,
  };
}

export interface Costs {
  falsePositive: number;
  falseNegative: number;
}

export interface CostPerThousand {
  value: number;
  low: number;
  high: number;
  n: number;
}

/** As loaders/metrics/classification/costOptimalThreshold.ts costPerThousand. */
export function costPerThousand({tp, fp, fn, tn}: Counts, costs: Costs): CostPerThousand | null {
  const n = tp + fp + fn + tn;
  if (n === 0) return null;
  const mean = (costs.falsePositive * fp + costs.falseNegative * fn) / n;
  const squares = fp * costs.falsePositive ** 2 + fn * costs.falseNegative ** 2;
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  const half = Z95 * Math.sqrt(variance / n);
  return {value: 1000 * mean, low: 1000 * Math.max(0, mean - half), high: 1000 * (mean + half), n};
}

/**
 * The cheapest shipped point (or flagging nothing, index −1) for these costs. The shipped points
 * include every vertex of the ROC convex hull, so this is the optimum over all thresholds.
 */
export function optimalPoint(sweep: SweepPayload, costs: Costs): {index: number; threshold: number | null; counts: Counts; cost: number} {
  let best = -1;
  let bestCost = costs.falseNegative * sweep.positives;
  for (let i = 0; i < sweep.threshold.length; i++) {
    const cost = costs.falsePositive * sweep.fp[i] + costs.falseNegative * (sweep.positives - sweep.tp[i]);
    if (cost < bestCost) (bestCost = cost), (best = i);
  }
  return {index: best, threshold: best < 0 ? null : sweep.threshold[best], counts: countsAtPoint(sweep, best), cost: bestCost};
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
export function sweepRows(sweep: SweepPayload, names: {precision: string; recall: string; fpr: string; flagged: string}): SweepRow[] {
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
  return [{fpr: 0, tpr: 0, threshold: null}, ...sweep.threshold.map((threshold, i) => ({fpr: sweep.fp[i] / sweep.negatives, tpr: sweep.tp[i] / sweep.positives, threshold}))];
}

/** Precision–recall points at every shipped point; empty without positives. */
export function prPoints(sweep: SweepPayload): {recall: number; precision: number; threshold: number}[] {
  if (!sweep.positives) return [];
  return sweep.threshold.map((threshold, i) => ({recall: sweep.tp[i] / sweep.positives, precision: sweep.tp[i] / (sweep.tp[i] + sweep.fp[i]), threshold}));
}

/** Selective prediction: coverage and accuracy of auto-handled items at each shipped point. */
export function coveragePoints(sweep: SweepPayload): {coverage: number; accuracy: number; threshold: number; covered: number}[] {
  const n = sweep.positives + sweep.negatives;
  return sweep.threshold.map((threshold, i) => ({coverage: (sweep.tp[i] + sweep.fp[i]) / n, accuracy: sweep.tp[i] / (sweep.tp[i] + sweep.fp[i]), threshold, covered: sweep.tp[i] + sweep.fp[i]}));
}

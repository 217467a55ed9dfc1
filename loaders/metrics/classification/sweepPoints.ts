// Which thresholds of a sweep to ship to a page: a few thousand at most, chosen so nothing a PM
// reads is lost. Kept: both ends; every vertex of the ROC convex hull, where the cost-optimal
// threshold lies for ANY pair of non-negative error costs (so a page that lets the PM edit the costs
// still finds the exact optimum); the best F1; for each step of a slider (0.00, 0.01, … 1.00), the
// threshold that slider position selects; and a point whenever recall, false-positive rate or the
// flagged share has moved by `resolution` since the last kept point, so curves keep their shape.
import type {ThresholdSweep} from "../../../src/lib/metrics/classification/thresholdSweep.js";

export interface SweepPointOptions {
  /** Smallest change in recall, false-positive rate or flagged share worth a point; defaults to 1/1000. */
  resolution?: number;
  /** Slider step whose every position must be exact; defaults to 0.01. */
  sliderStep?: number;
}

export function sweepPoints(
  sweep: ThresholdSweep,
  {resolution = 1 / 1000, sliderStep = 0.01}: SweepPointOptions = {}
): number[] {
  const n = sweep.thresholds.length;
  if (n === 0) return [];
  const keep = new Uint8Array(n);
  for (const i of [0, n - 1, ...rocHullVertices(sweep), bestF1(sweep), ...sliderIndices(sweep, sliderStep)])
    keep[i] = 1;
  const total = sweep.positives + sweep.negatives;
  const P = sweep.positives || 1;
  const N = sweep.negatives || 1;
  let last = 0;
  for (let i = 1; i < n; i++) {
    const moved = Math.max(
      (sweep.tp[i] - sweep.tp[last]) / P,
      (sweep.fp[i] - sweep.fp[last]) / N,
      (sweep.tp[i] + sweep.fp[i] - sweep.tp[last] - sweep.fp[last]) / total
    );
    if (moved >= resolution || keep[i]) {
      keep[i] = 1;
      last = i;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/** Upper-left convex hull of the ROC points (0, 0), (fpᵢ, tpᵢ)…; exact in whole counts. */
export function rocHullVertices({tp, fp}: ThresholdSweep): number[] {
  const hull: number[] = [];
  const x = (i: number) => (i < 0 ? 0 : fp[i]);
  const y = (i: number) => (i < 0 ? 0 : tp[i]);
  const stack = [-1];
  for (let i = 0; i < tp.length; i++) {
    while (stack.length >= 2) {
      const a = stack[stack.length - 2];
      const b = stack[stack.length - 1];
      // Pop b when it is not strictly left of the line from a to i (collinear points are dropped).
      if ((x(b) - x(a)) * (y(i) - y(a)) - (y(b) - y(a)) * (x(i) - x(a)) >= 0) stack.pop();
      else break;
    }
    stack.push(i);
  }
  for (const i of stack) if (i >= 0) hull.push(i);
  return hull;
}

function bestF1({tp, fp, positives}: ThresholdSweep): number {
  let best = 0;
  let bestF1 = -1;
  for (let i = 0; i < tp.length; i++) {
    const f1 = (2 * tp[i]) / (tp[i] + fp[i] + positives);
    if (f1 > bestF1) ((bestF1 = f1), (best = i));
  }
  return best;
}

/** For each slider value v, the last index whose threshold is ≥ v: what "flag score ≥ v" selects. */
export function sliderIndices({thresholds}: Pick<ThresholdSweep, "thresholds">, step = 0.01): number[] {
  const out: number[] = [];
  const steps = Math.round(1 / step);
  let i = thresholds.length - 1;
  for (let k = 0; k <= steps; k++) {
    const v = k / steps;
    while (i >= 0 && thresholds[i] < v) i--;
    if (i < 0) break;
    out.push(i);
  }
  return out;
}

// Confusion matrix, as scikit-learn's confusion_matrix: rows are true labels, columns predicted
// labels, both in sortLabels order; pairs whose labels are not in `labels` are not counted.
import {sortLabels} from "./labels.js";

export interface ConfusionMatrix {
  labels: string[];
  /** counts[i][j]: items whose true label is labels[i] and predicted label is labels[j]. */
  counts: number[][];
}

export interface LabelPair {
  label: string;
  predicted: string;
  /** How many items share this pair; defaults to 1. */
  count?: number;
}

export function confusionMatrix(pairs: Iterable<LabelPair>, labels?: readonly string[]): ConfusionMatrix {
  const list = [...pairs];
  const order = labels ? [...labels] : sortLabels(list.flatMap((p) => [p.label, p.predicted]));
  const index = new Map(order.map((l, i) => [l, i]));
  const counts = order.map(() => order.map(() => 0));
  for (const {label, predicted, count = 1} of list) {
    const i = index.get(label);
    const j = index.get(predicted);
    if (i !== undefined && j !== undefined) counts[i][j] += count;
  }
  return {labels: order, counts};
}

export function pairsOf(yTrue: readonly string[], yPred: readonly string[]): LabelPair[] {
  if (yTrue.length !== yPred.length)
    throw new RangeError(`confusionMatrix: ${yTrue.length} true labels but ${yPred.length} predictions`);
  return yTrue.map((label, i) => ({label, predicted: yPred[i]}));
}

export type Normalization = "true" | "pred" | "all";

/**
 * Rates instead of counts, as sklearn's normalize="true" (each row sums to 1), "pred" (each column)
 * or "all". Where a row or column has no items sklearn writes 0; this writes null, so a page can say
 * "no items" instead of showing a 0% that never happened.
 */
export function normalizeConfusion({counts}: ConfusionMatrix, by: Normalization): (number | null)[][] {
  const rowSums = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = counts[0]?.map((_, j) => counts.reduce((a, row) => a + row[j], 0)) ?? [];
  const total = rowSums.reduce((a, b) => a + b, 0);
  return counts.map((row, i) =>
    row.map((v, j) => {
      const d = by === "true" ? rowSums[i] : by === "pred" ? colSums[j] : total;
      return d ? v / d : null;
    })
  );
}

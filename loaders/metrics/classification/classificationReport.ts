// Per-class precision, recall, F1 and support, and accuracy, macro and weighted averages, from a
// confusion matrix — the values of scikit-learn's precision_recall_fscore_support, accuracy_score and
// f1_score(average="macro" | "weighted") with zero_division=0. Per class, a rate with no denominator
// is null (shown as "—"); the averages count it as 0, exactly as sklearn does.
import {wilsonInterval, type Rate} from "../../../src/lib/metrics/wilson.js";
import type {ConfusionMatrix} from "./confusionMatrix.js";

export interface ClassMetrics {
  label: string;
  /** Items whose true label is this class. */
  support: number;
  /** Items predicted as this class. */
  predicted: number;
  tp: number;
  /** tp / predicted, with its Wilson interval; rate null when the class is never predicted. */
  precision: Rate;
  /** tp / support; rate null when the class never occurs in the labels. */
  recall: Rate;
  /** 2tp / (2tp + fp + fn); null when the class occurs nowhere. */
  f1: number | null;
}

export interface ClassificationReport {
  classes: ClassMetrics[];
  n: number;
  accuracy: Rate;
  macro: {precision: number | null; recall: number | null; f1: number | null};
  weighted: {precision: number | null; recall: number | null; f1: number | null};
}

export function classificationReport(cm: ConfusionMatrix): ClassificationReport {
  const k = cm.labels.length;
  const classes = cm.labels.map((label, i): ClassMetrics => {
    const tp = cm.counts[i][i];
    const support = cm.counts[i].reduce((a, b) => a + b, 0);
    const predicted = cm.counts.reduce((a, row) => a + row[i], 0);
    const denom = support + predicted;
    return {
      label,
      support,
      predicted,
      tp,
      precision: wilsonInterval(tp, predicted),
      recall: wilsonInterval(tp, support),
      f1: denom ? (2 * tp) / denom : null
    };
  });
  const n = classes.reduce((a, c) => a + c.support, 0);
  const correct = classes.reduce((a, c) => a + c.tp, 0);
  const zero = (x: number | null) => x ?? 0;
  const mean = (f: (c: ClassMetrics) => number | null) => (k ? classes.reduce((a, c) => a + zero(f(c)), 0) / k : null);
  const weighted = (f: (c: ClassMetrics) => number | null) =>
    n ? classes.reduce((a, c) => a + c.support * zero(f(c)), 0) / n : null;
  const precision = (c: ClassMetrics) => c.precision.rate;
  const recall = (c: ClassMetrics) => c.recall.rate;
  const f1 = (c: ClassMetrics) => c.f1;
  return {
    classes,
    n,
    accuracy: wilsonInterval(correct, n),
    macro: {precision: mean(precision), recall: mean(recall), f1: mean(f1)},
    weighted: {precision: weighted(precision), recall: weighted(recall), f1: weighted(f1)}
  };
}

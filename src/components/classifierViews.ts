// The blocks of the classifier page (src/classifiers.md): the page keeps the inputs and the layout,
// these functions turn the chosen task, model, segment, threshold and costs into what it shows.
// Framework keeps a cell's old output until the cell displays again, so each function returns one
// block (possibly empty) for its cell to display.
import {html} from "npm:htl";
import type {ClassifierTask, ClassifiersPage, Slice} from "../../loaders/queries/classifiers.js";
import type {ScoredSlice, SweepPayload} from "../../loaders/queries/classifierSlices.js";
import {fmtUsd} from "../lib/format.js";
import {wilsonInterval} from "../lib/metrics/wilson.js";
import {cards} from "./cards.js";
import {classReportTable, comparisonTable, confusedPairsTable} from "./classifierTables.js";
import {csvFilename, matrixCells, withCsv} from "./csvDownload.js";
import {
  autoHandledMatrix,
  costPerThousand,
  countsAtPoint,
  coveragePoints,
  fmtThreshold,
  optimalPoint,
  pointAt,
  prPoints,
  ratesOf,
  rocPoints,
  sweepRows,
  type Costs,
  type Counts
} from "./classifierMath.js";
import {confusionMatrixChart, type MatrixView} from "./confusionMatrixChart.js";
import {emptyState} from "./emptyState.js";
import {fmtCI, fmtInt, fmtPct} from "./format.js";
import {costChart, coverageChart, prChart, reliabilityChart, rocChart, sweepChart} from "./thresholdCharts.js";

/** Framework's resize, passed in by the page: renders at the width of the cell, again when it changes. */
export type Resize = (render: (width: number) => Node) => Node;

type Part = Node | string | null | undefined | false | 0;

export const block = (...parts: Part[]): HTMLElement =>
  html`<div>${parts.filter((p) => p != null && p !== false && p !== 0)}</div>`;

export const taskLabel = (t: ClassifierTask) =>
  `${t.task} (${t.kind === "binary" ? `binary, positive = ${t.positive?.label ?? "?"}` : `${t.labels.length} classes`})`;

/** All segments (null), then the segments in which this model has predictions. */
export const segmentOptions = (task: ClassifierTask, model: string): (string | null)[] => [
  null,
  ...task.segments.filter((s) => task.slices.some((x) => x.model === model && x.segment === s))
];

/** The chosen slice, with the names its rates go by: a multiclass "positive" is a route let through. */
export interface SliceView {
  task: ClassifierTask;
  model: string;
  segment: string | null;
  slice: Slice | null;
  binary: boolean;
  scored: ScoredSlice | null;
  names: {precision: string; recall: string; fpr: string; flagged: string};
}

/**
 * Where the threshold slider opens: a binary score at 0.5; a multiclass confidence at the lowest
 * threshold that reaches the target accuracy (the selective-prediction answer), else 0.5, since 0
 * would auto-handle everything and show nothing worth deciding. The slider moves in steps of 0.01:
 * rounding up keeps it from opening below the answer, where it would let in items the answer leaves
 * to a person (the 1e-9 keeps an exact 0.56, stored as 0.5600000000000001 × 100, at 0.56).
 */
export const defaultThreshold = (v: SliceView | null): number => {
  const atTarget = v?.binary ? null : v?.scored?.coverageAtTarget?.threshold;
  return atTarget == null ? 0.5 : Math.ceil(atTarget * 100 - 1e-9) / 100;
};

export function sliceView(task: ClassifierTask | null, model: string | null, segment: string | null): SliceView | null {
  if (!task || model === null) return null;
  const slice = task.slices.find((s) => s.model === model && s.segment === segment) ?? null;
  const binary = task.kind === "binary";
  const names = binary
    ? {precision: "Precision", recall: "Recall", fpr: "False-positive rate", flagged: "Flagged (to fallback)"}
    : {
        precision: "Accuracy of auto-handled",
        recall: "Right routes auto-handled",
        fpr: "Wrong routes let through",
        flagged: "Auto-handled (coverage)"
      };
  return {task, model, segment, slice, binary, scored: slice?.scored ?? null, names};
}

export const noTasks = (data: ClassifiersPage) => emptyState("classifier or guardrail predictions", data.hint);

export function sliceNotices(v: SliceView | null): HTMLElement {
  if (!v) return block();
  return block(
    ...v.task.problems.map((problem) => html`<div class="warning" role="status">${problem}</div>`),
    !v.slice &&
      html`<div class="note" role="status">No predictions from <strong>${v.model}</strong>${v.segment ? html` in segment <strong>${v.segment}</strong>` : ""}: pick another model or segment.</div>`
  );
}

const f1Text = (f1: number | null) => (f1 === null ? "—" : f1.toFixed(3));

export function sliceSummary(v: SliceView | null): HTMLElement {
  const slice = v?.slice;
  if (!v || !slice) return block();
  return block(
    html`<p class="muted">${v.binary ? html`Labels as the file gives them (<code>predicted</code>), else <code>score ≥ 0.5</code> → <strong>${v.task.positive?.label}</strong>.` : html`Predicted classes as the file gives them.`} Rows are the true labels; each cell's color is its share of the row.</p>`,
    cards([
      {label: "Items", value: fmtInt(slice.n), note: v.segment ? `segment ${v.segment}` : "all segments"},
      {label: "Accuracy", value: fmtPct(slice.report.accuracy.rate), note: fmtCI(slice.report.accuracy)},
      {label: "Macro-F1", value: f1Text(slice.report.macro.f1), note: "every class weighs the same"},
      {label: "Weighted F1", value: f1Text(slice.report.weighted.f1), note: "weighted by support"}
    ])
  );
}

/** A download's file name for the slice shown: the task, model and segment picked, and what it holds. */
const sliceFile = (v: SliceView, what: string) =>
  csvFilename("classifier", v.task.task, v.model, v.segment ?? "", what);

export function matrixSection(v: SliceView | null, view: MatrixView, resize: Resize): HTMLElement {
  const slice = v?.slice;
  if (!v || !slice) return block();
  return block(
    withCsv(
      resize((width) => confusionMatrixChart(slice.matrix, {width, view})),
      matrixCells(slice.matrix, "true_label", "predicted"),
      sliceFile(v, "matrix")
    ),
    withCsv(
      classReportTable(slice.report, {positive: v.binary ? (v.task.positive?.label ?? null) : null}),
      slice.report.classes,
      sliceFile(v, "classes")
    )
  );
}

export function pairsSection(v: SliceView | null): HTMLElement {
  if (!v) return block();
  const multiclass = v.slice && !v.binary;
  return block(
    multiclass && html`<h3>Which classes are mistaken for which</h3>`,
    multiclass && confusedPairsTable(v.slice!.matrix, wilsonInterval, sliceFile(v, "confused-pairs")),
    v.task.comparisons.length && html`<h3>Models on the same items</h3>`,
    v.task.comparisons.length &&
      withCsv(comparisonTable(v.task.comparisons), v.task.comparisons, csvFilename("classifier", v.task.task, "models"))
  );
}

export function sweepIntro(v: SliceView | null): HTMLElement {
  if (!v?.slice) return block();
  const {task, binary, scored} = v;
  return block(
    !scored &&
      emptyState(
        "scores for this slice",
        binary && !task.positive
          ? "Set the positive label in workbench.config.json (classifiers[].positive_label) to sweep thresholds."
          : "Add a score column (binary: probability of the positive class; multiclass: confidence of the predicted class) to sweep thresholds."
      ),
    scored &&
      html`<p class="muted">${binary ? html`Items with a score ≥ the threshold are flagged as <strong>${task.positive?.label}</strong> and sent to the fallback.` : html`Items whose confidence is ≥ the threshold are routed automatically; the rest go to a person. A "false positive" is a wrong route let through; a "false negative" is a right route sent to a person.`}</p>`
  );
}

/** Everything the slider and the cost inputs decide, computed once for the cells that show it. */
export interface ThresholdState {
  sweep: SweepPayload;
  threshold: number;
  costs: Costs;
  counts: Counts;
  rates: ReturnType<typeof ratesOf>;
  cost: ReturnType<typeof costPerThousand>;
  best: ReturnType<typeof optimalPoint>;
  bestCost: ReturnType<typeof costPerThousand>;
}

export function thresholdState(
  v: SliceView | null,
  threshold: number | null,
  costFp: unknown,
  costFn: unknown
): ThresholdState | null {
  const sweep = v?.scored?.sweep;
  if (!sweep || threshold === null) return null;
  const costs = {falsePositive: Number(costFp) || 0, falseNegative: Number(costFn) || 0};
  const counts = countsAtPoint(sweep, pointAt(sweep, threshold));
  const best = optimalPoint(sweep, costs);
  return {
    sweep,
    threshold,
    costs,
    counts,
    rates: ratesOf(counts),
    cost: costPerThousand(counts, costs),
    best,
    bestCost: costPerThousand(best.counts, costs)
  };
}

export function costsNote(v: SliceView | null, s: ThresholdState | null): HTMLElement {
  if (!v || !s) return block();
  const {task} = v;
  return block(
    html`<p class="muted">${task.costs.source === "config" ? "Costs default to workbench.config.json (classifiers[])." : html`No costs for ${task.task} in workbench.config.json: both default to 1. Set <code>classifiers[].cost_false_positive</code> and <code>cost_false_negative</code>.`}</p>`
  );
}

export function thresholdCards(v: SliceView | null, s: ThresholdState | null): HTMLElement {
  if (!v || !s) return block();
  const {binary, names} = v;
  const {rates, cost, best, bestCost} = s;
  const flagged = rates.flagged;
  const saving = cost && bestCost ? cost.value - bestCost.value : null;
  return block(
    html`<div id="threshold-cards">${cards([
      {label: names.precision, value: fmtPct(rates.precision.rate), note: fmtCI(rates.precision)},
      {label: names.recall, value: fmtPct(rates.recall.rate), note: fmtCI(rates.recall)},
      {label: names.fpr, value: fmtPct(rates.falsePositiveRate.rate), note: fmtCI(rates.falsePositiveRate)},
      binary
        ? {label: "Flagged (sent to fallback)", value: fmtPct(flagged.rate), note: fmtCI(flagged)}
        : {
            label: "Sent to a person",
            value: fmtPct(flagged.rate === null ? null : 1 - flagged.rate),
            note: fmtCI(wilsonInterval(flagged.n - flagged.successes, flagged.n))
          }
    ])}${cards([
      {label: "F1", value: f1Text(rates.f1), note: `at threshold ${s.threshold.toFixed(2)}`},
      {
        label: "Expected cost per 1,000",
        value: fmtUsd(cost?.value),
        note: cost ? `95% CI ${fmtUsd(cost.low)}–${fmtUsd(cost.high)}, n = ${fmtInt(cost.n)}` : "no items"
      },
      {
        label: "Cost-optimal threshold",
        value: best.threshold === null ? "flag nothing" : `≥ ${fmtThreshold(best.threshold)}`,
        note: `for these costs; ${fmtUsd(bestCost?.value)} per 1,000`,
        tone: "good"
      },
      {
        label: "Saving vs. this threshold",
        value: fmtUsd(saving),
        note: "per 1,000 requests",
        tone: saving !== null && saving > 0.005 ? "warn" : undefined
      }
    ])}</div>`
  );
}

export function thresholdMatrix(v: SliceView | null, s: ThresholdState | null, resize: Resize): HTMLElement {
  if (!v || !s) return block();
  const {task, binary} = v;
  const {counts, threshold} = s;
  const labels = binary ? [task.negativeLabel ?? "", task.positive?.label ?? ""] : task.labels;
  const matrix = binary
    ? {
        labels,
        counts: [
          [counts.tn, counts.fp],
          [counts.fn, counts.tp]
        ]
      }
    : {labels, counts: autoHandledMatrix(s.sweep, threshold, labels.length)};
  return block(
    html`<h3>Confusion matrix at threshold ${threshold.toFixed(2)}</h3>`,
    !binary &&
      html`<p class="muted">Auto-handled items only: ${fmtInt(counts.tp + counts.fp)} of ${fmtInt(v.scored!.n)}; ${fmtInt(counts.fn + counts.tn)} go to a person.</p>`,
    resize((width) =>
      confusionMatrixChart(matrix, {
        width: Math.min(width, binary ? 420 : width),
        view: "count",
        rowLabel: "True label",
        columnLabel: binary ? "Flagged as" : "Routed to"
      })
    )
  );
}

/** Where the charts mark the slider: the page hands it over one task after the cards repaint. */
export interface ChartView {
  threshold: number;
  counts: Counts;
}

const xLabelOf = (binary: boolean) =>
  binary ? "Threshold (flag when score ≥ threshold)" : "Confidence threshold (auto-handle when ≥)";

export function sweepCharts(
  v: SliceView | null,
  s: ThresholdState | null,
  at: ChartView | null,
  resize: Resize
): HTMLElement {
  if (!v || !s || !at) return block();
  const {names, binary} = v;
  const {sweep, costs, best} = s;
  const metrics = [names.precision, names.recall, "F1", names.fpr, names.flagged];
  const xLabel = xLabelOf(binary);
  const n = sweep.positives + sweep.negatives;
  const costPoints = sweep.threshold.map((t, i) => ({
    threshold: t,
    perThousand:
      (1000 * (costs.falsePositive * sweep.fp[i] + costs.falseNegative * (sweep.positives - sweep.tp[i]))) / n
  }));
  const rows = sweepRows(sweep, names);
  return block(
    withCsv(
      resize((width) => sweepChart(rows, {width, threshold: at.threshold, optimum: best.threshold, metrics, xLabel})),
      rows,
      sliceFile(v, "threshold-sweep")
    ),
    withCsv(
      resize((width) => costChart(costPoints, {width, threshold: at.threshold, optimum: best.threshold, xLabel})),
      costPoints,
      sliceFile(v, "cost-per-1000")
    )
  );
}

export function curveCharts(v: SliceView | null, at: ChartView | null, resize: Resize): HTMLElement {
  const scored = v?.scored;
  if (!v || !scored || !at) return block();
  const {names, binary} = v;
  const {sweep, auc} = scored;
  const rocTitle = auc
    ? `ROC — AUC ${auc.auc.toFixed(3)}${auc.low === null || auc.high === null ? "" : ` (95% CI ${auc.low.toFixed(3)}–${auc.high.toFixed(3)}, DeLong)`}`
    : "ROC — undefined: the labels hold only one class";
  const apTitle =
    scored.averagePrecision === null
      ? "Precision–recall — undefined: no positives"
      : `Precision–recall — average precision ${scored.averagePrecision.toFixed(3)}`;
  const roc = rocPoints(sweep);
  const pr = prPoints(sweep);
  const c = at.counts;
  const currentRoc = c.tp + c.fn && c.fp + c.tn ? {fpr: c.fp / (c.fp + c.tn), tpr: c.tp / (c.tp + c.fn)} : null;
  const currentPr = c.tp + c.fp && c.tp + c.fn ? {recall: c.tp / (c.tp + c.fn), precision: c.tp / (c.tp + c.fp)} : null;
  const axes = (x: string, y: string) => (binary ? {} : {xLabel: x, yLabel: y});
  return block(
    html`<div class="grid grid-cols-2">
    <div class="card">${
      roc.length
        ? withCsv(
            resize((width) =>
              rocChart(roc, {width, current: currentRoc, title: rocTitle, ...axes(names.fpr, names.recall)})
            ),
            roc,
            sliceFile(v, "roc")
          )
        : html`<p>${rocTitle}.</p>`
    }</div>
    <div class="card">${
      pr.length
        ? withCsv(
            resize((width) =>
              prChart(pr, {
                width,
                current: currentPr,
                prevalence: sweep.positives / (sweep.positives + sweep.negatives),
                title: apTitle,
                ...axes(names.recall, names.precision)
              })
            ),
            pr,
            sliceFile(v, "precision-recall")
          )
        : html`<p>${apTitle}.</p>`
    }</div>
  </div>`,
    html`<p class="muted">${fmtInt(scored.distinctThresholds)} distinct thresholds; ${fmtInt(sweep.threshold.length)} shipped to this page (every ROC-hull corner, so the cost optimum is exact for any costs). ${binary ? "Positive" : "Right"}: ${fmtInt(sweep.positives)}, ${binary ? "negative" : "wrong"}: ${fmtInt(sweep.negatives)}.</p>`
  );
}

export function calibrationSection(v: SliceView | null, resize: Resize): HTMLElement {
  const scored = v?.scored;
  if (!v || !scored) return block();
  const {binary, task, slice} = v;
  const positive = task.positive?.label;
  const cal = scored.calibration;
  return block(
    html`<p class="muted">${binary ? html`Does a score of 0.8 mean 80% of such items are <strong>${positive}</strong>?` : html`Does a confidence of 0.8 mean 80% of such routes are right?`} Ten equal-width bins; dots sized by items, bars show how many items fall in each bin.</p>`,
    cards([
      {
        label: "Expected calibration error",
        value: cal.ece === null ? "—" : fmtPct(cal.ece),
        note: "mean |observed − predicted|, weighted by bin size"
      },
      {
        label: "Brier score",
        value: cal.brier === null ? "—" : cal.brier.toFixed(4),
        note: binary ? "mean (score − outcome)²; 0 is perfect" : "of the confidence against right/wrong"
      },
      {
        label: "Scored items",
        value: fmtInt(scored.n),
        note: slice!.n > scored.n ? `${fmtInt(slice!.n - scored.n)} without a score` : "all items"
      }
    ]),
    withCsv(
      resize((width) =>
        reliabilityChart(cal.bins, {
          width: Math.min(width, 560),
          xLabel: binary ? `Mean score (P(${positive}))` : "Mean confidence",
          yLabel: binary ? `Observed share ${positive}` : "Observed accuracy"
        })
      ),
      cal.bins,
      sliceFile(v, "calibration")
    )
  );
}

export function selectiveSection(v: SliceView | null, at: ChartView | null, resize: Resize): HTMLElement {
  const scored = v?.scored;
  if (!v || !scored || !at) return block();
  const {binary, task} = v;
  const {sweep} = scored;
  const target = task.targetAccuracy.value;
  const answer = scored.coverageAtTarget;
  const points = coveragePoints(binary ? scored.selective! : sweep);
  const c = at.counts;
  const current = binary
    ? null
    : c.tp + c.fp
      ? {coverage: (c.tp + c.fp) / (sweep.positives + sweep.negatives), accuracy: c.tp / (c.tp + c.fp)}
      : null;
  return block(
    html`<p class="muted">Items are ranked by the model's confidence in the label it gave${binary ? " (the score, or 1 − score when it said negative)" : ""}; the most confident are handled automatically and the rest go to a person. Target accuracy ${fmtPct(target, 0)} ${task.targetAccuracy.source === "config" ? "from workbench.config.json" : "(default; set classifiers[].target_accuracy)"}.</p>`,
    html`<div id="coverage-answer" class="card"><p>${
      answer
        ? html`At ≥ ${fmtPct(target, 0)} accuracy the model can auto-handle <strong>${fmtPct(answer.coverage.rate)}</strong> of requests (${fmtCI(answer.coverage)}): those with confidence ≥ ${fmtThreshold(answer.threshold)}. Their accuracy is ${fmtCI(answer.accuracy)}${(answer.accuracy.low ?? 0) < target ? html` — <span class="warn-text">the interval reaches below the target; more data would be needed to be sure</span>` : ""}.`
        : html`<span class="warn-text">No confidence threshold reaches ${fmtPct(target, 0)} accuracy on these ${fmtInt(scored.n)} items.</span>`
    }</p></div>`,
    withCsv(
      resize((width) => coverageChart(points, {width: Math.min(width, 640), target, current})),
      points,
      sliceFile(v, "coverage")
    )
  );
}

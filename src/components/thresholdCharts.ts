// Charts of the threshold sweep: the metrics as the threshold moves, ROC and precision–recall curves,
// expected cost, reliability and coverage. Each takes shipped points (see classifierMath.ts) and the
// current threshold, and marks where the page's slider stands.
import * as Plot from "@observablehq/plot";
import type {SweepRow} from "./classifierMath.js";
import {TONE} from "./palette.js";
import {placeRuleLabels, ROW_HEIGHT} from "./ruleLabels.js";

interface Marker {
  threshold: number;
  label: string;
}

export function sweepChart(
  rows: readonly SweepRow[],
  {
    width = 640,
    threshold = 0.5,
    optimum = null as number | null,
    metrics = [] as string[],
    xLabel = "Threshold (flag when score ≥ threshold)"
  } = {}
) {
  const markers: Marker[] = [{threshold, label: `slider ${threshold.toFixed(2)}`}];
  if (optimum !== null) markers.push({threshold: optimum, label: "cost-optimal"});
  // Margins stated, not left to Plot, so the labels' pixel positions below are the drawn ones.
  const [marginLeft, marginRight] = [40, 20];
  const px = (t: number) => marginLeft + t * (width - marginLeft - marginRight);
  const places = placeRuleLabels(
    markers.map((m) => ({x: px(m.threshold), text: m.label})),
    {left: marginLeft, right: width - 2}
  );
  const placed = markers.map((m, i) => ({...m, ...places[i]}));
  return Plot.plot({
    width,
    height: 300,
    marginLeft,
    marginRight,
    x: {domain: [0, 1], label: xLabel},
    y: {domain: [0, 1], grid: true, label: "Rate", tickFormat: "%"},
    color: {legend: true, domain: metrics.length ? metrics : undefined},
    marks: [
      Plot.ruleX(markers.slice(0, 1), {x: "threshold", stroke: "currentColor"}),
      Plot.ruleX(markers.slice(1), {x: "threshold", stroke: TONE.bad, strokeDasharray: "4,3"}),
      // One text mark per label: Plot takes dx, dy and textAnchor per mark, not per datum. Row 0 sits
      // above the frame; a second row drops inside it.
      ...placed.map((m) =>
        Plot.text([m], {
          x: "threshold",
          y: 1,
          text: "label",
          dy: -6 + m.row * ROW_HEIGHT,
          fill: m.label === "cost-optimal" ? TONE.bad : "currentColor",
          textAnchor: m.textAnchor,
          dx: m.dx
        })
      ),
      Plot.line(rows, {x: "threshold", y: "value", stroke: "metric", curve: "step-before"}),
      Plot.tip(
        rows,
        Plot.pointerX({
          x: "threshold",
          y: "value",
          stroke: "metric",
          title: (d: SweepRow) => `${d.metric} at ≥ ${d.threshold}: ${(d.value * 100).toFixed(1)}%`
        })
      )
    ]
  });
}

interface RocPoint {
  fpr: number;
  tpr: number;
}

export function rocChart(
  points: readonly RocPoint[],
  {
    width = 320,
    current = null as RocPoint | null,
    title = "",
    xLabel = "False-positive rate",
    yLabel = "True-positive rate (recall)"
  } = {}
) {
  return Plot.plot({
    width,
    height: Math.min(320, width),
    title,
    x: {domain: [0, 1], label: xLabel, tickFormat: "%"},
    y: {domain: [0, 1], label: yLabel, tickFormat: "%", grid: true},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1]
        ],
        {stroke: "#999", strokeDasharray: "3,3"}
      ),
      Plot.line(points, {x: "fpr", y: "tpr", stroke: "#1f4e99", strokeWidth: 2}),
      current ? Plot.dot([current], {x: "fpr", y: "tpr", r: 5, fill: TONE.bad, stroke: "white"}) : null
    ]
  });
}

interface PrPoint {
  recall: number;
  precision: number;
}

export function prChart(
  points: readonly PrPoint[],
  {
    width = 320,
    current = null as PrPoint | null,
    prevalence = null as number | null,
    title = "",
    xLabel = "Recall",
    yLabel = "Precision"
  } = {}
) {
  return Plot.plot({
    width,
    height: Math.min(320, width),
    title,
    x: {domain: [0, 1], label: xLabel, tickFormat: "%"},
    y: {domain: [0, 1], label: yLabel, tickFormat: "%", grid: true},
    marks: [
      prevalence === null ? null : Plot.ruleY([prevalence], {stroke: "#999", strokeDasharray: "3,3"}),
      Plot.line(points, {x: "recall", y: "precision", stroke: "#1f4e99", strokeWidth: 2, curve: "step-after"}),
      current ? Plot.dot([current], {x: "recall", y: "precision", r: 5, fill: TONE.bad, stroke: "white"}) : null
    ]
  });
}

interface CostPoint {
  threshold: number;
  perThousand: number;
}

export function costChart(
  points: readonly CostPoint[],
  {width = 640, threshold = 0.5, optimum = null as number | null, unit = "$", xLabel = "Threshold"} = {}
) {
  return Plot.plot({
    width,
    height: 220,
    x: {domain: [0, 1], label: xLabel},
    y: {label: `Expected cost per 1,000 requests (${unit})`, grid: true, zero: true},
    marks: [
      Plot.line(points, {x: "threshold", y: "perThousand", curve: "step-before", stroke: "#555"}),
      Plot.ruleX([threshold], {stroke: "currentColor"}),
      optimum === null ? null : Plot.ruleX([optimum], {stroke: TONE.bad, strokeDasharray: "4,3"}),
      Plot.tip(
        points,
        Plot.pointerX({
          x: "threshold",
          y: "perThousand",
          title: (d: CostPoint) => `≥ ${d.threshold}: ${unit}${d.perThousand.toFixed(2)} per 1,000`
        })
      )
    ]
  });
}

interface Bin {
  low: number;
  high: number;
  count: number;
  meanPredicted: number | null;
  fractionPositive: number | null;
}

export function reliabilityChart(
  bins: readonly Bin[],
  {width = 420, xLabel = "Mean predicted probability", yLabel = "Observed share positive"} = {}
) {
  const filled = bins.filter((b) => b.count > 0);
  const maxCount = Math.max(1, ...filled.map((b) => b.count));
  return Plot.plot({
    width,
    height: Math.min(380, width),
    x: {domain: [0, 1], label: xLabel, tickFormat: "%"},
    y: {domain: [0, 1], label: yLabel, tickFormat: "%", grid: true},
    r: {domain: [0, maxCount], range: [2, 14]},
    marks: [
      Plot.rectY(filled, {
        x1: "low",
        x2: "high",
        y: (b: Bin) => (0.25 * b.count) / maxCount,
        fill: "#ccd6ea",
        inset: 1
      }),
      Plot.line(
        [
          [0, 0],
          [1, 1]
        ],
        {stroke: "#999", strokeDasharray: "3,3"}
      ),
      Plot.line(filled, {x: "meanPredicted", y: "fractionPositive", stroke: "#1f4e99"}),
      Plot.dot(filled, {
        x: "meanPredicted",
        y: "fractionPositive",
        r: "count",
        fill: "#1f4e99",
        stroke: "white",
        title: (b: Bin) =>
          `scores ${b.low.toFixed(1)}–${b.high.toFixed(1)}: n = ${b.count.toLocaleString("en-US")}, mean score ${((b.meanPredicted ?? 0) * 100).toFixed(1)}%, observed ${((b.fractionPositive ?? 0) * 100).toFixed(1)}%`
      })
    ]
  });
}

interface CoveragePoint {
  coverage: number;
  accuracy: number;
}

export function coverageChart(
  points: readonly CoveragePoint[],
  {width = 420, target = 0.95, current = null as CoveragePoint | null} = {}
) {
  const low = Math.max(0, Math.min(target - 0.1, ...points.map((p) => p.accuracy)));
  return Plot.plot({
    width,
    height: Math.min(340, width),
    x: {domain: [0, 1], label: "Coverage (share auto-handled)", tickFormat: "%"},
    y: {domain: [Math.floor(low * 20) / 20, 1], label: "Accuracy of what is auto-handled", tickFormat: "%", grid: true},
    marks: [
      Plot.ruleY([target], {stroke: TONE.bad, strokeDasharray: "4,3"}),
      Plot.text([target], {
        y: (d: number) => d,
        x: 0,
        text: () => `target ${(target * 100).toFixed(0)}%`,
        dy: -6,
        textAnchor: "start",
        fill: TONE.bad
      }),
      Plot.line(points, {x: "coverage", y: "accuracy", stroke: "#1f4e99", strokeWidth: 2}),
      current ? Plot.dot([current], {x: "coverage", y: "accuracy", r: 5, fill: TONE.bad, stroke: "white"}) : null
    ]
  });
}

// Charts of the eval triage page: a suite's pass rate run by run, the before → after change of each
// slice of a run pair, and the pass-rate grid of each model × prompt version by input length or category.
import * as Plot from "@observablehq/plot";
import {DIVERGING, TONE} from "./palette.js";
import {fmtCI, fmtPValue, fmtPts, systemLabel, type Interval} from "./evalFormat.js";
import {fmtDate, fmtInt} from "./format.js";
import type {EvalTriagePage} from "../../loaders/queries/evalTriage.js";

export type TriageRun = EvalTriagePage["runs"][number];

/** Pass rate of every run of a suite with its Wilson interval; the compared pair is ringed. */
/**
 * Where each run sits on the time axis: its start, except that runs of the same UTC day are spread
 * about 12 px apart around their mean start (in the order they started), so a day that ran five
 * options shows five dots, not one.
 */
export function runPositions(runs: readonly {run_id: string; started_at: string}[], width: number): Map<string, Date> {
  const times = runs.map((r) => Date.parse(r.started_at));
  const span = Math.max(86_400_000, Math.max(...times) - Math.min(...times));
  const step = (12 / Math.max(120, width - 60)) * span;
  const days = new Map<string, {run_id: string; t: number}[]>();
  runs.forEach((r, i) => {
    const day = r.started_at.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), {run_id: r.run_id, t: times[i]}]);
  });
  const at = new Map<string, Date>();
  for (const group of days.values()) {
    const sorted = [...group].sort((a, b) => a.t - b.t || (a.run_id < b.run_id ? -1 : 1));
    const mid = sorted.reduce((s, g) => s + g.t, 0) / sorted.length;
    sorted.forEach((g, k) => at.set(g.run_id, new Date(mid + (k - (sorted.length - 1) / 2) * step)));
  }
  return at;
}

export function runTrendChart(runs: readonly TriageRun[], {width = 640, before = "", after = ""} = {}) {
  const positions = runPositions(runs, width);
  const rows = runs.map((r) => ({
    ...r,
    at: positions.get(r.run_id)!,
    system: systemLabel(r),
    rate: r.pass.rate,
    low: r.pass.low,
    high: r.pass.high,
    role: r.run_id === before ? "before" : r.run_id === after ? "after" : null
  }));
  const lows = rows.map((r) => r.low ?? 1);
  return Plot.plot({
    width,
    height: 260,
    marginRight: 20,
    x: {type: "utc", label: null, inset: 14},
    y: {
      domain: [Math.max(0, Math.min(...lows) - 0.05), 1],
      tickFormat: "%",
      grid: true,
      label: "Pass rate (95% interval)"
    },
    color: {legend: true, label: "Model · prompt"},
    marks: [
      Plot.ruleX(rows, {x: "at", y1: "low", y2: "high", stroke: "system", strokeOpacity: 0.6, strokeWidth: 2}),
      Plot.dot(rows, {x: "at", y: "rate", fill: "system", r: 4}),
      Plot.dot(
        rows.filter((r) => r.role),
        {x: "at", y: "rate", r: 9, stroke: "currentColor", strokeWidth: 1.5}
      ),
      Plot.text(
        rows.filter((r) => r.role),
        {x: "at", y: "high", text: "role", dy: -10, fontWeight: "bold"}
      ),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "at",
          y: "rate",
          title: (r: (typeof rows)[number]) =>
            `${fmtDate(r.started_at)} · ${r.system}\n${fmtCI(r.pass)}\nrun ${r.run_id}`
        })
      )
    ]
  });
}

export type SliceChange = EvalTriagePage["comparisons"][number]["slices"][number];

// The page data rounds p-values with the shared rule, whose type admits null (a non-finite value);
// a missing p-value never counts as significant.
const significant = (p: number | null) => p !== null && p < 0.05;

const changeColor = (s: SliceChange) =>
  !significant(s.p_value) ? TONE.neutral : (s.delta ?? 0) < 0 ? TONE.bad : TONE.good;

/** Charts narrower than this (a phone's column) put each slice's label under its arrow, not beside the frame. */
export const SLICE_LABELS_BESIDE = 560;

/** Before → after pass rate of each slice; vermillion or blue only where the paired test says the change is real. */
export function sliceChart(
  slices: readonly SliceChange[],
  {width = 640, order = null as readonly string[] | null} = {}
) {
  const domain = order
    ? order.filter((v) => slices.some((s) => s.value === v))
    : [...slices].sort((a, b) => (a.delta ?? 0) - (b.delta ?? 0)).map((s) => s.value);
  const rows = slices.map((s) => ({
    ...s,
    b: s.before.rate,
    a: s.after.rate,
    color: changeColor(s),
    label: `${fmtPts(s.delta)} · n = ${fmtInt(s.n)}${significant(s.p_value) ? ` · ${fmtPValue(s.p_value)}` : ""}`
  }));
  // On a phone the labels cannot sit right of the frame (190 px of a 330 px chart would leave the axis one
  // tick): each goes under its arrow instead, and the slice names get at most 40% of the width.
  const narrow = width < SLICE_LABELS_BESIDE;
  const marginLeft = Math.min(
    200,
    narrow ? Math.round(width * 0.4) : 200,
    8 + 7 * Math.max(...domain.map((d) => d.length))
  );
  // Beside the frame's right edge, or (narrow) under the arrow from the frame's left edge.
  const label = narrow
    ? ({y: "value", text: "label", frameAnchor: "left", textAnchor: "start", dy: 15} as const)
    : ({y: "value", x: 1, text: "label", textAnchor: "start", dx: 8} as const);
  return Plot.plot({
    width,
    height: (narrow ? 50 : 34) * domain.length + 50,
    marginLeft,
    // Room for half of the "100%" tick label at the right end of the axis.
    marginRight: narrow ? 20 : 190,
    x: {
      domain: [Math.max(0, Math.min(...rows.flatMap((r) => [r.a ?? 1, r.b ?? 1])) - 0.05), 1],
      tickFormat: "%",
      grid: true,
      label: "Pass rate: before → after",
      axis: "top"
    },
    y: {domain, label: null},
    marks: [
      // A slice name longer than the margin is shortened in its middle (both ends tell names apart); the tip has it whole.
      Plot.axisY({label: null, lineWidth: (marginLeft - 10) / 10, textOverflow: "ellipsis-middle"}),
      Plot.link(rows, {
        y1: "value",
        y2: "value",
        x1: "b",
        x2: "a",
        stroke: "color",
        strokeWidth: 2.5,
        markerEnd: "arrow"
      }),
      Plot.dot(rows, {y: "value", x: "b", fill: TONE.neutral, r: 3.5}),
      Plot.text(
        rows.filter((r) => !significant(r.p_value)),
        {...label, fill: "color"}
      ),
      Plot.text(
        rows.filter((r) => significant(r.p_value)),
        {...label, fill: "color", fontWeight: "bold"}
      ),
      Plot.tip(
        rows,
        Plot.pointerY({
          y: "value",
          x: "a",
          title: (r: (typeof rows)[number]) =>
            `${r.value}\nbefore ${fmtCI(r.before)}\nafter ${fmtCI(r.after)}\n${r.regressed} regressed, ${r.improved} improved (McNemar ${fmtPValue(r.p_value)})`
        })
      )
    ]
  });
}

export type GridCell = EvalTriagePage["grid"][number];

/** Cells with fewer cases than this are faded: their rate can swing by tens of points by chance. */
export const SMALL_N = 20;

/** Pass rate of the latest run of each model × prompt (rows) by slice (columns), with n in each cell. */
export function passRateGrid(
  cells: readonly GridCell[],
  {width = 640, columns = null as readonly string[] | null} = {}
) {
  const x = columns
    ? columns.filter((c) => cells.some((d) => d.value === c))
    : [...new Set(cells.map((d) => d.value))].sort();
  const y = [...new Set(cells.map((d) => d.option))];
  const lowest = Math.min(...cells.map((d) => d.rate ?? 1));
  // Column labels turn when they do not fit their column, upright when even a slant would collide.
  // The option names take at most 45% of a phone's width; a longer one keeps its end (the prompt version,
  // which tells two rows of one model apart) behind an ellipsis, and the tip has it whole.
  const marginLeft = Math.min(220, Math.round(width * 0.45), 10 + 6 * Math.max(...y.map((d) => d.length)));
  const band = (width - marginLeft - 20) / Math.max(1, x.length);
  const longest = Math.max(...x.map((v) => v.length));
  const turn = 6.5 * longest > band - 4 ? (band < 40 ? -90 : -30) : 0;
  // "100%" does not fit a phone's cell (about 20 px): there the cells show the figure and the legend the unit.
  const percentless = band < 28;
  const drop = turn === -90 ? 6.5 * longest : turn ? 3.6 * longest : 0;
  return Plot.plot({
    width,
    height: 46 * y.length + 70 + drop,
    marginLeft,
    marginBottom: turn ? 20 + drop : 40,
    padding: 0.04,
    x: {domain: x, label: null, tickRotate: turn},
    y: {domain: y, label: null},
    color: {
      type: "linear",
      // Vermillion (low) through white to blue (all pass): the site's diverging scale, not red–green.
      domain: [Math.min(0.5, lowest), (Math.min(0.5, lowest) + 1) / 2, 1],
      range: [...DIVERGING],
      label: percentless ? "Pass rate (%, the figure in each cell)" : "Pass rate",
      tickFormat: "%",
      legend: true,
      // The ramp's end ticks ("50%", "100%") are centred on its ends: without a margin they are cut. Plot
      // hands the scale's options to its legend, but its types list only the scale's own.
      ...({marginLeft: 16, marginRight: 16} as object)
    },
    marks: [
      Plot.axisY({label: null, lineWidth: (marginLeft - 10) / 10, textOverflow: "ellipsis-start"}),
      Plot.cell(cells, {
        x: "value",
        y: "option",
        fill: "rate",
        fillOpacity: (d: GridCell) => (d.n < SMALL_N ? 0.35 : 1),
        inset: 1
      }),
      Plot.text(cells, {
        x: "value",
        y: "option",
        text: (d: GridCell) =>
          `${d.rate === null ? "—" : `${Math.round(d.rate * 100)}${percentless ? "" : "%"}`}${band < 44 ? "" : `\nn=${fmtInt(d.n)}`}`,
        fill: (d: GridCell) => (d.n >= SMALL_N && (d.rate ?? 1) < Math.min(0.5, lowest) + 0.12 ? "white" : "black"),
        lineHeight: 1.15,
        fontSize: band < 34 ? 8 : 11
      }),
      Plot.tip(
        cells,
        Plot.pointer({
          x: "value",
          y: "option",
          title: (d: GridCell) => `${d.option}\n${d.value}\n${fmtCI(d)}${d.n < SMALL_N ? "\nfew cases: faded" : ""}`
        })
      )
    ]
  });
}

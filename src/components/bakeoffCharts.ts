// Charts of the bake-off page: each option's pass rate with its interval, the category × option grid
// that shows where a cheaper model loses, and latency percentiles against the budget.
import * as Plot from "@observablehq/plot";
import {DIVERGING, TONE} from "./palette.js";
import {fmtCI, fmtCost, fmtPValue, type Interval} from "./evalFormat.js";
import {fmtMs} from "./format.js";
import {nameAxis} from "./nameAxis.js";
import type {BakeoffPage} from "../../loaders/queries/bakeoff.js";

export type BakeoffOption = BakeoffPage["suites"][number]["options"][number];

const BEST = TONE.good;
const WORSE = TONE.bad;
const SAME = TONE.neutral;

const LEGEND_MARGINS = {marginLeft: 12, marginRight: 12};

/** Pass rate and 95% interval per option, best in blue, significantly worse ones in vermillion (the palette's bad). */
export function optionIntervalChart(
  options: readonly Pick<BakeoffOption, "option" | "pass" | "vs_best">[],
  {width = 640, best = null as string | null} = {}
) {
  const rows = options.map((o) => ({
    ...o,
    rate: o.pass.rate,
    low: o.pass.low,
    high: o.pass.high,
    color: o.option === best ? BEST : o.vs_best && o.vs_best.p_value !== null && o.vs_best.p_value < 0.05 ? WORSE : SAME
  }));
  const domain = [...rows].sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0)).map((r) => r.option);
  const names = nameAxis(domain, width);
  return Plot.plot({
    width,
    height: 36 * rows.length + 50,
    marginLeft: names.marginLeft,
    marginRight: 60,
    x: {
      domain: [
        Math.max(0, Math.min(...rows.map((r) => r.low ?? 1)) - 0.03),
        Math.min(1, Math.max(...rows.map((r) => r.high ?? 0)) + 0.02)
      ],
      tickFormat: "%",
      grid: true,
      label: "Pass rate (95% Wilson interval)",
      axis: "top"
    },
    y: {domain, label: null},
    marks: [
      names.axis,
      Plot.ruleY(rows, {y: "option", x1: "low", x2: "high", stroke: "color", strokeWidth: 3, strokeOpacity: 0.5}),
      Plot.dot(rows, {y: "option", x: "rate", fill: "color", r: 5}),
      Plot.text(rows, {
        y: "option",
        x: "high",
        text: (r: (typeof rows)[number]) => `${((r.rate ?? 0) * 100).toFixed(1)}%`,
        dx: 8,
        textAnchor: "start"
      }),
      Plot.tip(
        rows,
        Plot.pointerY({
          y: "option",
          x: "rate",
          title: (r: (typeof rows)[number]) =>
            `${r.option}\n${fmtCI(r.pass)}${r.vs_best ? `\nvs best: McNemar ${fmtPValue(r.vs_best.p_value)}` : "\nbest pass rate"}`
        })
      )
    ]
  });
}

export type CategoryRow = CategoryBreakdown["rows"][number];

export type CategoryBreakdown = BakeoffPage["suites"][number]["categories"][number];

/** Categories (rows) × options (columns): points behind the category's best; starred where the paired test says so. */
export function categoryGapChart(
  categories: readonly CategoryBreakdown[],
  {width = 640, options = [] as readonly string[]} = {}
) {
  const cells = categories.flatMap((c) => {
    const best = c.rows.find((r) => r.option === c.recommendation.best)?.pass.rate ?? null;
    return c.rows.map((r) => ({
      category: c.category,
      option: r.option,
      rate: r.pass.rate,
      pass: r.pass,
      gap: best !== null && r.pass.rate !== null ? r.pass.rate - best : null,
      significant: !!r.vs_best && r.vs_best.p_value !== null && r.vs_best.p_value < 0.05,
      p: r.vs_best?.p_value ?? null,
      isBest: r.option === c.recommendation.best,
      isRecommended: r.option === c.recommendation.recommended
    }));
  });
  const worst = Math.min(-0.05, ...cells.map((c) => c.gap ?? 0));
  const y = [...categories]
    .sort(
      (a, b) =>
        Math.min(...cells.filter((c) => c.category === a.category).map((c) => c.gap ?? 0)) -
        Math.min(...cells.filter((c) => c.category === b.category).map((c) => c.gap ?? 0))
    )
    .map((c) => c.category);
  // Option names are long: slanted while their columns are wide, upright on a phone, where a slant collides.
  const {marginLeft, axis} = nameAxis(y, width);
  const band = (width - marginLeft - 20) / Math.max(1, options.length);
  const upright = band < 60;
  const longest = Math.max(...options.map((o) => o.length));
  return Plot.plot({
    width,
    height: 40 * y.length + 20 + (upright ? 6.5 * longest + 20 : 90),
    marginLeft,
    marginBottom: upright ? 6.5 * longest + 20 : 90,
    padding: 0.04,
    x: {domain: options, label: null, tickRotate: upright ? -90 : -25},
    y: {domain: y, label: null},
    color: {
      type: "linear",
      domain: [worst, 0],
      range: [DIVERGING[0], DIVERGING[1]],
      label: "Points behind the category's best",
      tickFormat: (d: number) => `${Math.round(d * 100)}`,
      legend: true,
      // The legend's ramp ends at its box's edges, where the "0" tick's label is centred: half of it
      // was cut. (Plot hands the scale's options to its legend; its types list only the scale's own.)
      ...LEGEND_MARGINS
    },
    marks: [
      axis,
      Plot.cell(cells, {x: "option", y: "category", fill: "gap", inset: 1}),
      Plot.cell(
        cells.filter((c) => c.isRecommended),
        {x: "option", y: "category", stroke: TONE.good, strokeWidth: 2.5, inset: 2}
      ),
      Plot.text(cells, {
        x: "option",
        y: "category",
        text: (c: (typeof cells)[number]) =>
          `${c.rate === null ? "—" : Math.round(c.rate * 100) + "%"}${c.significant ? "*" : ""}`,
        fill: (c: (typeof cells)[number]) => ((c.gap ?? 0) < worst * 0.6 ? "white" : "black"),
        fontSize: band < 36 ? 9 : 12
      }),
      Plot.tip(
        cells,
        Plot.pointer({
          x: "option",
          y: "category",
          title: (c: (typeof cells)[number]) =>
            `${c.category} · ${c.option}\n${fmtCI(c.pass)}\n${c.isBest ? "best in category" : `${((c.gap ?? 0) * 100).toFixed(1)} pts vs best, McNemar ${fmtPValue(c.p)}`}${c.isRecommended ? "\nrecommended" : ""}`
        })
      )
    ]
  });
}

/** Latency p50, p95, p99 per option, with the feature's p95 budget when the config sets one. */
export function latencyChart(options: readonly BakeoffOption[], {width = 640, budget = null as number | null} = {}) {
  const rows = options.flatMap((o) =>
    (["p50", "p95", "p99"] as const).map((p) => ({
      option: o.option,
      percentile: p,
      ms: o.latency[p],
      n: o.latency.n,
      cost: o.cost.mean
    }))
  );
  const domain = [...options].sort((a, b) => (a.latency.p95 ?? 0) - (b.latency.p95 ?? 0)).map((o) => o.option);
  const names = nameAxis(domain, width);
  // The axis starts at zero: latencies are read against it, and options that all take the same time
  // would otherwise give a domain of one point (one tick, "900.000000"). The budget's label reads away
  // from the nearer edge: right of the line in the chart's left half, left of it in the right half,
  // where it ran past the chart's end (the domain runs to the largest x drawn, the budget's included).
  const xs = [...rows.map((r) => r.ms), budget].filter((v): v is number => v !== null);
  const budgetOnRight = budget !== null && budget > Math.max(0, ...xs) / 2;
  return Plot.plot({
    width,
    height: 36 * options.length + 70,
    marginLeft: names.marginLeft,
    x: {label: "Latency (ms)", grid: true, axis: "top", nice: true, zero: true},
    y: {domain, label: null},
    color: {domain: ["p50", "p95", "p99"], range: ["#9ecae1", "#3182bd", "#08519c"], legend: true, label: "Percentile"},
    marks: [
      names.axis,
      Plot.ruleY(options, {
        y: "option",
        x1: (o: BakeoffOption) => o.latency.p50,
        x2: (o: BakeoffOption) => o.latency.p99,
        stroke: "#ccc"
      }),
      Plot.dot(rows, {y: "option", x: "ms", fill: "percentile", r: 5}),
      budget === null ? null : Plot.ruleX([budget], {stroke: TONE.bad, strokeDasharray: "4,3"}),
      budget === null
        ? null
        : Plot.text([budget], {
            x: (d: number) => d,
            frameAnchor: "bottom",
            text: () => `p95 budget ${fmtMs(budget)}`,
            fill: TONE.bad,
            dy: -4,
            textAnchor: budgetOnRight ? "end" : "start",
            dx: budgetOnRight ? -4 : 4
          }),
      Plot.tip(
        rows,
        Plot.pointer({
          y: "option",
          x: "ms",
          title: (r: (typeof rows)[number]) =>
            `${r.option}\n${r.percentile} ${fmtMs(r.ms)} (n = ${r.n})\ncost ${fmtCost(r.cost)} per request`
        })
      )
    ]
  });
}

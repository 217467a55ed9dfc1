// A cost (or latency) vs quality scatter of the options: the Pareto frontier as a staircase through
// the options nothing beats (filled and named), dominated options hollow, each with its Wilson interval.
import * as Plot from "@observablehq/plot";
import {fmtCI, fmtCost, type Interval} from "./evalFormat.js";
import {fmtMs} from "./format.js";
import {placeLabels} from "./labelPlacement.js";
import type {FrontierPoint} from "./frontierViews.js";

const symbols = ["circle", "square", "triangle", "diamond", "star", "wye"];

export function frontierChart(
  points: readonly FrontierPoint[],
  {width = 640, axis = "cost" as "cost" | "latency"} = {}
) {
  const x = (p: FrontierPoint) => (axis === "cost" ? p.cost : p.latency_p95);
  const onFrontier = (p: FrontierPoint) => (axis === "cost" ? p.cost_frontier : p.latency_frontier);
  const dominatedBy = (p: FrontierPoint) => (axis === "cost" ? p.cost_dominated_by : p.latency_dominated_by);
  const shown = points.filter((p) => x(p) !== null && p.pass_rate !== null);
  const frontier = shown.filter(onFrontier).sort((a, b) => x(a)! - x(b)!);
  const interval = (p: FrontierPoint): Interval => ({rate: p.pass_rate, low: p.low, high: p.high, n: p.n});
  const title = (p: FrontierPoint) =>
    `${p.option}${points.some((q) => q.suite !== p.suite) ? ` (${p.suite})` : ""}\npass rate ${fmtCI(interval(p))}\ncost ${fmtCost(p.cost)} per request\np95 latency ${fmtMs(p.latency_p95)}\n${onFrontier(p) ? "on the frontier" : `dominated by ${dominatedBy(p)}`}`;
  const maxX = Math.max(...shown.map((p) => x(p)!));
  const prompts = [...new Set(points.map((p) => p.prompt_version ?? "—"))];
  const symbol = (p: FrontierPoint) => p.prompt_version ?? "—";
  const height = 400;
  const margin = {left: 56, right: 40, top: 30, bottom: 40};
  const xDomain: [number, number] = [0, maxX * 1.12];
  const yDomain: [number, number] = [
    Math.max(0, Math.min(...shown.map((p) => p.low ?? 1)) - 0.02),
    Math.min(1, Math.max(...shown.map((p) => p.high ?? 0)) + 0.02)
  ];
  const labels = placeLabels(
    shown.map((p) => ({x: x(p)!, y: p.pass_rate!, text: p.option, priority: onFrontier(p) ? 1 : 0})),
    {xDomain, yDomain, xRange: [margin.left, width - margin.right], yRange: [margin.top, height - margin.bottom]}
  ).map((l, i) => ({...l, frontier: onFrontier(shown[i])}));
  const tick = (d: number) => (axis === "cost" ? (d === 0 ? "$0" : `$${+d.toPrecision(2)}`) : fmtMs(d));
  return Plot.plot({
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    x: {
      domain: xDomain,
      label: axis === "cost" ? "Mean cost per request →" : "p95 latency →",
      tickFormat: tick,
      grid: true,
      ticks: 6
    },
    y: {domain: yDomain, tickFormat: "%", grid: true, label: "↑ Pass rate (95% interval)"},
    color: {legend: true, label: "Model"},
    symbol: {legend: prompts.length > 1, label: "Prompt", domain: prompts, range: symbols},
    marks: [
      Plot.line(frontier, {
        x,
        y: "pass_rate",
        curve: "step-after",
        stroke: "currentColor",
        strokeOpacity: 0.18,
        strokeWidth: 5,
        z: "suite"
      }),
      Plot.ruleX(shown, {x, y1: "low", y2: "high", stroke: "model", strokeOpacity: 0.5, strokeWidth: 1.5}),
      Plot.dot(shown.filter(onFrontier), {x, y: "pass_rate", fill: "model", symbol, r: 7, stroke: "white"}),
      Plot.dot(
        shown.filter((p) => !onFrontier(p)),
        {x, y: "pass_rate", stroke: "model", symbol, r: 7, strokeWidth: 2, fill: "var(--theme-background)"}
      ),
      ...(["start", "middle", "end"] as const).flatMap((anchor) =>
        [true, false].map((isFrontier) =>
          Plot.text(
            labels.filter((l) => l.shown && l.anchor === anchor && l.frontier === isFrontier),
            {
              x: "lx",
              y: "ly",
              text: "shown",
              textAnchor: anchor,
              fontSize: 12,
              fontWeight: isFrontier ? "bold" : "normal",
              fill: isFrontier ? "currentColor" : "#888",
              stroke: "var(--theme-background)",
              strokeWidth: 3
            }
          )
        )
      ),
      Plot.tip(shown, Plot.pointer({x, y: "pass_rate", title}))
    ]
  });
}

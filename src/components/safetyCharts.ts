// Charts of the safety-review page: flags by category and severity, root causes per category, and
// the weekly trend read against the model and prompt changes seen in production.
import * as Plot from "@observablehq/plot";
import {fmtInt, fmtPct} from "./format.js";
import {nameAxis} from "./nameAxis.js";
import {ALL} from "../lib/all.js";
import type {FlagGroup, SafetyPage, WeeklyFlags} from "../../loaders/queries/safety.js";
// A model or prompt change is marked on the trend as on the drift page's.
import type {Change} from "./driftCharts.js";
import {ROOT_CAUSE as ROOT_CAUSE_COLORS, SEVERITY as SEVERITY_COLORS, VERSION_CHANGE} from "./palette.js";

/** Flags per category, stacked by severity, most severe on the left. */
export function flagCategoryChart(groups: readonly FlagGroup[], {width = 640} = {}) {
  const totals = new Map<string, number>();
  for (const g of groups) totals.set(g.category, (totals.get(g.category) ?? 0) + g.n);
  const domain = [...totals].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const severities = Object.keys(SEVERITY_COLORS);
  const names = nameAxis(domain, width, {max: 200});
  return Plot.plot({
    width,
    height: (16 + 14 * names.lines) * domain.length + 60,
    marginLeft: names.marginLeft,
    marginRight: 50,
    x: {grid: true, label: "Flagged outputs", axis: "top"},
    y: {domain, label: null},
    color: {legend: true, domain: severities, range: Object.values(SEVERITY_COLORS)},
    marks: [
      names.axis,
      Plot.barX(
        groups,
        Plot.groupY(
          {x: "sum"},
          {x: "n", y: "category", fill: "severity", order: severities, tip: true, insetTop: 2, insetBottom: 2}
        )
      ),
      Plot.text([...totals], {
        x: ([, n]: [string, number]) => n,
        y: ([c]: [string, number]) => c,
        text: ([, n]: [string, number]) => fmtInt(n),
        textAnchor: "start",
        dx: 5
      })
    ]
  });
}

export type RootCauseShare = SafetyPage["rootCauseShares"][number];

/** Within each category, the share of each root cause: a prompt failure, a capability gap or a policy gap. */
export function rootCauseChart(shares: readonly RootCauseShare[], {width = 640} = {}) {
  const domain = [...new Set(shares.map((s) => s.category))];
  const causes = Object.keys(ROOT_CAUSE_COLORS);
  const data = shares.map((s) => ({...s.share, category: s.category, root_cause: s.root_cause}));
  const label = (c: string) => (c === ALL ? "all categories" : c);
  const names = nameAxis(domain, width, {max: 200, format: label});
  return Plot.plot({
    width,
    height: (16 + 14 * names.lines) * domain.length + 60,
    marginLeft: names.marginLeft,
    marginRight: 70,
    x: {tickFormat: "%", domain: [0, 1], axis: "top", label: "Share of the category's flags"},
    y: {domain, label: null},
    color: {legend: true, domain: causes, range: Object.values(ROOT_CAUSE_COLORS)},
    marks: [
      names.axis,
      Plot.barX(
        data,
        Plot.stackX({
          x: "rate",
          y: "category",
          fill: "root_cause",
          order: causes,
          insetTop: 2,
          insetBottom: 2,
          tip: true,
          title: (d: (typeof data)[number]) =>
            `${d.category} · ${d.root_cause}: ${fmtPct(d.rate)} [${fmtPct(d.low)}–${fmtPct(d.high)}] of n = ${fmtInt(d.n)}`
        })
      ),
      Plot.text(domain, {
        x: 1,
        y: (c: string) => c,
        text: (c: string) => `n = ${fmtInt(data.find((d) => d.category === c)?.n ?? 0)}`,
        textAnchor: "start",
        dx: 5
      })
    ]
  });
}

/** "1 · support-chat: claude-sonnet-4 · chat-v7 (2026-11-03); 2 · …": the key to the numbered rules. */
export const changeCaption = (changes: readonly Change[]) =>
  changes.map((c, i) => `${i + 1} · ${c.label} (${c.first_at.slice(0, 10)})`).join("; ");

/** Flags per week by category, with each model or prompt change marked where it began. */
export function flagTrendChart(rows: readonly WeeklyFlags[], {width = 640, changes = [] as readonly Change[]} = {}) {
  const data = rows.map((r) => ({...r, at: new Date(r.week)}));
  return Plot.plot({
    width,
    height: 260,
    marginTop: 30,
    caption: changes.length ? changeCaption(changes) : undefined,
    x: {type: "utc", label: null},
    y: {grid: true, label: "Flags per week"},
    color: {legend: true, label: "Category"},
    marks: [
      Plot.rectY(
        data,
        Plot.groupX(
          {y: "sum"},
          {x: "at", y: "n", fill: "category", interval: "monday", tip: true, insetLeft: 1, insetRight: 1}
        )
      ),
      Plot.ruleX(changes, {x: (c: Change) => new Date(c.first_at), stroke: VERSION_CHANGE, strokeDasharray: "2,3"}),
      // Each rule carries its number only; the caption names the changes, so no label runs over the
      // axis or another label however narrow the chart or close the changes.
      // Alternate rows, so the numbers of two changes in one week do not overprint.
      ...changes.map((c, i) =>
        Plot.text([c], {
          x: (d: Change) => new Date(d.first_at),
          text: () => String(i + 1),
          frameAnchor: "top",
          dy: i % 2 ? -17 : -6,
          fill: VERSION_CHANGE,
          fontWeight: "bold"
        })
      ),
      Plot.ruleY([0])
    ]
  });
}

// Charts of the user-corrections page: what users did with outputs, slice by slice and week by week,
// and how much they changed the outputs they edited.
import * as Plot from "@observablehq/plot";
import {fmtInt, fmtPct} from "./format.js";
import type {Interval} from "./productionFormat.js";
import type {CorrectionsPage} from "../../loaders/queries/corrections.js";
import {TONE} from "./palette.js";

export const ACTION_COLORS: Readonly<Record<string, string>> = {
  accepted: TONE.good,
  edited: "#edc948",
  rejected: TONE.bad,
  ignored: "#bab0ac",
  escalated: "#b07aa1"
};

export type ActionRow = {value: string; n: number} & Record<string, Interval | number | string>;

/** One bar per slice, split by what users did; the label says n. */
export function actionShareChart(
  rows: readonly ActionRow[],
  {width = 640, actions = Object.keys(ACTION_COLORS), order = null as readonly string[] | null} = {}
) {
  const domain = order ?? rows.map((r) => r.value);
  const data = rows.flatMap((r) => actions.map((action) => ({...(r[action] as Interval), value: r.value, action})));
  return Plot.plot({
    width,
    height: 28 * domain.length + 60,
    marginLeft: Math.min(220, 12 + 7 * Math.max(...domain.map((d) => d.length))),
    marginRight: 80,
    x: {tickFormat: "%", label: "Share of outputs", axis: "top", domain: [0, 1]},
    y: {domain, label: null},
    color: {legend: true, domain: actions, range: actions.map((a) => ACTION_COLORS[a] ?? "#888")},
    marks: [
      Plot.barX(
        data,
        Plot.stackX({
          x: "rate",
          y: "value",
          fill: "action",
          order: actions,
          insetTop: 2,
          insetBottom: 2,
          tip: true,
          title: (d: (typeof data)[number]) =>
            `${d.value} · ${d.action}\n${fmtPct(d.rate)} [${fmtPct(d.low)}–${fmtPct(d.high)}] of n = ${fmtInt(d.n)}`
        })
      ),
      Plot.text(rows, {x: 1, y: "value", text: (r: ActionRow) => `n = ${fmtInt(r.n)}`, textAnchor: "start", dx: 6})
    ]
  });
}

/** Weekly rate of each action with its 95% band. */
export function actionTrendChart(
  rows: readonly ActionRow[],
  {width = 640, actions = ["edited", "rejected", "ignored", "escalated"]} = {}
) {
  const data = rows.flatMap((r) =>
    actions.map((action) => ({...(r[action] as Interval), week: new Date(r.value), action}))
  );
  return Plot.plot({
    width,
    height: 240,
    x: {type: "utc", label: null},
    y: {tickFormat: "%", grid: true, label: "Share of outputs (95% interval)", zero: true},
    color: {legend: true, domain: actions, range: actions.map((a) => ACTION_COLORS[a] ?? "#888")},
    marks: [
      Plot.areaY(data, {x: "week", y1: "low", y2: "high", fill: "action", fillOpacity: 0.12}),
      Plot.lineY(data, {x: "week", y: "rate", stroke: "action", marker: "circle"}),
      Plot.tip(
        data,
        Plot.pointer({
          x: "week",
          y: "rate",
          title: (d: (typeof data)[number]) =>
            `week of ${d.week.toISOString().slice(0, 10)} · ${d.action}\n${fmtPct(d.rate)} [${fmtPct(d.low)}–${fmtPct(d.high)}], n = ${fmtInt(d.n)}`
        })
      )
    ]
  });
}

export type EditBin = CorrectionsPage["editDistance"]["bins"][number];

/** Histogram of normalized edit distance (0 = kept as is, 1 = rewritten), the median marked. */
export function editDistanceChart(bins: readonly EditBin[], {width = 640, median = null as number | null} = {}) {
  // The median's label reads away from the nearer edge, so a median near 1 does not run past the chart's end.
  const onRight = median !== null && median > 0.5;
  return Plot.plot({
    width,
    height: 220,
    x: {
      domain: [0, 1],
      // The long label is wider than a phone's chart (its start was cut): there, the short one.
      label:
        width < 560
          ? "Edit distance (0 = unchanged, 1 = rewritten)"
          : "Normalized edit distance of edited outputs (0 = unchanged, 1 = rewritten)"
    },
    y: {grid: true, label: "Edited outputs"},
    marks: [
      Plot.rectY(bins, {x1: "from", x2: "to", y: "n", fill: "#edc948", insetLeft: 1, tip: true}),
      median !== null ? Plot.ruleX([median], {stroke: "currentColor", strokeDasharray: "4,3"}) : null,
      median !== null
        ? Plot.text([median], {
            x: (d: number) => d,
            text: (d: number) => `median ${d.toFixed(2)}`,
            frameAnchor: "top",
            dx: onRight ? -4 : 4,
            textAnchor: onRight ? "end" : "start"
          })
        : null,
      Plot.ruleY([0])
    ]
  });
}

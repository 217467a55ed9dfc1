// Charts of the drift page: a quality rate week by week against the launch baseline and the model
// and prompt changes; production's input mix against the eval set's; PSI week by week.
import * as Plot from "@observablehq/plot";
import {fmtInt, fmtPct} from "./format.js";
import {nameAxis} from "./nameAxis.js";
import type {Interval} from "./productionFormat.js";
import type {DriftPage} from "../../loaders/queries/drift.js";
import {TONE, VERSION_CHANGE} from "./palette.js";

export interface WeeklyQuality {
  week: string;
  n: number;
  rate: Interval;
  significant: boolean;
  direction: "worse" | "better" | null;
}

export interface Baseline {
  from: string;
  to: string;
  rate: Interval;
}

export interface Change {
  first_at: string;
  label: string;
}

/** A weekly rate with its band, the baseline's rate and band across the chart, and each change as a labelled rule. */
export function qualityChart(
  weeks: readonly WeeklyQuality[],
  {width = 640, baseline = null as Baseline | null, changes = [] as readonly Change[], label = "Rate"} = {}
) {
  const data = weeks.map((w) => ({
    ...w.rate,
    week: new Date(w.week),
    n: w.n,
    significant: w.significant,
    direction: w.direction
  }));
  const x = data.map((d) => d.week);
  const span = x.length
    ? [new Date(Math.min(...x.map(Number))), new Date(Math.max(...x.map(Number)) + 6 * 86400000)]
    : [];
  const color = (d: (typeof data)[number]) =>
    !d.significant ? "#9aa0a6" : d.direction === "worse" ? TONE.bad : TONE.good;
  return Plot.plot({
    width,
    height: 260,
    x: {type: "utc", label: null, domain: span.length ? span : undefined},
    y: {tickFormat: "%", grid: true, label: `${label} (95% interval)`, zero: true},
    marks: [
      baseline?.rate.rate != null
        ? Plot.rect([baseline], {
            x1: () => span[0],
            x2: () => span[1],
            y1: () => baseline.rate.low,
            y2: () => baseline.rate.high,
            fill: TONE.good,
            fillOpacity: 0.1
          })
        : null,
      baseline?.rate.rate != null
        ? Plot.ruleY([baseline.rate.rate], {stroke: TONE.good, strokeDasharray: "5,4"})
        : null,
      baseline?.rate.rate != null
        ? Plot.text([baseline], {
            text: () =>
              `dashed: launch baseline ${fmtPct(baseline.rate.rate)} [${fmtPct(baseline.rate.low)}–${fmtPct(baseline.rate.high)}], first 14 days, n = ${fmtInt(baseline.rate.n)}`,
            frameAnchor: "bottom-left",
            dx: 6,
            dy: -6,
            fill: TONE.good,
            textAnchor: "start",
            // Wrapped to the frame (less the margins and dx, in ems of the 10 px font): on a phone the
            // one-line label ran past the chart's right edge and was cut.
            lineWidth: (width - 80) / 10
          })
        : null,
      Plot.ruleX(changes, {x: (c: Change) => new Date(c.first_at), stroke: VERSION_CHANGE, strokeDasharray: "2,3"}),
      // A label near the right edge is written leftwards of its rule, so it is not cut off.
      ...changes.map((c, i) => {
        const late = span.length === 2 && +new Date(c.first_at) > +span[0] + 0.6 * (+span[1] - +span[0]);
        return Plot.text([c], {
          x: (d: Change) => new Date(d.first_at),
          text: "label",
          frameAnchor: "top",
          dy: 14 * i,
          dx: late ? -4 : 4,
          textAnchor: late ? "end" : "start",
          fill: "#4e79a7"
        });
      }),
      Plot.areaY(data, {x: "week", y1: "low", y2: "high", fill: "currentColor", fillOpacity: 0.08}),
      Plot.lineY(data, {x: "week", y: "rate", stroke: "currentColor", strokeOpacity: 0.6}),
      Plot.dot(data, {x: "week", y: "rate", fill: color, r: 4.5}),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "week",
          y: "rate",
          title: (d: (typeof data)[number]) =>
            `week of ${d.week.toISOString().slice(0, 10)}\n${fmtPct(d.rate)} [${fmtPct(d.low)}–${fmtPct(d.high)}], n = ${fmtInt(d.n)}${d.significant ? `\nsignificantly ${d.direction} than the baseline` : ""}`
        })
      )
    ]
  });
}

export type ShiftBin = DriftPage["categoryShift"][number]["bins"][number];

/** Each bin's share in the eval set and in production, joined by a line; a bin the eval set lacks is labelled so. */
export function shiftChart(bins: readonly ShiftBin[], {width = 640, sort = true} = {}) {
  const domain = (sort ? [...bins].sort((a, b) => (b.prodShare ?? 0) - (a.prodShare ?? 0)) : bins).map((b) => b.label);
  const long = bins.flatMap((b) => [
    {label: b.label, side: "eval set", share: b.evalShare ?? 0, n: b.evalN},
    {label: b.label, side: "production", share: b.prodShare ?? 0, n: b.prodN}
  ]);
  const names = nameAxis(domain, width, {max: 220});
  const marginRight = 120;
  // About one tick per 80 px of frame, but never fewer than two: on a phone the frame left between the
  // names and the "not in the eval set" room held only "0%", an axis with no scale.
  const ticks = Math.max(2, Math.floor((width - names.marginLeft - marginRight) / 80));
  return Plot.plot({
    width,
    height: 26 * domain.length + 60,
    marginLeft: names.marginLeft,
    marginRight,
    x: {tickFormat: "%", grid: true, label: "Share of cases / requests", axis: "top", zero: true, ticks},
    y: {domain, label: null},
    color: {legend: true, domain: ["eval set", "production"], range: ["#9aa0a6", "#4e79a7"]},
    marks: [
      names.axis,
      Plot.link(bins, {
        x1: (b: ShiftBin) => b.evalShare ?? 0,
        x2: (b: ShiftBin) => b.prodShare ?? 0,
        y: "label",
        stroke: "#ccc",
        strokeWidth: 3
      }),
      Plot.dot(long, {
        x: "share",
        y: "label",
        fill: "side",
        r: 5,
        tip: true,
        title: (d: (typeof long)[number]) => `${d.label} · ${d.side}: ${fmtPct(d.share)} (${fmtInt(d.n)})`
      }),
      Plot.text(
        bins.filter((b) => b.evalN === 0 && b.prodN > 0),
        {
          x: (b: ShiftBin) => b.prodShare ?? 0,
          y: "label",
          text: () => "not in the eval set",
          dx: 10,
          textAnchor: "start",
          fill: TONE.bad,
          fontWeight: "bold"
        }
      )
    ]
  });
}

export type WeeklyPsi = DriftPage["categoryShift"][number]["weekly"][number];

/** PSI of each production week against the eval set, with the 0.1 and 0.25 thresholds; weeks on few requests are faint. */
export function psiTrendChart(weeks: readonly WeeklyPsi[], {width = 640, minN = 100} = {}) {
  const data = weeks.filter((w) => w.psi !== null).map((w) => ({...w, at: new Date(w.week), solid: w.n >= minN}));
  const top = Math.max(0.3, ...data.map((d) => d.psi!)) * 1.08;
  // A band's label shows only where the band is tall enough to hold it: a week of PSI 18 squeezes the
  // stable and moderate bands into a pixel or two, where the three labels fell on each other. Each
  // label sits inside its band, the major one just above 0.25. The page's prose states the thresholds.
  const height = 220;
  const pxPerUnit = (height - 50) / top; // Plot's default margins: 20 px above the frame, 30 below.
  const bandLabels = [
    {text: "stable < 0.1", y: 0.05, room: 0.1},
    {text: "moderate 0.1–0.25", y: 0.175, room: 0.15},
    {text: "major > 0.25", y: Math.min(0.25 + 10 / pxPerUnit, top - 8 / pxPerUnit), room: top - 0.25}
  ].filter((b) => b.room * pxPerUnit >= 14);
  return Plot.plot({
    width,
    height,
    x: {type: "utc", label: null},
    y: {domain: [0, top], grid: true, label: "PSI against the eval set"},
    marks: [
      Plot.rectY([0], {y1: 0, y2: 0.1, fill: TONE.good, fillOpacity: 0.08}),
      Plot.rectY([0], {y1: 0.1, y2: 0.25, fill: "#edc948", fillOpacity: 0.12}),
      Plot.rectY([0], {y1: 0.25, y2: top, fill: TONE.bad, fillOpacity: 0.08}),
      Plot.text(bandLabels, {
        y: "y",
        text: "text",
        frameAnchor: "left",
        dx: 4,
        textAnchor: "start",
        fill: "currentColor",
        fillOpacity: 0.6
      }),
      Plot.lineY(data, {x: "at", y: "psi", stroke: "#4e79a7"}),
      Plot.dot(data, {
        x: "at",
        y: "psi",
        fill: "#4e79a7",
        fillOpacity: (d: (typeof data)[number]) => (d.solid ? 1 : 0.3),
        r: 4,
        tip: true,
        title: (d: (typeof data)[number]) =>
          `week of ${d.week}: PSI ${d.psi!.toFixed(3)} on ${fmtInt(d.n)} requests${d.solid ? "" : " (few requests: read with care)"}`
      })
    ]
  });
}

// Charts of the traces page: requests over time, latency percentiles of whole requests and of each
// span kind, error/refusal/truncation rates with their intervals, and one trace's span waterfall.
import * as Plot from "@observablehq/plot";
import type {KindPercentileRow, PercentileRow, RateRow, WaterfallSpan} from "../../loaders/queries/traces.js";
import {fmtInt, fmtMs, fmtPct} from "./format.js";
import {TONE} from "./palette.js";

export interface VolumeRow {
  bucket: string;
  requests: number;
  series?: string;
}

/** Requests per bucket, stacked by series (feature or model) when given. */
export function volumeChart(rows: readonly VolumeRow[], {width = 640, interval = "day", seriesLabel = ""} = {}) {
  const data = rows.map((r) => ({...r, at: new Date(r.bucket)}));
  const stacked = data.some((r) => r.series !== undefined);
  return Plot.plot({
    width,
    height: 220,
    x: {type: "utc", label: null},
    y: {grid: true, label: `Requests per ${interval}`},
    color: stacked ? {legend: true, label: seriesLabel} : undefined,
    marks: [
      Plot.rectY(data, {
        x: "at",
        y: "requests",
        interval: interval as "day",
        fill: stacked ? "series" : "var(--theme-foreground-focus)",
        tip: {format: {x: (d: Date) => d.toISOString().slice(0, 16).replace("T", " ")}}
      }),
      Plot.ruleY([0])
    ]
  });
}

const percentileLong = <T extends Pick<PercentileRow, "bucket" | "n" | "p50" | "p95" | "p99">>(rows: readonly T[]) =>
  rows
    .flatMap((r) =>
      (["p50", "p95", "p99"] as const).map((p) => ({...r, at: new Date(r.bucket), percentile: p, value: r[p]}))
    )
    .filter((r) => r.value !== null);

/** End-to-end latency p50, p95 and p99 per bucket; the feature's p95 budget as a dashed rule. */
export function latencyChart(rows: readonly PercentileRow[], {width = 640, budget = null as number | null} = {}) {
  // In the unit that keeps the axis's figures short (durationUnit): hours of latency in milliseconds
  // ran past the chart's left edge.
  const unit = durationUnit(Math.max(budget ?? 0, ...rows.map((r) => r.p99 ?? r.p95 ?? r.p50 ?? 0)));
  const data = percentileLong(rows).map((d) => ({...d, y: d.value! / unit.ms}));
  return Plot.plot({
    width,
    height: 260,
    x: {type: "utc", label: null},
    y: {grid: true, label: `Latency (${unit.short})`, zero: true},
    color: {legend: true, domain: ["p50", "p95", "p99"], range: ["#4e79a7", "#f28e2b", TONE.bad]},
    marks: [
      budget !== null ? Plot.ruleY([budget / unit.ms], {stroke: TONE.bad, strokeDasharray: "5,4"}) : null,
      budget !== null
        ? Plot.text([budget / unit.ms], {
            y: (d: number) => d,
            text: () => `p95 budget ${fmtMs(budget)}`,
            frameAnchor: "right",
            dy: -7,
            fill: TONE.bad
          })
        : null,
      Plot.lineY(data, {x: "at", y: "y", stroke: "percentile", marker: "circle"}),
      Plot.tip(
        data,
        Plot.pointer({
          x: "at",
          y: "y",
          title: (d: (typeof data)[number]) =>
            `${d.bucket.slice(0, 10)} · ${d.percentile} ${fmtMs(d.value)}\nn = ${fmtInt(d.n)} requests`
        })
      )
    ]
  });
}

/** p50 (dashed) and p95 (solid) of each span kind per bucket, on a log scale so a retrieval and an LLM call share one chart. */
export function spanKindChart(rows: readonly KindPercentileRow[], {width = 640} = {}) {
  const data = percentileLong(rows).filter((d) => d.percentile !== "p99" && (d.value ?? 0) > 0);
  return Plot.plot({
    width,
    height: 260,
    x: {type: "utc", label: null},
    y: {type: "log", grid: true, label: "Span duration (ms, log scale)"},
    color: {legend: true, label: "Span kind"},
    marks: [
      Plot.lineY(
        data.filter((d) => d.percentile === "p95"),
        {x: "at", y: "value", stroke: "kind", marker: "circle"}
      ),
      Plot.lineY(
        data.filter((d) => d.percentile === "p50"),
        {x: "at", y: "value", stroke: "kind", strokeDasharray: "3,3", strokeOpacity: 0.8}
      ),
      Plot.tip(
        data,
        Plot.pointer({
          x: "at",
          y: "value",
          title: (d: (typeof data)[number]) =>
            `${d.kind} ${d.percentile} ${fmtMs(d.value)}\n${d.bucket.slice(0, 10)} · n = ${fmtInt(d.n)} spans`
        })
      )
    ]
  });
}

/** Error, refusal and truncation rates per bucket, each with its 95% Wilson band. */
export function rateChart(rows: readonly RateRow[], {width = 640} = {}) {
  const names = {errors: "errors", refusals: "refusals (content_filter)", truncations: "truncations (length)"} as const;
  const data = rows.flatMap((r) =>
    (Object.keys(names) as (keyof typeof names)[]).map((k) => ({
      at: new Date(r.bucket),
      bucket: r.bucket,
      metric: names[k],
      ...r[k]
    }))
  );
  return Plot.plot({
    width,
    height: 240,
    x: {type: "utc", label: null},
    y: {grid: true, tickFormat: "%", label: "Share of requests (95% interval)", zero: true},
    color: {legend: true, domain: Object.values(names), range: [TONE.bad, "#b07aa1", "#f28e2b"]},
    marks: [
      Plot.areaY(data, {x: "at", y1: "low", y2: "high", fill: "metric", fillOpacity: 0.12, curve: "step"}),
      Plot.lineY(data, {x: "at", y: "rate", stroke: "metric", marker: "circle", curve: "linear"}),
      Plot.tip(
        data,
        Plot.pointer({
          x: "at",
          y: "rate",
          title: (d: (typeof data)[number]) =>
            `${d.metric}: ${fmtPct(d.rate)} [${fmtPct(d.low)}–${fmtPct(d.high)}]\n${d.bucket.slice(0, 10)} · n = ${fmtInt(d.n)}`
        })
      )
    ]
  });
}

export type {WaterfallSpan};

/** The unit a time axis whose longest value is `ms` milliseconds counts in: ms under 10 s, then s, min, h. */
export function durationUnit(ms: number): {name: string; short: string; ms: number} {
  if (ms < 10_000) return {name: "Milliseconds", short: "ms", ms: 1};
  if (ms < 600_000) return {name: "Seconds", short: "s", ms: 1_000};
  if (ms < 36_000_000) return {name: "Minutes", short: "min", ms: 60_000};
  return {name: "Hours", short: "h", ms: 3_600_000};
}

/** One trace's spans on a shared time axis, indented by depth; failed spans outlined in the palette's bad (vermillion). */
export function waterfallChart(spans: readonly WaterfallSpan[], {width = 640} = {}) {
  // SVG collapses leading spaces: indent with no-break spaces.
  const indent = (depth: number) => (depth ? `${"\u00a0\u00a0\u00a0".repeat(depth - 1)}└\u00a0` : "");
  // The axis counts in the unit that keeps its figures short: a trace of hours in milliseconds wrote
  // "300,000,000" under every tick, and on a phone those ran into each other.
  const longest = Math.max(0, ...spans.map((s) => s.offset_ms + s.duration_ms));
  const unit = durationUnit(longest);
  const rows = spans.map((s, i) => ({
    ...s,
    row: `${String(i + 1).padStart(3, "0")} ${indent(s.depth)}${s.name}`,
    from: s.offset_ms / unit.ms,
    end: (s.offset_ms + s.duration_ms) / unit.ms
  }));
  // On a phone the span names and the duration labels cannot both keep their room beside the bars (the
  // margins alone would exceed the width): names are cut to the margin, durations move to the tooltip.
  const narrow = width < 560;
  const marginLeft = Math.min(
    narrow ? Math.round(width * 0.4) : 280,
    12 + 7 * Math.max(...rows.map((r) => r.row.length - 4))
  );
  const chars = Math.max(4, Math.floor((marginLeft - 12) / 7));
  const name = (d: string) => (d.length - 4 > chars ? `${d.slice(4, 4 + chars - 1)}…` : d.slice(4));
  const label = (d: (typeof rows)[number]) =>
    `${fmtMs(d.duration_ms)}${d.model ? ` · ${d.model}` : ""}${d.status === "error" ? " · error" : ""}`;
  // Right of the bars, each span's duration and model: the margin fits the longest (7 px a character at
  // 11 px) up to a third of the chart, and a longer one ends in an ellipsis, in full in its tooltip. A
  // fixed 190 px cut "3.87 s · claude-sonnet-4-5-20250929" (a real OpenInference trace) at its end.
  const marginRight = narrow
    ? 16
    : Math.min(Math.round(width / 3), 12 + 7 * Math.max(0, ...rows.map((r) => label(r).length)));
  return Plot.plot({
    width,
    height: 26 * rows.length + 50,
    marginLeft,
    marginRight,
    x: {label: `${unit.name} since the trace started`, grid: true, ticks: narrow ? 3 : undefined},
    y: {domain: rows.map((r) => r.row), tickFormat: name, label: null, tickSize: 0},
    style: {overflow: "visible"},
    color: {legend: true, label: "Span kind"},
    marks: [
      Plot.barX(rows, {x1: "from", x2: "end", y: "row", fill: "kind", insetTop: 3, insetBottom: 3}),
      Plot.barX(
        rows.filter((d) => d.status === "error"),
        {
          x1: "from",
          x2: "end",
          y: "row",
          fill: "none",
          stroke: TONE.bad,
          strokeWidth: 2,
          insetTop: 2,
          insetBottom: 2
        }
      ),
      narrow
        ? Plot.tip(
            rows,
            Plot.pointerY({x: "end", y: "row", title: (d: (typeof rows)[number]) => `${d.name}\n${label(d)}`})
          )
        : Plot.text(rows, {
            x: "end",
            y: "row",
            text: label,
            title: label,
            textAnchor: "start",
            dx: 4,
            fontSize: 11,
            lineWidth: (marginRight - 8) / 11,
            textOverflow: "ellipsis-end",
            clip: false
          })
    ]
  });
}

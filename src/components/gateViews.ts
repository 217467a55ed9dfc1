// The launch gate's views: each gate as its interval against its threshold (the passing side shaded),
// the table of gates with verdicts and baseline, and the candidate's pass rate run after run.
import * as Plot from "@observablehq/plot";
import {html} from "npm:htl";
import {fmtValue, verdictBadge} from "./evalFormat.js";
import {fmtDate, fmtInt} from "./format.js";
import type {LaunchGatePage} from "../../loaders/queries/launchGate.js";
import * as d3 from "d3";
import {TONE} from "./palette.js";
import {stackOnPhone} from "./stackedTable.js";

export type Gate = LaunchGatePage["launches"][number]["gates"][number];

const verdictColor: Record<string, string> = {
  pass: TONE.good,
  fail: TONE.bad,
  inconclusive: "#e6a700",
  "no-data": "#9aa0a6"
};

const tickFormat = (unit: string) => (d: number) =>
  unit === "usd"
    ? d === 0
      ? "$0"
      : `$${+d.toPrecision(2)}`
    : unit === "rate"
      ? `${+(d * 100).toPrecision(3)}%`
      : fmtValue(d, unit);

/** One gate on its own scale: the side that passes (shaded), the threshold (dashed), the 95% interval
 * (bar; open-ended when a bound cannot be computed), the estimate (dot) and the baseline (grey tick). */
export function gateIntervalChart(gate: Gate, {width = 640, labelWidth = Math.min(170, Math.round(width * 0.3))} = {}) {
  const values = [gate.threshold, gate.bar, gate.estimate, gate.low, gate.high, gate.baseline?.estimate].filter(
    (v): v is number => v !== null && v !== undefined
  );
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(gate.threshold) || 1) * 0.2;
  const domain: [number, number] = [Math.max(0, lo - pad), gate.unit === "rate" ? Math.min(1, hi + pad) : hi + pad];
  const passSide = gate.direction === "min" ? [gate.bar, domain[1]] : [domain[0], gate.bar];
  const color = verdictColor[gate.verdict] ?? "#9aa0a6";
  const x1 = gate.low ?? domain[0];
  const x2 = gate.high ?? domain[1];
  const row = [gate.label];
  // About one tick per 80 px of axis, so "2.00 s" and "2.10 s" never touch on a phone; but a narrow
  // domain can hold a single round tick at that count (a 2% rate gate showed only "2%"), which gives the
  // axis no scale, so the count grows until at least two ticks fall inside it.
  const perWidth = Math.max(2, Math.min(5, Math.floor((width - labelWidth - 20) / 80)));
  let tickCount = perWidth;
  while (tickCount < 10 && d3.ticks(domain[0], domain[1], tickCount).length < 2) tickCount++;
  return Plot.plot({
    width,
    height: 64,
    marginLeft: labelWidth,
    marginRight: 20,
    marginTop: 8,
    marginBottom: 24,
    x: {
      domain,
      label: null,
      ticks: tickCount,
      tickFormat: tickFormat(gate.unit)
    },
    y: {domain: row, label: null},
    marks: [
      // A gate's name longer than the margin ("Cost per request" on a phone) wraps onto a second line.
      Plot.axisY({label: null, tickSize: 0, lineWidth: (labelWidth - 10) / 10}),
      Plot.rectX(row, {x1: passSide[0], x2: passSide[1], y: (d: string) => d, fill: TONE.good, fillOpacity: 0.1}),
      Plot.ruleX([gate.threshold], {stroke: "currentColor", strokeDasharray: "4,3"}),
      gate.margin ? Plot.ruleX([gate.bar], {stroke: "currentColor", strokeDasharray: "1,2"}) : null,
      gate.estimate === null
        ? null
        : Plot.ruleY(row, {y: (d: string) => d, x1, x2, stroke: color, strokeWidth: 6, strokeOpacity: 0.55}),
      gate.baseline?.estimate == null
        ? null
        : Plot.tickX([gate.baseline.estimate], {
            x: (d: number) => d,
            y: () => gate.label,
            stroke: "#777",
            strokeWidth: 2
          }),
      gate.estimate === null
        ? null
        : Plot.dot([gate.estimate], {x: (d: number) => d, y: () => gate.label, fill: color, r: 6, stroke: "white"}),
      Plot.text([gate.threshold], {
        x: (d: number) => d,
        y: () => gate.label,
        text: () => `${gate.direction === "min" ? "≥" : "≤"} ${fmtValue(gate.threshold, gate.unit)}`,
        dy: -17,
        fontSize: 10
      })
    ]
  });
}

/** Every gate of a launch, one row each on its own scale, labels aligned. */
export function gateBoard(gates: readonly Gate[], {width = 640} = {}): HTMLElement {
  return html`<div data-testid="gate-board">${gates.map((g) => gateIntervalChart(g, {width}))}</div>`;
}

const marginText = (g: Gate) =>
  g.unit === "rate" ? `${+((g.margin ?? 0) * 100).toFixed(2)} pts` : fmtValue(g.margin ?? 0, g.unit);

/** Without a margin, a rate gate that is not failed says what its n can rule out: not "equivalent". */
function detectableNote(g: Gate) {
  if (g.minimum_detectable === null || g.margin || g.verdict === "fail" || g.verdict === "no-data") return "";
  return html`<div class="muted" style="font-size:12px" data-testid="detectable">n = ${fmtInt(g.n)} detects differences of ${(g.minimum_detectable * 100).toFixed(1)} pts or more; smaller ones are not ruled out (state a margin to decide)</div>`;
}

export function gatesTable(gates: readonly Gate[], {baselineLabel = null as string | null} = {}): HTMLElement {
  const range = (g: {low: number | null; high: number | null}, unit: string) =>
    `[${g.low === null ? "…" : fmtValue(g.low, unit)} – ${g.high === null ? "…" : fmtValue(g.high, unit)}]`;
  const nowrap = "white-space:nowrap";
  return stackOnPhone(html`<table class="report" style="max-width:none" data-testid="gates">
    <thead><tr><th>Gate</th><th class="num">Threshold</th><th class="num">Measured</th><th class="num">95% interval</th><th class="num">n</th><th>Verdict</th>${baselineLabel ? html`<th class="num">Baseline<div class="muted" style="font-weight:normal">${baselineLabel}</div></th>` : ""}</tr></thead>
    <tbody>${gates.map(
      (g) => html`<tr>
      <td><strong>${g.label}</strong><div class="muted" style="font-size:12px">${g.method}</div></td>
      <td class="num"><span style=${nowrap}>${g.direction === "min" ? "≥" : "≤"} ${fmtValue(g.threshold, g.unit)}</span>${g.margin ? html`<div class="muted" style="font-size:12px" data-testid="gate-margin">margin ${marginText(g)}: passes at ${g.direction === "min" ? "≥" : "≤"} ${fmtValue(g.bar, g.unit)}</div>` : ""}</td>
      <td class="num" style=${nowrap}><strong>${g.estimate === null ? "no data" : fmtValue(g.estimate, g.unit)}</strong></td>
      <td class="num" style=${nowrap}>${g.estimate === null ? "—" : range(g, g.unit)}</td>
      <td class="num">${fmtInt(g.n)}</td>
      <td>${verdictBadge(g.verdict)}${g.way_forward_text !== null ? html`<div class="muted" style="font-size:12px" data-testid="way-forward">≈ ${fmtInt(g.cases_needed ?? 0)} more cases: ${g.way_forward_text}</div>` : ""}${detectableNote(g)}${g.verdict === "inconclusive" && g.high === null && g.direction === "max" ? html`<div class="muted" style="font-size:12px">too few requests to bound it from above</div>` : ""}</td>
      ${baselineLabel ? html`<td class="num" style=${nowrap}>${g.baseline?.estimate == null ? "—" : fmtValue(g.baseline.estimate, g.unit)}</td>` : ""}</tr>`
    )}
    </tbody></table>`);
}

export type HistoryPoint = LaunchGatePage["launches"][number]["history"][number];

/** The candidate's pass rate run after run, against the gate. */
export function historyChart(history: readonly HistoryPoint[], {width = 640, threshold = null as number | null} = {}) {
  const rows = history.map((h) => ({...h, at: new Date(h.started_at)}));
  const values = [...rows.flatMap((r) => [r.low ?? 1, r.high ?? 0]), ...(threshold === null ? [] : [threshold])];
  return Plot.plot({
    width,
    height: 220,
    x: {type: "utc", label: null, inset: 30},
    y: {
      domain: [Math.max(0, Math.min(...values) - 0.03), Math.min(1, Math.max(...values) + 0.02)],
      tickFormat: "%",
      grid: true,
      label: "Candidate pass rate (95% interval)"
    },
    marks: [
      threshold === null ? null : Plot.ruleY([threshold], {stroke: TONE.bad, strokeDasharray: "4,3"}),
      threshold === null
        ? null
        : Plot.text([threshold], {
            y: (d: number) => d,
            frameAnchor: "left",
            textAnchor: "start",
            text: (d: number) => `gate ≥ ${(d * 100).toFixed(0)}%`,
            dy: -7,
            dx: 4,
            fill: TONE.bad
          }),
      Plot.ruleX(rows, {x: "at", y1: "low", y2: "high", strokeWidth: 3, strokeOpacity: 0.5}),
      Plot.line(rows, {x: "at", y: "rate", strokeOpacity: 0.4}),
      Plot.dot(rows, {x: "at", y: "rate", r: 5, fill: "currentColor"}),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "at",
          y: "rate",
          title: (r: (typeof rows)[number]) =>
            `${fmtDate(r.started_at)} · ${r.run_id}\n${((r.rate ?? 0) * 100).toFixed(1)}% [${((r.low ?? 0) * 100).toFixed(1)}–${((r.high ?? 0) * 100).toFixed(1)}%] n = ${r.n}`
        })
      )
    ]
  });
}

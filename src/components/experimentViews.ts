// The experiments page's views: the list with status and verdict, the verdict rules, and per
// experiment the sample-ratio check (first, blocking), metric lifts, segment effects, power and the
// daily looks. The page data's types are the query's own.
import * as Plot from "@observablehq/plot";
import {html} from "npm:htl";
import type {Comparison, DailyLook, ExperimentReadout, SegmentEffect} from "../../loaders/queries/experiments.js";
import type {MetricEffect} from "../../loaders/metrics/experiments/metricEffect.js";
import type {ArmValue, ModelGuardrail} from "../../loaders/metrics/experiments/modelGuardrails.js";
import type {Verdict} from "../../loaders/metrics/experiments/verdict.js";
import {withCsv} from "./csvDownload.js";
import {fmtDate, fmtInt, fmtMs, fmtPct, fmtUsd} from "./format.js";
import {TONE} from "./palette.js";
import {stackOnPhone} from "./stackedTable.js";

const toneOf: Record<Verdict, string> = {
  ship: TONE.good,
  "don't ship": TONE.bad,
  "keep running": "#e6a700",
  invalid: "#6b6f76"
};

export function experimentVerdictBadge(verdict: Verdict): HTMLElement {
  const style = `display:inline-block;border-radius:4px;font-weight:600;white-space:nowrap;font-size:12px;padding:1px 7px;color:${verdict === "keep running" ? "#1b1e23" : "white"};background:${toneOf[verdict]};`;
  return html`<span class="experiment-verdict" style=${style}>${verdict.toUpperCase()}</span>`;
}

/**
 * A wide table in a box that scrolls sideways on its own, so a tablet scrolls the table, not the page
 * (the metric table alone needs about 600 px); below 560 px the wide ones stack their rows instead
 * (stackOnPhone), so that a phone shows every figure of a row.
 */
const scrolling = (table: HTMLElement): HTMLElement =>
  html`<div class="experiment-scroll" style="max-width:100%;overflow-x:auto;">${table}</div>`;

export const experimentAnchor = (name: string) => `experiment-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
const pValue = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const signedPct = (x: number | null | undefined) => (x == null ? "—" : `${x >= 0 ? "+" : ""}${fmtPct(x)}`);
const num = (x: number, kind: string) =>
  kind === "binary" ? fmtPct(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);

export function experimentList(experiments: readonly ExperimentReadout[]): HTMLElement {
  return scrolling(
    stackOnPhone(html`<table id="experiment-list" class="experiment-list">
    <thead><tr><th>experiment</th><th>status</th><th>units</th><th>sample ratio</th><th>verdict</th><th>why</th></tr></thead>
    <tbody>${experiments.map(
      (e) => html`<tr data-experiment=${e.name} data-verdict=${e.verdict.verdict}>
      <td><a href=${`#${experimentAnchor(e.name)}`}>${e.name}</a></td>
      <td>${e.status}</td>
      <td>${fmtInt(e.sampleRatio.observed.reduce((a, b) => a + b, 0))}</td>
      <td>${e.sampleRatio.mismatch ? html`<strong>mismatch</strong> (p = ${pValue(e.sampleRatio.pValue)})` : `ok (p = ${pValue(e.sampleRatio.pValue)})`}</td>
      <td>${experimentVerdictBadge(e.verdict.verdict)}</td>
      <td class="experiment-reason">${e.verdict.reason}</td>
    </tr>`
    )}</tbody>
  </table>`)
  );
}

export function verdictRules(rules: readonly {verdict: Verdict; rule: string}[]): HTMLElement {
  return html`<ol id="verdict-rules">${rules.map((r) => html`<li>${experimentVerdictBadge(r.verdict)} ${r.rule}</li>`)}</ol>`;
}

export function sampleRatioView(e: ExperimentReadout): HTMLElement {
  const s = e.sampleRatio;
  const rows = s.variants.map(
    (v, i) => html`<tr><td>${v}</td><td>${fmtInt(s.observed[i])}</td><td>${fmtInt(Math.round(s.expected[i]))}</td></tr>`
  );
  const summary = `χ² = ${s.statistic.toFixed(2)}, df = ${s.df}, p = ${pValue(s.pValue)}`;
  return html`<div class="sample-ratio ${s.mismatch ? "srm-fail" : "srm-ok"}">
    ${
      s.mismatch
        ? html`<div class="note srm-blocked" role="alert"><strong>Sample-ratio mismatch: readout blocked.</strong> ${summary}. The variants did not get their configured shares, so some units were lost or misassigned (often a logging bug in one variant); any lift below would compare different populations.</div>`
        : html`<p>Sample ratio as configured: ${summary}.</p>`
    }
    ${scrolling(html`<table><thead><tr><th>variant</th><th>units</th><th>expected</th></tr></thead><tbody>${rows}</tbody></table>`)}
  </div>`;
}

function effectRow(m: MetricEffect, role: string): HTMLElement {
  const rel = m.relative;
  return html`<tr data-metric=${m.name} data-direction=${m.direction}>
    <td>${m.name} <span class="muted">(${role}, ${m.kind}, ${m.better} is better)</span></td>
    <td>${num(m.control.value, m.kind)}<div class="muted">n = ${fmtInt(m.control.n)}</div></td>
    <td>${num(m.treatment.value, m.kind)}<div class="muted">n = ${fmtInt(m.treatment.n)}</div></td>
    <td>${num(m.absolute.estimate, m.kind)} [${num(m.absolute.low, m.kind)}, ${num(m.absolute.high, m.kind)}]</td>
    <td>${rel ? `${signedPct(rel.estimate)} [${signedPct(rel.low)}, ${signedPct(rel.high)}]` : "—"}</td>
    <td>${num(m.alwaysValid.low, m.kind)} to ${num(m.alwaysValid.high, m.kind)}<div class="muted">${m.direction}</div></td>
    <td>${m.method}${m.cuped ? html`<div class="muted">CUPED: variance −${fmtPct(m.cuped.varianceReduction)}</div>` : ""}</td>
  </tr>`;
}

/** The comparison's primary metric and guardrails, one row each, with the download of those effects (`filename`). */
export function metricTable(c: Comparison, filename: string): HTMLElement {
  const effects = [
    ...(c.primary ? [{m: c.primary, role: "primary"}] : []),
    ...c.guardrails.map((m) => ({m, role: "guardrail"}))
  ];
  return withCsv(
    scrolling(
      stackOnPhone(html`<table class="experiment-metrics">
    <thead><tr><th>metric</th><th>control</th><th>${c.treatment}</th><th>difference, 95% CI</th><th>relative lift, 95% CI</th><th>always-valid 95%</th><th>method</th></tr></thead>
    <tbody>${effects.map(({m, role}) => effectRow(m, role))}</tbody></table>`)
    ),
    effects.map(({m}) => m),
    filename
  );
}

const guardrailValue = (x: number | null, unit: ModelGuardrail["unit"]) =>
  x === null ? "—" : unit === "ms" ? fmtMs(x) : unit === "usd" ? fmtUsd(x) : unit === "rate" ? fmtPct(x) : x.toFixed(1);
const signed = (x: number | null, unit: ModelGuardrail["unit"]) =>
  x === null ? "—" : `${x > 0 ? "+" : x < 0 ? "−" : ""}${guardrailValue(Math.abs(x), unit)}`;
const armCell = (a: ArmValue, unit: ModelGuardrail["unit"]) =>
  html`<td>${guardrailValue(a.value, unit)}<div class="muted">[${guardrailValue(a.low, unit)}, ${guardrailValue(a.high, unit)}] · n = ${fmtInt(a.n)}</div></td>`;

/**
 * The model's guardrails per arm, from the traces and corrections that carry the variant, with the rule
 * that marks a breach and the download of the guardrails (`filename`) when there are any.
 */
export function modelGuardrailTable(c: Comparison, rule: string, filename: string): HTMLElement {
  if (!c.modelGuardrails)
    return html`<p class="muted model-guardrails-none">No traces or corrections carry this experiment's variant: add the span attribute <code>experiment.variant</code> (and <code>experiment.name</code>) or OpenTelemetry's <code>feature_flag.*</code> to see its model's latency, cost, failures and corrections per arm (docs/experiments.md).</p>`;
  const breached = c.modelGuardrails.filter((g) => g.breached);
  return withCsv(
    html`<div class="model-guardrails">
    <p class="muted">${rule}</p>
    ${scrolling(
      stackOnPhone(html`<table class="experiment-model-guardrails">
      <thead><tr><th>model guardrail</th><th>control, 95% CI</th><th>${c.treatment}, 95% CI</th><th>difference, 95% CI</th><th>verdict impact</th></tr></thead>
      <tbody>${c.modelGuardrails.map(
        (g) => html`<tr data-guardrail=${g.name} class=${g.breached ? "model-guardrail-breached" : ""}>
        <td>${g.name}</td>${armCell(g.control, g.unit)}${armCell(g.treatment, g.unit)}
        <td>${g.difference === null ? "—" : html`${signed(g.difference.estimate, g.unit)}${g.difference.low === null ? html`<div class="muted">arms' intervals ${g.breached ? "do not overlap" : "compared"}</div>` : html`<div class="muted">[${signed(g.difference.low, g.unit)}, ${signed(g.difference.high, g.unit)}]</div>`}`}</td>
        <td>${g.breached ? html`<strong>breached: blocks ship</strong>` : "none"}</td>
      </tr>`
      )}</tbody></table>`)
    )}
    ${breached.length ? html`<p class="model-guardrail-summary"><strong>${breached.map((g) => g.name).join(", ")}</strong> ${breached.length > 1 ? "are" : "is"} worse in ${c.treatment}: the verdict cannot be ship until ${breached.length > 1 ? "they are" : "it is"} fixed.</p>` : ""}
  </div>`,
    c.modelGuardrails,
    filename
  );
}

/** The segment effects with the 15 lowest q, with the download of exactly those (`filename`). */
export function segmentTable(segments: readonly SegmentEffect[], filename: string): HTMLElement {
  if (!segments.length) return html`<p class="muted">No segment attributes with units in both arms.</p>`;
  const shown = [...segments].sort((a, b) => a.q - b.q).slice(0, 15);
  return withCsv(
    html`<div>
    <div class="note segment-warning">Exploratory: ${fmtInt(segments.length)} segment × metric comparisons, so some will look different by chance. q is the Benjamini–Hochberg adjusted p-value over all of them; only q < 0.05 with a harmful direction counts as a segment harm. Confirm one with its own experiment.</div>
    ${scrolling(
      stackOnPhone(html`<table class="experiment-segments"><thead><tr><th>segment</th><th>metric</th><th>units (control / treatment)</th><th>relative lift, 95% CI</th><th>p</th><th>BH q</th></tr></thead>
    <tbody>${shown.map(
      (
        s
      ) => html`<tr data-segment=${`${s.attribute}=${s.level}`} data-metric=${s.metric} class=${s.harmful ? "segment-harm" : ""}>
      <td>${s.attribute} = ${s.level}</td><td>${s.metric}</td><td>${fmtInt(s.controlUnits)} / ${fmtInt(s.treatmentUnits)}</td>
      <td>${signedPct(s.relative)} [${signedPct(s.low)}, ${signedPct(s.high)}]</td><td>${pValue(s.pValue)}</td><td>${s.harmful ? html`<strong>${pValue(s.q)}</strong>` : pValue(s.q)}</td>
    </tr>`
    )}</tbody></table>`)
    )}
    ${segments.length > shown.length ? html`<p class="muted">The ${shown.length} lowest q of ${segments.length}.</p>` : ""}
  </div>`,
    shown,
    filename
  );
}

export function powerView(e: ExperimentReadout, c: Comparison): HTMLElement {
  const p = c.power;
  const days =
    p.daysToMinimumEffect === null
      ? "—"
      : p.daysToMinimumEffect === 0
        ? "already reached"
        : `${fmtInt(p.daysToMinimumEffect)} more days`;
  return html`<p class="experiment-power">At ${fmtInt(e.sampleRatio.observed.reduce((a, b) => a + b, 0))} units (${fmtInt(Math.round(e.unitsPerDay))} a day over ${e.daysRun} days), the minimum detectable effect on ${e.primaryMetric} is <strong>${fmtPct(p.mdeRelative)}</strong> relative (α = 0.05, 80% power, fixed horizon). The configured minimum effect of ${fmtPct(e.minimumEffect)} needs about ${p.unitsNeeded === null ? "—" : fmtInt(p.unitsNeeded)} units: <strong>${days}</strong> at current traffic.</p>`;
}

/** The primary metric's difference day by day: the naive fixed-horizon interval against the always-valid one. */
export function dailyLooksChart(daily: readonly DailyLook[], {width = 640} = {}): SVGElement | HTMLElement {
  const bands = daily.flatMap((d) => [
    {day: d.day, kind: "fixed-horizon 95% (unsafe to peek)", low: d.naiveLow, high: d.naiveHigh},
    {day: d.day, kind: "always-valid 95%", low: d.alwaysValidLow, high: d.alwaysValidHigh}
  ]);
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 56,
    x: {label: "day of the experiment"},
    y: {label: "treatment − control", grid: true},
    color: {
      legend: true,
      domain: ["always-valid 95%", "fixed-horizon 95% (unsafe to peek)"],
      range: ["#4269d0", TONE.bad]
    },
    marks: [
      Plot.areaY(bands, {x: "day", y1: "low", y2: "high", fill: "kind", fillOpacity: 0.18, z: "kind"}),
      Plot.ruleY([0], {stroke: "currentColor"}),
      Plot.line(daily, {x: "day", y: "estimate", stroke: "currentColor"}),
      Plot.dot(
        daily.filter((d) => d.naiveP < 0.05),
        {
          x: "day",
          y: "estimate",
          fill: TONE.bad,
          r: 3,
          title: (d: DailyLook) => `day ${d.day}: fixed-horizon p = ${pValue(d.naiveP)}`
        }
      )
    ]
  }) as SVGElement;
}

export const experimentPeriod = (e: ExperimentReadout) =>
  `${fmtDate(e.start)} → ${e.end ? fmtDate(e.end) : `${fmtInt(e.sampleSize ?? 0)} units`}`;

/** One line per experiment for the home page: its verdict and why, linking to its section. */
export function experimentLines(experiments: readonly ExperimentReadout[]): HTMLElement {
  return html`<ul id="experiment-lines">${experiments.map(
    (e) => html`<li data-experiment=${e.name}>
    <a href=${`./experiments.html#${experimentAnchor(e.name)}`}>${e.name}</a> ${experimentVerdictBadge(e.verdict.verdict)} <span class="muted">${e.status}</span> — ${e.verdict.reason}
  </li>`
  )}</ul>`;
}

/** The capability brief's experiment line: each experiment's verdict in a few words, linked to its readout. */
export function experimentBriefLine(experiments: readonly ExperimentReadout[]): HTMLElement {
  return html`<p class="brief-experiments" id="brief-experiments"><strong>Online experiments:</strong> ${experiments.map((e, i) => html`${i ? " · " : ""}<span data-experiment=${e.name}><a href=${`./experiments.html#${experimentAnchor(e.name)}`}>${e.name}</a> ${experimentVerdictBadge(e.verdict.verdict)}</span>`)}</p>`;
}

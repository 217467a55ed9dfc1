// Tables of the traces page: per-model figures of a feature, per-span-kind latency, and the
// slowest or most expensive requests. Rates carry their interval and n; costs say where they came from.
import {html} from "npm:htl";
import {stackOnPhone} from "./stackedTable.js";
import type {KindSummary, TopTrace, TracesPage} from "../../loaders/queries/traces.js";
import {ALL} from "../lib/all.js";
import {fmtDate, fmtInt, fmtMeanTokens, fmtMs} from "./format.js";
import {caseHref} from "./caseLinks.js";
import {fmtCost, fmtCI, type Interval} from "./productionFormat.js";

export type {TopTrace};

export type CostSources = TraceSummary["costSources"];

export type TraceSummary = TracesPage["summary"][number];

/** "reported 2,323 · computed 84 · no cost 39": where a cost figure comes from. */
export function costSourceText(s: CostSources): string {
  const parts = [
    s.reported ? `reported ${fmtInt(s.reported)}` : "",
    s.computed ? `computed ${fmtInt(s.computed)}` : "",
    s.mixed ? `mixed ${fmtInt(s.mixed)}` : "",
    s.missing ? `no cost ${fmtInt(s.missing)}` : "",
    s.no_calls ? `no model call ${fmtInt(s.no_calls)}` : ""
  ].filter(Boolean);
  return parts.join(" · ") || "—";
}

/** A model, with the snapshots behind it to expand when its calls were answered under any other name. */
function modelCell(m: string, snapshots: TraceSummary["snapshots"] = []) {
  if (m === ALL) return html`<strong>All models</strong>`;
  if (!snapshots.some((s) => s.name !== m)) return m;
  return html`<details><summary>${m}</summary><ul class="muted" style="margin: 0; padding-left: 1.2em">${snapshots.map((s) => html`<li>${s.name}: ${fmtInt(s.calls)} ${s.calls === 1 ? "call" : "calls"}</li>`)}</ul></details>`;
}
const warnIf = (over: boolean) => (over ? "num warn-text" : "num");
const nowrap = "white-space: nowrap";

/** Per model: latency percentiles, tokens and cost (with where the cost came from). */
export function traceCostTable(
  rows: readonly TraceSummary[],
  {budget = null as number | null, latencyBudget = null as number | null, scope = null as string | null} = {}
): HTMLElement {
  const table = stackOnPhone(html`<table class="report" style="max-width: none">
    <thead><tr><th>Model</th><th class="num">Requests</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th>
      <th class="num">Tokens in</th><th class="num">Tokens out</th><th class="num">Cost mean</th><th class="num">Cost p95</th><th>Cost source (requests)</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
      <td>${modelCell(r.model, r.snapshots)}</td><td class="num">${fmtInt(r.requests)}</td>
      <td class="num" style=${nowrap}>${fmtMs(r.latency.p50)}</td><td class=${warnIf(latencyBudget !== null && (r.latency.p95 ?? 0) > latencyBudget)} style=${nowrap}>${fmtMs(r.latency.p95)}</td><td class="num" style=${nowrap}>${fmtMs(r.latency.p99)}</td>
      <td class="num">${fmtMeanTokens(r.tokens.input_mean)}</td><td class="num">${fmtMeanTokens(r.tokens.output_mean)}</td>
      <td class=${warnIf(budget !== null && (r.cost.mean ?? 0) > budget)} style=${nowrap}>${fmtCost(r.cost.mean)}</td><td class="num" style=${nowrap}>${fmtCost(r.cost.p95)}</td>
      <td class="muted">${costSourceText(r.costSources)}</td></tr>`
    )}
    </tbody></table>`);
  // The scope ("whole period, <first> to <last>") in the words the brief uses for the same cost.
  return scope
    ? html`<div><p data-testid="cost-scope">Per request, over the ${scope}: every request of the slice.</p>${table}</div>`
    : table;
}

/** Per model: failed, refused and truncated requests, each with its interval and n. */
export function traceRateTable(rows: readonly TraceSummary[]): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width: none">
    <thead><tr><th>Model</th><th>Failed [95% CI] n</th><th>Refused (content_filter)</th><th>Truncated (length)</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${modelCell(r.model)}</td><td>${fmtCI(r.errors)}</td><td>${fmtCI(r.refusals)}</td><td>${fmtCI(r.truncations)}</td></tr>`)}
    </tbody></table>`);
}

export function spanKindTable(rows: readonly KindSummary[]): HTMLElement {
  return html`<table class="report">
    <thead><tr><th>Span kind</th><th class="num">Spans</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr></thead>
    <tbody>${rows.map(
      (
        r
      ) => html`<tr><td>${r.kind === "chain" ? "chain (request root)" : r.kind}</td><td class="num">${fmtInt(r.n)}</td>
      <td class="num">${fmtMs(r.p50)}</td><td class="num">${fmtMs(r.p95)}</td><td class="num">${fmtMs(r.p99)}</td></tr>`
    )}</tbody></table>`;
}

export function topTracesTable(rows: readonly TopTrace[]): HTMLElement {
  if (!rows.length) return html`<p class="muted">No request in this slice.</p>`;
  // Seven columns do not fit a phone: there each request reads as a block (the cost was cut off at 390 px).
  return stackOnPhone(html`<table class="report">
    <thead><tr><th class="num">#</th><th>Trace</th><th>Started</th><th class="num">Duration</th><th class="num">Cost</th><th class="num">Spans</th><th>Status</th></tr></thead>
    <tbody>${rows.map(
      (
        r
      ) => html`<tr><td class="num">${r.rank}</td><td><a href=${caseHref({kind: "trace", trace_id: r.trace_id})} title="Open the trace"><code>${r.trace_id.slice(0, 16)}</code></a></td><td>${fmtDate(r.start_time)} ${r.start_time.slice(11, 19)}</td>
      <td class="num">${fmtMs(r.duration_ms)}</td><td class="num">${r.cost_usd === null ? "—" : `${fmtCost(r.cost_usd)} ${r.cost_source === "computed" ? "(computed)" : ""}`}</td>
      <td class="num">${fmtInt(r.spans)}</td><td>${r.failed ? html`<span class="warn-text">failed</span>` : "ok"}</td></tr>`
    )}</tbody></table>`);
}

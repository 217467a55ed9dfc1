// The traces page's data shaping and headline: the feature × model cell the inputs pick, the volume
// series to draw for it, the per-model rows, the budgets that apply, and the requests to drill into.
import {html} from "npm:htl";
import {cards} from "./cards.js";
import {fmtInt, fmtMs, fmtPct} from "./format.js";
import {ALL, allLabel, fmtCI, fmtCost} from "./productionFormat.js";
import {bucketLabel} from "../lib/format.js";
import {costSourceText, type TopTrace, type TraceSummary} from "./traceTables.js";
import {caseHref} from "./caseLinks.js";
import {csvFilename} from "./csvDownload.js";
import {fmtSpan, fmtWholePeriod} from "./format.js";
import type {PercentileRow, TracesPage} from "../../loaders/queries/traces.js";

interface Slice {
  feature: string;
  model: string;
}

/** The rows of exactly one feature × model cell ("(all)" is a cell of its own, precomputed by the query). */
export const cellOf = <R extends Slice>(rows: readonly R[], feature: string, model: string): R[] =>
  rows.filter((r) => r.feature === feature && r.model === model);

export interface Budgets {
  latency_p95_ms: Readonly<Record<string, number>>;
  cost_per_request_usd: Readonly<Record<string, number>>;
}

/** A feature's budgets from the config; all features together have none. */
export function budgetsFor(budgets: Budgets, feature: string): {latency: number | null; cost: number | null} {
  if (feature === ALL) return {latency: null, cost: null};
  return {latency: budgets.latency_p95_ms[feature] ?? null, cost: budgets.cost_per_request_usd[feature] ?? null};
}

/**
 * What the volume chart draws: one series per feature when nothing is picked, one per model of a picked
 * feature, else the single cell.
 */
export function volumeSeries<R extends Slice>(
  rows: readonly R[],
  feature: string,
  model: string
): {rows: (R & {series?: string})[]; seriesLabel: string} {
  const seriesLabel = feature === ALL && model === ALL ? "Feature" : "Model";
  if (feature === ALL && model === ALL)
    return {
      rows: rows.filter((r) => r.model === ALL && r.feature !== ALL).map((r) => ({...r, series: r.feature})),
      seriesLabel
    };
  if (feature !== ALL && model === ALL)
    return {
      rows: rows.filter((r) => r.feature === feature && r.model !== ALL).map((r) => ({...r, series: r.model})),
      seriesLabel
    };
  return {rows: cellOf(rows, feature, model), seriesLabel};
}

/** The feature's rows for the per-model tables: each model by requests, most first, then all models together. */
export function perModelRows<R extends Slice & {requests: number}>(
  summary: readonly R[],
  feature: string,
  model: string
): R[] {
  return summary
    .filter((r) => r.feature === feature && (model === ALL ? true : r.model === model))
    .sort((a, b) => Number(a.model === ALL) - Number(b.model === ALL) || b.requests - a.requests);
}

export type TracePick = TopTrace & {list: "slowest" | "most expensive"};

/** The slowest and the most expensive requests in one list, for the picker of spans to show. */
export function tracePicks(slowest: readonly TopTrace[], costliest: readonly TopTrace[]): TracePick[] {
  return [
    ...slowest.map((r) => ({...r, list: "slowest" as const})),
    ...costliest.map((r) => ({...r, list: "most expensive" as const}))
  ];
}

export const tracePickLabel = (r: TracePick) =>
  `${r.list} #${r.rank}: ${fmtMs(r.duration_ms)} · ${r.cost_usd === null ? "no cost" : fmtCost(r.cost_usd)} · ${r.trace_id.slice(0, 12)}`;

/**
 * Requests, p95 latency and mean cost against the feature's budgets, and the failure rate. `latest`:
 * the latest trend bucket of the slice, whose p95 is the figure the brief quotes against the budget.
 */
export function traceCards(
  summary: TraceSummary,
  budget: {latency: number | null; cost: number | null},
  latest: {row: PercentileRow | undefined; granularity: "hour" | "day" | "week"} | null = null,
  /** What the cards cover: every request, or a filtered slice (whose weeks may not be the whole period). */
  scope = "whole period"
): HTMLElement {
  const {feature, model} = summary;
  const overBudget = (x: number | null, limit: number | null) =>
    limit === null ? undefined : (x ?? 0) > limit ? ("bad" as const) : ("good" as const);
  const latestCard = latest?.row
    ? [
        {
          label: `Latency p95 · ${bucketLabel(latest.row.bucket, latest.granularity)}`,
          value: fmtMs(latest.row.p95),
          note: `n = ${fmtInt(latest.row.n)}${budget.latency === null ? "" : ` · budget ${fmtMs(budget.latency)}`}`,
          tone: overBudget(latest.row.p95, budget.latency)
        }
      ]
    : [];
  return html`<div id="trace-cards">${cards([
    {
      label: "Requests",
      value: fmtInt(summary.requests),
      note: `${allLabel(feature, "all features")} · ${allLabel(model, "all models")}`
    },
    {
      // The cards are over every request of the slice; the brief quotes the cost the same way.
      label: `Latency p95 · ${scope}`,
      value: fmtMs(summary.latency.p95),
      note:
        budget.latency === null
          ? `p50 ${fmtMs(summary.latency.p50)} · p99 ${fmtMs(summary.latency.p99)}`
          : `budget ${fmtMs(budget.latency)}`,
      tone: budget.latency === null ? undefined : (summary.latency.p95 ?? 0) > budget.latency ? "bad" : "good"
    },
    {
      label: `Cost per request (mean) · ${scope}`,
      value: fmtCost(summary.cost.mean),
      note: `${budget.cost === null ? "" : `budget ${fmtCost(budget.cost)} · `}${costSourceText(summary.costSources)}`,
      tone: budget.cost === null ? undefined : (summary.cost.mean ?? 0) > budget.cost ? "bad" : "good"
    },
    ...latestCard,
    {label: "Failed requests", value: fmtPct(summary.errors.rate), note: fmtCI(summary.errors)}
  ])}</div>`;
}

/**
 * What the page shows for one feature × model cell of the (possibly filtered) data `s`, with `t` the
 * build's whole-period data: the cell's rows, its summary, budgets, per-model rows and the scope the
 * cost table names, the requests to drill into, and download names that carry the cell and filter.
 */
export function traceCell(
  t: TracesPage,
  s: TracesPage | null,
  pick: {feature: string; model: string; filtered: boolean; suffix: string}
) {
  const {feature, model, filtered} = pick;
  const cell = <R extends Slice>(rows: readonly R[]) => cellOf(rows, feature, model);
  // A slice that could not be loaded (s null) shows nothing: no summary, no rows, nothing to pick.
  const slowest = s ? cell(s.slowest) : [];
  const costliest = s ? cell(s.costliest) : [];
  return {
    cell,
    name: (table: string) => csvFilename(table, feature, model, pick.suffix),
    summary: s ? cell(s.summary)[0] : undefined,
    budget: budgetsFor(t.budgets, feature),
    costRows: s ? perModelRows(s.summary, feature, model) : [],
    costScope: !s
      ? ""
      : filtered
        ? `filtered slice, ${fmtSpan(s.totals.first_at, s.totals.last_at)}`
        : fmtWholePeriod(t.totals.first_at, t.totals.last_at),
    slowest,
    costliest,
    picks: tracePicks(slowest, costliest)
  };
}

/**
 * The heading over the picked request's spans, or, for a request the filter put on top that is not
 * among the build's picks (whose spans the page holds), a pointer to its case view, which reads them.
 */
export function waterfallHeading(picked: TracePick, held: boolean): HTMLElement {
  const link = html`<a href=${caseHref({kind: "trace", trace_id: picked.trace_id})}>${picked.trace_id}</a>`;
  return held
    ? html`<h3>Spans of ${link}</h3>`
    : html`<p class="muted">The spans of ${link} open in its case view.</p>`;
}

// The frontier page's views beside its charts: the one-line summary of the frontiers, the table of
// options, and the note naming the options left out for want of a cost.
import {html} from "npm:htl";
import type {FrontierPage} from "../../loaders/queries/frontier.js";
import {fmtCI, fmtCost} from "./evalFormat.js";
import {fmtInt, fmtMs} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";

export type FrontierPoint = FrontierPage["points"][number];

/** The options on one frontier, in the order of the points. */
export const frontierOptions = (points: readonly FrontierPoint[], key: "cost_frontier" | "latency_frontier") =>
  points.filter((p) => p[key]).map((p) => p.option);

export function frontierSummary(
  points: readonly FrontierPoint[],
  {feature, category}: {feature: string; category: string}
): HTMLElement {
  return html`<p data-testid="frontier-summary">On <strong>${category}</strong> of <strong>${feature}</strong>: ${fmtInt(points.length)} options; cost frontier ${frontierOptions(points, "cost_frontier").join(", ") || "—"}; latency frontier ${frontierOptions(points, "latency_frontier").join(", ") || "—"}.</p>`;
}

/** Best pass rate first. */
export function frontierTable(points: readonly FrontierPoint[]): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width:none">
  <thead><tr><th>Model · prompt</th><th class="num">Pass rate [95% CI] n</th><th class="num">Cost / request</th><th class="num">p95 latency</th><th>Cost frontier</th><th>Latency frontier</th></tr></thead>
  <tbody>${[...points]
    .sort((a, b) => (b.pass_rate ?? 0) - (a.pass_rate ?? 0))
    .map(
      (p) => html`<tr>
    <td><strong>${p.option}</strong><div class="muted" style="font-size:12px">${p.suite} · ${p.run_id}</div></td>
    <td class="num" style="white-space:nowrap">${fmtCI({rate: p.pass_rate, low: p.low, high: p.high, n: p.n})}</td>
    <td class="num">${p.cost === null ? html`<span title=${p.cost_unknown ?? ""}>cost unknown</span>` : fmtCost(p.cost)}</td><td class="num">${fmtMs(p.latency_p95)}</td>
    <td>${p.cost === null ? html`<span class="muted" title=${p.cost_unknown ?? ""}>left out: cost unknown</span>` : p.cost_frontier ? "on the frontier" : html`<span class="muted">dominated by ${p.cost_dominated_by}</span>`}</td>
    <td>${p.latency_p95 === null ? html`<span class="muted">no latency</span>` : p.latency_frontier ? "on the frontier" : html`<span class="muted">dominated by ${p.latency_dominated_by}</span>`}</td></tr>`
    )}
  </tbody></table>`);
}

/** Null when every option has a cost. */
export function costUnknownNote(points: readonly FrontierPoint[]): HTMLElement | null {
  const unknown = points.filter((p) => p.cost === null);
  if (!unknown.length) return null;
  return html`<p class="muted" data-testid="cost-unknown">Cost unknown, so not on the cost chart and in no cost frontier: ${unknown.map((p) => `${p.option} (${p.cost_unknown ?? "no cost"})`).join("; ")}. A reported cost of $0 for a call that used tokens counts as unknown unless the price table in workbench.config.json prices the model.</p>`;
}

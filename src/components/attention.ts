// The home page's list of what needs attention this week: each item one sentence from the brief's
// facts (loaders/brief/attention.ts ranks them), its figures linked, and a link to the element that
// shows its evidence.
import {html} from "npm:htl";
import type {AttentionPage} from "../../loaders/queries/attention.js";
import {prose} from "./briefText.js";
import {fmtDate, fmtInt, fmtSpan} from "./format.js";

const kindLabel: Record<string, string> = {
  "gate-failed": "gate fails",
  "gate-open": "gate open",
  regression: "regression",
  flags: "safety",
  failures: "failures",
  "quality-drift": "quality drift",
  "untested-category": "untested",
  "input-shift": "drift",
  "latency-budget": "latency budget",
  "cost-budget": "cost budget",
  "hot-spot": "corrections"
};

export function attentionList(data: AttentionPage): HTMLElement {
  const facts = new Map(data.facts.map((f) => [f.id, f]));
  if (!data.items.length)
    return html`<p class="muted" data-testid="attention-empty">Nothing needs attention: every gate passes and production shows no risk in the review period.</p>`;
  return html`<ol class="attention" data-testid="attention">${data.items.map(
    (item) => html`<li data-kind=${item.kind}>
    <span class=${`attention-kind kind-${item.kind}`}>${kindLabel[item.kind] ?? item.kind}</span>
    ${prose(item.text, facts)}
    <a class="attention-go" href=${item.href} data-testid="attention-link">Show →</a>
  </li>`
  )}</ol>`;
}

/** "Week of 2026-11-13 → 2026-11-20 · 54,996 rows from 8 files, none quarantined": what the list is about and what it was read from. */
export function loadedLine(data: AttentionPage): HTMLElement {
  const {totals, span} = data.loaded;
  const quarantined = totals.rows_quarantined ? `${fmtInt(totals.rows_quarantined)} quarantined` : "none quarantined";
  return html`<p class="muted" data-testid="loaded-line">Review period: the ${data.reviewDays} days ${fmtDate(data.period.from)} → ${fmtDate(data.period.to)}. Read ${fmtInt(totals.rows_in)} rows from ${fmtInt(totals.files)} files (${fmtSpan(span.first_at, span.last_at)}), ${quarantined}${totals.files_not_read ? `, ${fmtInt(totals.files_not_read)} files not read` : ""}: <a href="./data-quality.html#what-was-loaded">what was loaded</a>.</p>`;
}

// Tables of the user-corrections page: rates per slice, the hot spots, and before/after examples.
import {html} from "npm:htl";
import {fmtDate, fmtInt, fmtPct} from "./format.js";
import type {CorrectionsPage} from "../../loaders/queries/corrections.js";
import type {CorrectionExample} from "../lib/correctionEdits.js";
import {caseHref} from "./caseLinks.js";
import {fmtDiff, fmtCI, type Difference, type Interval} from "./productionFormat.js";
import {stackOnPhone} from "./stackedTable.js";

export function actionRateTable(
  rows: readonly ({value: string; n: number} & Record<string, unknown>)[],
  {actions, valueLabel = "Slice"}: {actions: readonly string[]; valueLabel?: string}
): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width: none">
    <thead><tr><th>${valueLabel}</th><th class="num">Outputs</th>${actions.map((a) => html`<th>${a} [95% CI]</th>`)}</tr></thead>
    <tbody>${rows.map(
      (r) =>
        html`<tr><td>${r.value}</td><td class="num">${fmtInt(r.n)}</td>${actions.map((a) => {
          const x = r[a] as Interval;
          return html`<td>${fmtPct(x.rate)} <span class="muted">[${fmtPct(x.low)}–${fmtPct(x.high)}]</span></td>`;
        })}</tr>`
    )}</tbody></table>`);
}

export type HotSpot = CorrectionsPage["hotSpots"][number];

const dimensionNames: Readonly<Record<string, string>> = {
  segment: "segment",
  category: "category",
  model: "model",
  prompt_version: "prompt"
};

/** A hot spot's action, linking to the outputs of its slice that users treated so ("(none)": no value to match). */
function hotSpotLink(s: HotSpot): HTMLElement | string {
  if (s.value === "(none)") return s.action;
  const where = {feature: s.feature, [s.dimension]: s.value, action: s.action};
  return html`<a href=${caseHref({kind: "list", table: "corrections", where})} title="Open these outputs">${s.action}</a>`;
}

export function hotSpotTable(spots: readonly HotSpot[]): HTMLElement {
  if (!spots.length)
    return html`<p>No slice's rate of any action is significantly above the rest of its feature (slices of at least 30 outputs).</p>`;
  return stackOnPhone(html`<table class="report" id="hot-spots-table" style="max-width: none">
    <thead><tr><th>Feature</th><th>Slice</th><th>Users…</th><th>Rate in the slice</th><th>Rest of the feature</th><th>Above the rest by [95% CI]</th><th class="num">Feature overall</th></tr></thead>
    <tbody>${spots.map(
      (s) => html`<tr>
      <td>${s.feature}</td><td>${dimensionNames[s.dimension] ?? s.dimension} <strong>${s.value}</strong></td><td>${hotSpotLink(s)}</td>
      <td>${fmtCI(s.slice)}</td><td class="muted">${fmtCI(s.rest)}</td><td><strong>${fmtDiff(s.difference)}</strong></td>
      <td class="num">${fmtPct(s.featureRate.rate)} <span class="muted">(+${((s.slice.rate! - s.featureRate.rate!) * 100).toFixed(1)} pts)</span></td></tr>`
    )}
    </tbody></table>`);
}

export function examplesTable(examples: readonly CorrectionExample[]): HTMLElement {
  if (!examples.length) return html`<p class="muted">No edited output with both texts in this slice.</p>`;
  // data-label names each cell's column where a phone stacks the rows (style.css, .examples-table).
  return html`<table class="report examples-table">
    <thead><tr><th>When · where</th><th>Model output (before)</th><th>User's version (after)</th><th class="num">Edit distance</th></tr></thead>
    <tbody>${examples.map(
      (e) => html`<tr>
      <td><a href=${caseHref({kind: "correction", event_id: e.event_id})}>${fmtDate(e.at)}</a><br><span class="muted">${[e.category, e.segment, e.model, e.prompt_version].filter(Boolean).join(" · ")}</span>${e.trace_id ? html`<br><a class="trace-id" data-trace-id=${e.trace_id} href=${caseHref({kind: "trace", trace_id: e.trace_id})}>trace <code>${e.trace_id.slice(0, 12)}</code></a>` : ""}</td>
      <td data-label="Model output (before)">${e.original_text}</td><td data-label="User's version (after)">${e.edited_text}</td><td class="num" data-label="Edit distance">${e.edit_distance === null ? "—" : e.edit_distance.toFixed(2)}</td></tr>`
    )}
    </tbody></table>`;
}

// What the traces page says when a filter is set and the export is a sample: loaded with the slice
// (traceFilters.ts filteredTraces), so the unfiltered page does not fetch its text.
import {html} from "npm:htl";
import {fmtInt} from "./format.js";
import type {TableSample} from "./traceFilters.js";

/**
 * What a filtered page says when the export is a sample (docs/explore.md, size policy): the filtered
 * figures count only the exported requests (and the span sections only the exported spans), so each
 * count is the sample's, with the sampled n against the warehouse's total. Null when nothing is sampled.
 */
export function sampleNoteText(sample: {requests: TableSample; spans: TableSample}): string | null {
  const {requests, spans} = sample;
  if (!requests && !spans) return null;
  const of = (t: NonNullable<TableSample>, what: string) => `${fmtInt(t.exported)} of ${fmtInt(t.rows)} ${what}`;
  return [
    requests
      ? `The filtered figures count only the requests the site exports, ${of(requests, "requests")}: whole traces chosen by a hash of their id (the size policy in docs/explore.md). Counts are the sample's; rates and percentiles estimate the whole.`
      : "",
    spans ? `The span-kind latencies and model snapshots count the spans exported, ${of(spans, "spans")}.` : "",
    "Unfiltered, the page counts every request."
  ]
    .filter(Boolean)
    .join(" ");
}

export function sampleNote(sample: {requests: TableSample; spans: TableSample}): HTMLElement | null {
  const text = sampleNoteText(sample);
  return text === null ? null : html`<p id="trace-sample-note" class="muted"><strong>A sample.</strong> ${text}</p>`;
}

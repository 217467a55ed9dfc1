// The traces page's filters (segment, category, prompt version, a window of weeks; feature and model stay
// the page's own pickers, which choose a cell of what the slice computes): what the form offers, and
// the recomputation, loaded only once a filter is set (traceSlice.ts and DuckDB-wasm), so the
// unfiltered page transfers little more than before.
import {html} from "npm:htl";
import type {TracesPage} from "../../loaders/queries/traces.js";
import {fmtInt} from "./format.js";
import type {FilterOptions, PageFilter} from "./pageFilters.js";
import type {SlicedTraces} from "./traceSlice.js";

/** An exported table's rows in the Parquet file and in the warehouse, when the size policy sampled it. */
export type TableSample = {exported: number; rows: number} | null;

/** The page's filters, in form order, with the values the build found (an attribute no request has is not offered). */
export const traceFilterOptions = (f: TracesPage["filters"]): FilterOptions => ({
  segment: f.segment,
  category: f.category,
  prompt_version: f.prompt_version,
  from: f.weeks,
  to: f.weeks
});

/**
 * Loads DuckDB-wasm and the requests and spans tables the first time a filter is set, then computes
 * the slice; `sample` says which of the two the size policy sampled (docs/explore.md).
 */
export async function filteredTraces(
  filter: PageFilter
): Promise<SlicedTraces & {sample: {requests: TableSample; spans: TableSample}}> {
  const [{sliceLoad, sliceQuery, tableSample}, {slicedTraces}] = await Promise.all([
    import("./sliceDatabase.js"),
    import("./traceSlice.js")
  ]);
  return {
    ...(await slicedTraces(sliceQuery, filter, sliceLoad)),
    sample: {requests: await tableSample("requests"), spans: await tableSample("spans")}
  };
}

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

// The traces page's filters (segment, category, prompt version, a window of weeks; feature and model stay
// the page's own pickers, which choose a cell of what the slice computes): what the form offers, and
// the recomputation, loaded only once a filter is set (traceSlice.ts, traceSampleNote.ts and
// DuckDB-wasm), so the unfiltered page transfers little more than before.
import type {TracesPage} from "../../loaders/queries/traces.js";
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
): Promise<SlicedTraces & {sample: {requests: TableSample; spans: TableSample}; sampleNote: HTMLElement | null}> {
  const [{sliceLoadColumns, sliceQuery, tableSample}, {slicedTraces}, {sampleNote}] = await Promise.all([
    import("./sliceDatabase.js"),
    import("./traceSlice.js"),
    import("./traceSampleNote.js")
  ]);
  const sample = {requests: await tableSample("requests"), spans: await tableSample("spans")};
  return {...(await slicedTraces(sliceQuery, filter, sliceLoadColumns)), sample, sampleNote: sampleNote(sample)};
}

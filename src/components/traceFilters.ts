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

type FilteredTraces = SlicedTraces & {
  sample: {requests: TableSample; spans: TableSample};
  sampleNote: HTMLElement | null;
};

/** Filtered computations so far on this page. */
let computations = 0;

/**
 * Loads DuckDB-wasm and the requests and spans tables the first time a filter is set, then computes
 * the slice; `sample` says which of the two the size policy sampled (docs/explore.md). Each call
 * computes: the form passes a filter on only when it changed (pageFilters.ts filterForm), and the
 * page calls this from a cell that reads nothing but the filter.
 */
export async function filteredTraces(filter: PageFilter): Promise<FilteredTraces> {
  const [
    {sliceLoadColumns, sliceLoadRows, sliceQueryLoaded, tableSample},
    {requestKeysTerm, slicedTraces, traceIdsByQuery},
    {sampleNote}
  ] = await Promise.all([import("./sliceDatabase.js"), import("./traceSlice.js"), import("./traceSampleNote.js")]);
  const sample = {requests: await tableSample("requests"), spans: await tableSample("spans")};
  // The top lists' trace ids: their rows of the requests alone, not the whole text column. A table of
  // this computation's own, since a filter changed again before this one finished computes beside it.
  const table = `top_trace_ids_${++computations}`;
  const traceIds = async (keys: readonly number[]) => {
    if (keys.length) await sliceLoadRows("requests", requestKeysTerm(keys), ["request_key", "trace_id"], table);
    return traceIdsByQuery(sliceQueryLoaded, table)(keys);
  };
  // The slice loads its own columns (SLICE_COLUMNS) and its statements run over those alone.
  return {
    ...(await slicedTraces(sliceQueryLoaded, filter, sliceLoadColumns, traceIds)),
    sample,
    sampleNote: sampleNote(sample)
  };
}

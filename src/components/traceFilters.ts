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

/** The last filter's computation, by the filter's values. */
let last: {key: string; result: Promise<FilteredTraces>} | undefined;

/**
 * Loads DuckDB-wasm and the requests and spans tables the first time a filter is set, then computes
 * the slice; `sample` says which of the two the size policy sampled (docs/explore.md). One choice in
 * the form reaches the page as two values (the select's input event and the form's), and each ran
 * every query again: the same filter now gets the same computation.
 */
export function filteredTraces(filter: PageFilter): Promise<FilteredTraces> {
  const key = JSON.stringify(filter);
  if (last?.key !== key) {
    const result = computed(filter);
    last = {key, result};
    // A failed computation (the network, say) is tried again by the next change.
    result.catch(() => last?.result === result && (last = undefined));
  }
  return last.result;
}

async function computed(filter: PageFilter): Promise<FilteredTraces> {
  const [
    {sliceLoadColumns, sliceLoadRows, sliceQueryLoaded, tableSample},
    {requestKeysTerm, slicedTraces, traceIdsByQuery},
    {sampleNote}
  ] = await Promise.all([import("./sliceDatabase.js"), import("./traceSlice.js"), import("./traceSampleNote.js")]);
  const sample = {requests: await tableSample("requests"), spans: await tableSample("spans")};
  // The top lists' trace ids: their rows of the requests alone, not the whole text column.
  const traceIds = async (keys: readonly number[]) => {
    if (keys.length)
      await sliceLoadRows("requests", requestKeysTerm(keys), ["request_key", "trace_id"], "top_trace_ids");
    return traceIdsByQuery(sliceQueryLoaded, "top_trace_ids")(keys);
  };
  // The slice loads its own columns (SLICE_COLUMNS) and its statements run over those alone.
  return {
    ...(await slicedTraces(sliceQueryLoaded, filter, sliceLoadColumns, traceIds)),
    sample,
    sampleNote: sampleNote(sample)
  };
}

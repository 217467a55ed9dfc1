// The traces page's filters (segment, category, prompt version, a window of weeks; feature and model stay
// the page's own pickers, which choose a cell of what the slice computes): what the form offers, and
// the recomputation, loaded only once a filter is set (traceSlice.ts and DuckDB-wasm), so the
// unfiltered page transfers little more than before.
import type {TracesPage} from "../../loaders/queries/traces.js";
import type {FilterOptions, PageFilter} from "./pageFilters.js";
import type {RequestRow, SlicedTraces} from "./traceSlice.js";

/** The page's filters, in form order, with the values the build found (an attribute no request has is not offered). */
export const traceFilterOptions = (f: TracesPage["filters"]): FilterOptions => ({
  segment: f.segment,
  category: f.category,
  prompt_version: f.prompt_version,
  from: f.weeks,
  to: f.weeks
});

/** Loads DuckDB-wasm and the requests table the first time a filter is set, then computes the slice. */
export async function filteredTraces(
  filter: PageFilter
): Promise<SlicedTraces & {sample: {exported: number; rows: number} | null}> {
  const [{sliceQuery, tableSample}, {sliceGranularity, sliceRequestsSql, sliceSpanSql, slicedTraces}] =
    await Promise.all([import("./sliceDatabase.js"), import("./traceSlice.js")]);
  const [span] = await sliceQuery<{first_ms: number | null; last_ms: number | null}>(sliceSpanSql(filter));
  const granularity = sliceGranularity(span);
  const rows = await sliceQuery<RequestRow>(sliceRequestsSql(filter, granularity));
  return {...slicedTraces(rows, granularity), sample: await tableSample("requests")};
}

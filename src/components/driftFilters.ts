// The drift page's filters (model, segment, a window of weeks; the feature stays the page's picker):
// what the form offers, and the recomputation, loaded only once a filter is set (driftSlice.ts and
// DuckDB-wasm), so the unfiltered page transfers little more than before.
import type {DriftPage} from "../../loaders/queries/drift.js";
import type {FilterOptions, PageFilter} from "./pageFilters.js";
import type {SlicedDrift, slicedDrift} from "./driftSlice.js";
import {pageOnFilter} from "./filterFailure.js";
import {isFiltered} from "./pageFilters.js";

/** The page's filters, in form order, with the values the build found. */
export const driftFilterOptions = (f: DriftPage["filters"]): FilterOptions => ({
  model: f.model,
  segment: f.segment,
  from: f.weeks,
  to: f.weeks
});

/** Loads DuckDB-wasm and the requests and corrections tables the first time a filter is set, then computes the slice. */
export async function filteredDrift(filter: PageFilter, d: Parameters<typeof slicedDrift>[2]): Promise<SlicedDrift> {
  const [{sliceQuery}, {slicedDrift}] = await Promise.all([import("./sliceDatabase.js"), import("./driftSlice.js")]);
  return slicedDrift(sliceQuery, filter, d);
}

/**
 * The page's data on the filter (`d` itself while none is set), or null when the filtered figures could
 * not be loaded, with the message to show at the filters (filterFailure.ts).
 */
export const driftOnFilter = <P extends Parameters<typeof slicedDrift>[2]>(d: P, filter: PageFilter) =>
  pageOnFilter(d, isFiltered(filter), () => filteredDrift(filter, d));

// The bake-off's filters (category, tag): the form and the URL state, light enough for the page to import
// always. The recomputation (bakeoffSlice.ts and the metrics it runs) and the cases file load only once
// a filter is set, so the unfiltered page transfers what it did before the filters.
import type {BakeoffCasesPage} from "../../loaders/queries/bakeoffCases.js";
import type {BakeoffSuite} from "./bakeoffViews.js";
import {filterForm, type Filter} from "./pageFilters.js";

export const BAKEOFF_FILTER_KEYS = ["category", "tag"] as const;
export type BakeoffFilter = Filter<(typeof BAKEOFF_FILTER_KEYS)[number]>;
export const LABELS = {category: "Category", tag: "Tag"};

/** The filter's selects for a suite (categories from the page's data, tags from the suite's), kept in the URL. */
export function bakeoffFilterForm(
  inputs: any,
  suite: {categories: readonly {category: string}[]; tags?: readonly string[]}
): HTMLElement & {value: BakeoffFilter} {
  const choices: Record<(typeof BAKEOFF_FILTER_KEYS)[number], readonly string[]> = {
    category: suite.categories.map((c) => c.category),
    tag: suite.tags ?? []
  };
  return filterForm(inputs, choices, {id: "bakeoff-filters", labels: LABELS}) as HTMLElement & {value: BakeoffFilter};
}

const loaded = new WeakMap<object, Promise<unknown>>();
/** A file attachment's JSON, fetched once however often the filter changes (each change reruns the page's cell). */
function jsonOnce<T>(file: {json(): Promise<unknown>}): Promise<T> {
  if (!loaded.has(file)) loaded.set(file, file.json());
  return loaded.get(file) as Promise<T>;
}

/**
 * The suite recomputed on the filter's slice, with the views only a slice has (bakeoffSlice.ts
 * slicedViews); null when the cases file does not hold the suite.
 */
export async function filteredBakeoff(
  casesFile: {json(): Promise<unknown>},
  suite: BakeoffSuite,
  filter: BakeoffFilter
) {
  const [{slicedViews}, cases] = await Promise.all([
    import("./bakeoffSlice.js"),
    jsonOnce<BakeoffCasesPage>(casesFile)
  ]);
  return slicedViews(cases, suite, filter);
}

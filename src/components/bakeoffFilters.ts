// The bake-off's filters (category, tag): the form and the URL state, light enough for the page to import
// always. The recomputation (bakeoffSlice.ts and the metrics it runs) and the cases file load only once
// a filter is set, so the unfiltered page transfers what it did before the filters.
import type {BakeoffCasesPage} from "../../loaders/queries/bakeoffCases.js";
import type {BakeoffSuite} from "./bakeoffViews.js";
import {filterForm, isFiltered, type Filter} from "./pageFilters.js";
import {nothing} from "./emptyState.js";
import {loadedOrFailure} from "./filterFailure.js";
import {remembered} from "../lib/remembered.js";

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

/** The cases file, fetched once however often the filter changes (again after a failed fetch). */
const casesJson = remembered<unknown>();

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
    casesJson.get(() => casesFile.json()) as Promise<BakeoffCasesPage>
  ]);
  return slicedViews(cases, suite, filter);
}

/**
 * What the page shows on the filter: the slice's views (`sliced`, null while no filter is set or when
 * the cases file does not hold the suite), the suite to draw (`shown`: the slice's, else the build's),
 * and the note to display at the filters (the slice's, or why its figures could not be loaded: `shown`
 * is then null, so the sections stay empty; else nothing, emptyState.ts).
 */
export async function bakeoffOnFilter(
  casesFile: {json(): Promise<unknown>},
  suite: BakeoffSuite | null,
  filter: BakeoffFilter | null
) {
  if (!suite || !filter || !isFiltered(filter)) return {sliced: null, shown: suite, note: nothing()};
  const {figures: sliced, failure} = await loadedOrFailure(() => filteredBakeoff(casesFile, suite, filter));
  if (failure) return {sliced: null, shown: null, note: failure};
  return {sliced, shown: sliced?.slice ?? suite, note: sliced?.note ?? nothing()};
}

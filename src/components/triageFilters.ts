// Eval triage's filters: category, tag, input length and dataset version. The first three pick cases
// of the suite (from the per-case attributes packed beside the outcomes, loaders/queries/triageOutcomes.ts),
// so the chosen pair is compared on the shared cases of the slice, with no extra download; the dataset
// version picks runs, since a run grades one version of the test set.
import {ALL} from "../lib/all.js";
import {nothing} from "./emptyState.js";
import {failureMessage, loadedOrFailure} from "./filterFailure.js";
import {filterForm, filterSuffix, noFilter, type Filter} from "./pageFilters.js";
import type {OutcomeSuite} from "./triageCompare.js";
import type {CaseFigureSuite, ChangedCases, Run} from "./triageRunSlice.js";

export const TRIAGE_FILTER_KEYS = ["category", "tag", "length", "dataset_version"] as const;
export type TriageFilterKey = (typeof TRIAGE_FILTER_KEYS)[number];
export type TriageFilter = Filter<TriageFilterKey>;

const LABELS: Record<TriageFilterKey, string> = {
  category: "Category",
  tag: "Tag",
  length: "Input length",
  dataset_version: "Dataset version"
};

/** What each filter may take in this suite: the values its cases and runs carry, lengths in bucket order. */
export function triageFilterChoices(
  suite: OutcomeSuite,
  lengthBuckets: readonly string[]
): Record<TriageFilterKey, readonly string[]> {
  const used = new Set(suite.case_buckets);
  return {
    category: suite.categories,
    tag: suite.tags.map((t) => t.tag),
    length: lengthBuckets.filter((_, i) => used.has(i)),
    dataset_version: [
      ...new Set(suite.runs.map((r) => r.dataset_version).filter((v): v is string => v !== null))
    ].sort()
  };
}

/** Which cases of the suite the filter keeps, in the suite's case order; null when it keeps them all. */
export function caseMask(
  suite: OutcomeSuite,
  filter: TriageFilter,
  lengthBuckets: readonly string[]
): boolean[] | null {
  if (filter.category === ALL && filter.tag === ALL && filter.length === ALL) return null;
  const category = suite.categories.indexOf(filter.category);
  const bucket = lengthBuckets.indexOf(filter.length);
  // A loop over the suite's cases (38k a suite at 1M eval results) on every filter change.
  const keep = new Array<boolean>(suite.case_ids.length).fill(filter.tag === ALL);
  for (const i of suite.tags.find((t) => t.tag === filter.tag)?.cases ?? []) if (i < keep.length) keep[i] = true;
  for (let i = 0; i < keep.length; i++)
    keep[i] &&=
      (filter.category === ALL || suite.case_categories[i] === category) &&
      (filter.length === ALL || suite.case_buckets[i] === bucket);
  return keep;
}

/** The ids of the runs the dataset-version filter keeps, the newest first (the pickers' order). */
export const runsInFilter = (suite: OutcomeSuite, filter: TriageFilter): string[] =>
  suite.runs
    .filter((r) => filter.dataset_version === ALL || r.dataset_version === filter.dataset_version)
    .map((r) => r.run_id)
    .reverse();

/** The run the build names as the candidate's previous comparable run (loaders/queries/triageOutcomes.ts). */
export const defaultBaseline = (suite: OutcomeSuite, candidate: string): string | null =>
  suite.runs.find((r) => r.run_id === candidate)?.default_baseline ?? null;

/**
 * The cases the page's case filter keeps in the suite (null: no suite, so nothing to recompute), the
 * filter in words for headings, and its suffix for download names ("" when unfiltered).
 */
export function caseSlice(
  suite: OutcomeSuite | null,
  form: Partial<TriageFilter> | null,
  lengthBuckets: readonly string[]
) {
  const filter = triageFilter(form);
  const keep = suite ? caseMask(suite, filter, lengthBuckets) : null;
  return {keep, scope: keep ? describeTriageFilter(filter) : "", slice: keep ? triageFilterSuffix(filter) : ""};
}

/** "-length-10k_20k", for the file names of downloads taken under a filter. */
export const triageFilterSuffix = (filter: TriageFilter): string => filterSuffix(filter);

/** In words, for the heading of filtered results: "category billing · input length 10k–20k". */
export const describeTriageFilter = (filter: TriageFilter): string =>
  TRIAGE_FILTER_KEYS.filter((k) => filter[k] !== ALL)
    .map((k) => `${LABELS[k].toLowerCase()} ${filter[k]}`)
    .join(" · ");

/**
 * The filter's selects for the suite, set from and written to the URL, in two forms: the runs' (the
 * dataset version, beside the run pickers it narrows; shown only where the suite has two versions)
 * and the cases' (below the pickers, so changing the slice keeps the chosen pair).
 */
export function triageFilterForm(
  inputs: any,
  suite: OutcomeSuite,
  lengthBuckets: readonly string[],
  part: "runs" | "cases"
): HTMLElement & {value: Partial<TriageFilter>} {
  const choices = triageFilterChoices(suite, lengthBuckets);
  if (choices.dataset_version.length < 2) choices.dataset_version = [];
  const keys = part === "runs" ? (["dataset_version"] as const) : (["category", "tag", "length"] as const);
  const offered = Object.fromEntries(keys.map((k) => [k, choices[k]]));
  return filterForm(inputs, offered, {id: `triage-filters-${part}`, labels: LABELS});
}

/** The two forms' values as one filter. */
export const triageFilter = (...parts: (Partial<TriageFilter> | null)[]): TriageFilter =>
  Object.assign(noFilter(TRIAGE_FILTER_KEYS), ...parts.filter(Boolean));

/**
 * The suite's runs and the pair's changed cases as the page lists them: the build's when no filter
 * keeps a slice; else recomputed from the suite's case figures (`files.cases`), with the listed cases'
 * texts read from `files.texts`
 * (slicedOnFigures in triageRunSlice.ts, loaded here the first time a filter keeps a slice: an
 * unfiltered page fetches none of it). When the case figures could not be loaded, `runs` is null and
 * `listed` null; when the texts could not, `listed` is null: `note` then resolves to the message to
 * display at the filters (filterFailure.ts), one for either, and the sections reading them stay empty;
 * else to nothing (emptyState.ts). `listed` and `note` are promises, which Framework awaits for the blocks that
 * read them, so the runs do not wait for the texts.
 */
export async function runsOnSlice<R extends Run, P extends {before: string; after: string} & ChangedCases>(
  suite: OutcomeSuite | null,
  files: {cases: (suite: string) => Promise<CaseFigureSuite | null>; texts: {href: string}},
  runs: readonly R[],
  keep: readonly boolean[] | null,
  pair: P | null
): Promise<{
  runs: readonly R[] | null;
  listed: Promise<ChangedCases | null>;
  note: Promise<Node>;
}> {
  if (!suite || !keep) return {runs, listed: Promise.resolve(pair), note: Promise.resolve(nothing())};
  const sliced = await loadedOrFailure(async () =>
    (await import("./triageRunSlice.js")).slicedOnFigures(suite, files.cases, files.texts, runs, keep, pair)
  );
  if (!sliced.figures) return {runs: null, listed: Promise.resolve(null), note: Promise.resolve(sliced.failure)};
  const listed = loadedOrFailure(() => sliced.figures.listed, listedFailure);
  return {
    runs: sliced.figures.runs,
    listed: listed.then((l) => l.figures),
    note: listed.then((l) => l.failure ?? nothing())
  };
}

/**
 * The message at the filters when the slice's runs were counted but its listed cases' texts could not be
 * read: the runs, the pair and the grid above are the filtered ones; only the two case lists are empty.
 */
export const listedFailure = (error: unknown): HTMLElement =>
  failureMessage(
    "The listed cases could not be loaded",
    error,
    "; the runs and rates shown are filtered. Choose another value of the filter, then this one again, or reload the page: the address keeps the filter."
  );

// The corrections page's filters (segment, category, model, prompt version, a window of weeks) on the
// shared filter module (pageFilters.ts: URL state, form, WHERE clause), the SQL that counts the
// filtered events, and the shaping of those counts into the page's rates and hot spots with the build's own definitions (src/lib/correctionRates.ts). This module
// is light on purpose: the page imports it always, and loads DuckDB-wasm and the Parquet reader
// (correctionSlice.ts) only once a filter is set, so the unfiltered page transfers what it did before.
import {html} from "npm:htl";
import {ALL, byText, NONE} from "../lib/all.js";
import {ACTIONS, DIMENSIONS, hotSpots, withRates, type Action, type CountRow} from "../lib/correctionRates.js";
import type {CorrectionExample, editDistanceFigures} from "../lib/correctionEdits.js";
import {filterWhereSql as pageFilterWhereSql, sqlLiteral as literal, type WhereSpec} from "./filterSql.js";
import {pageOnFilter} from "./filterFailure.js";
import {
  filterForm as pageFilterForm,
  filterSuffix,
  isFiltered as isPageFiltered,
  noFilter,
  readFilter as readPageFilter,
  writeFilter
} from "./pageFilters.js";

export const FILTER_KEYS = ["segment", "category", "model", "prompt_version", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
/** ALL leaves a key unfiltered; from and to are the Mondays of the first and last week kept. */
export type CorrectionFilter = Record<FilterKey, string>;

export const NO_FILTER = noFilter(FILTER_KEYS) as CorrectionFilter;

export const isFiltered = (filter: CorrectionFilter): boolean => isPageFiltered(filter);

/** What each filter may take: the values the build counted (the page's unfiltered data), weeks for from and to. */
export type FilterOptions = Record<FilterKey, readonly string[]>;

export function filterOptions(
  byDimension: Readonly<Record<string, readonly {feature: string; value: string}[]>>
): FilterOptions {
  const values = (d: string) => (byDimension[d] ?? []).filter((r) => r.feature === ALL).map((r) => r.value);
  const weeks = values("week");
  return {
    segment: values("segment"),
    category: values("category"),
    model: values("model"),
    prompt_version: values("prompt_version"),
    from: weeks,
    to: weeks
  };
}

/** The filter a URL asks for; a value the page does not offer is ignored, as linkParams does. */
export const readFilter = (search: string, options: FilterOptions): CorrectionFilter =>
  readPageFilter(search, options) as CorrectionFilter;

export {writeFilter, filterSuffix};

/**
 * The filter inputs (the page's Inputs, which components cannot import), set from the URL; its value
 * is the whole filter. Each change writes the filter back into the URL, so a filtered view can be shared.
 */
export function filterForm(
  inputs: any,
  byDimension: Parameters<typeof filterOptions>[0],
  search = location.search
): HTMLElement & {value: CorrectionFilter} {
  return pageFilterForm(inputs, filterOptions(byDimension), {id: "correction-filters", search}) as HTMLElement & {
    value: CorrectionFilter;
  };
}

const WHERE: WhereSpec = {
  columns: {segment: "segment", category: "category", model: "model", prompt_version: "prompt_version"},
  time: {column: "at", bucket: "7 DAY"}
};

/** The WHERE clause that keeps the filtered events; values come from the URL, so each is a quoted literal. */
export const filterWhereSql = (filter: CorrectionFilter): string => pageFilterWhereSql(filter, WHERE);

/** One row per combination of the page's dimensions and action, with its count. */
export interface CountGroup {
  feature: string | null;
  model: string | null;
  prompt_version: string | null;
  segment: string | null;
  category: string | null;
  week: string;
  action: Action;
  n: number;
}

/**
 * The filtered events counted by every dimension the page breaks down by. The week is date_trunc's
 * Monday: the exported `at` is a plain UTC timestamp, so this is the UTC week the build's
 * utcWeekDateSql computes by epoch arithmetic (loaders/queries/utcBuckets.ts says why it avoids it there).
 */
export function countGroupsSql(filter: CorrectionFilter): string {
  return `SELECT feature, model, prompt_version, segment, category, date_trunc('week', "at")::DATE::VARCHAR AS week, action, count(*)::INTEGER AS n
    FROM corrections ${filterWhereSql(filter)}
    GROUP BY ALL`;
}

const label = (value: string | null) => value ?? NONE;

function addTo(cells: Map<string, CountRow>, feature: string, value: string, action: Action, n: number) {
  const key = `${feature}\u0000${value}`;
  let row = cells.get(key);
  if (!row) {
    row = {feature, value, n: 0, ...(Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>)};
    cells.set(key, row);
  }
  row.n += n;
  row[action] += n;
}

const sorted = (cells: Map<string, CountRow>) =>
  [...cells.values()].sort((a, b) => byText(a.feature, b.feature) || byText(a.value, b.value));

/**
 * The build's count rows from the grouped counts: per feature and for all features together (ALL),
 * the total and each dimension's values, ordered as the build's ORDER BY ALL orders them.
 */
export function countRows(groups: readonly CountGroup[]): {overall: CountRow[]; counts: Record<string, CountRow[]>} {
  const overall = new Map<string, CountRow>();
  const byDimension = new Map(DIMENSIONS.map((d) => [d, new Map<string, CountRow>()]));
  for (const g of groups) {
    for (const feature of [label(g.feature), ALL]) {
      addTo(overall, feature, ALL, g.action, g.n);
      for (const d of DIMENSIONS) addTo(byDimension.get(d)!, feature, label(g[d]), g.action, g.n);
    }
  }
  return {
    overall: sorted(overall),
    counts: Object.fromEntries([...byDimension].map(([d, cells]) => [d, sorted(cells)]))
  };
}

/** The filtered slice's figures, in the shape of the page's data (src/data/corrections.json). */
export function slicedCorrections(groups: readonly CountGroup[]) {
  const {overall, counts} = countRows(groups);
  return {
    events: overall.find((r) => r.feature === ALL)?.n ?? 0,
    features: overall.filter((r) => r.feature !== ALL).map((r) => r.feature),
    overall: overall.map(withRates),
    byDimension: Object.fromEntries(Object.entries(counts).map(([d, rows]) => [d, rows.map(withRates)])),
    hotSpots: hotSpots(overall, counts)
  };
}
export type SlicedCorrections = ReturnType<typeof slicedCorrections> & {
  editDistance: ReturnType<typeof editDistanceFigures>;
  examples: CorrectionExample[];
  /** Set when the exported table is a sample (over the size policy's limit): the filtered figures count only it. */
  sample: {exported: number; rows: number} | null;
};

/** The filtered events, as the FROM of the build's edit-distance and examples queries (src/lib/correctionEdits.ts). */
export const filteredEventsSource = (filter: CorrectionFilter): string =>
  `(SELECT * FROM corrections ${filterWhereSql(filter)})`;

/**
 * Loads DuckDB-wasm and the corrections table the first time a filter is set, then counts the slice
 * and runs the build's edit-distance and examples queries over it.
 */
export async function filteredCorrections(filter: CorrectionFilter): Promise<SlicedCorrections> {
  const {countGroups, correctionsSample, sliceEdits} = await import("./correctionSlice.js");
  const counts = slicedCorrections(await countGroups(countGroupsSql(filter)));
  return {...counts, ...(await sliceEdits(filteredEventsSource(filter))), sample: await correctionsSample()};
}

/**
 * The page's data on the filter (`c` itself while none is set), or null when the filtered figures could
 * not be loaded, with the message to show at the filters (filterFailure.ts).
 */
export const correctionsOnFilter = <P extends object>(c: P, filter: CorrectionFilter) =>
  pageOnFilter(c, isFiltered(filter), () => filteredCorrections(filter));

/** Every exported column of the filtered events of one feature (or all), for the events download. */
export function filteredEventsSql(filter: CorrectionFilter, feature: string): string {
  const where = filterWhereSql(filter);
  const byFeature = feature === ALL ? "" : `"feature" = ${literal(feature)}`;
  const clause = byFeature ? (where ? `${where} AND ${byFeature}` : `WHERE ${byFeature}`) : where;
  return `SELECT * FROM corrections ${clause} ORDER BY "at", event_id`;
}

/** Makes the CSV of the filtered events when clicked (it needs every column loaded), then saves it. */
export function filteredEventsButton(sql: string, filename: string): HTMLElement {
  const button =
    html`<button type="button" id="events-download">Download these events as CSV</button>` as HTMLButtonElement;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const {eventsCsv} = await import("./correctionSlice.js");
      const {csv} = await eventsCsv(sql);
      const href = URL.createObjectURL(new Blob([csv], {type: "text/csv;charset=utf-8"}));
      (html`<a download=${filename} href=${href}></a>` as HTMLAnchorElement).click();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

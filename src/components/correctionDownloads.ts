// The rows behind the corrections page's tables and charts as CSV, with the page's filters applied:
// the same rows the table shows, rates as fractions with their 95% interval and n.
import {html} from "npm:htl";
import {FileAttachment} from "observablehq:stdlib";
import type {Action, HotSpot, SliceRates} from "../lib/correctionRates.js";
import {ALL} from "../lib/all.js";
import {
  filteredEventsButton,
  filteredEventsSql,
  filterSuffix,
  isFiltered,
  type CorrectionFilter
} from "./correctionFilters.js";
import {fmtInt} from "./format.js";
import {hotSpotTable} from "./correctionTables.js";
import {csvDownload, type CsvColumn} from "./csvDownload.js";
import type {CorrectionExample as Example} from "../lib/correctionEdits.js";

/** A slice's columns: feature, the slice's value, n, then each action's successes, rate, low and high. */
export function sliceColumns(actions: readonly Action[], valueLabel: string): CsvColumn<SliceRates>[] {
  return [
    {name: "feature"},
    {name: valueLabel, value: (r) => r.value},
    {name: "outputs", value: (r) => r.n},
    ...actions.flatMap((a) =>
      (["successes", "rate", "low", "high"] as const).map((part) => ({
        name: `${a}_${part === "successes" ? "n" : part}`,
        value: (r: SliceRates) => r[a][part]
      }))
    )
  ];
}

const interval = (
  name: string,
  pick: (s: HotSpot) => {rate?: number | null; value?: number | null; low: number | null; high: number | null}
) =>
  (["rate", "low", "high"] as const).map((part) => ({
    name: `${name}_${part}`,
    value: (s: HotSpot) => (part === "rate" ? (pick(s).rate ?? pick(s).value) : pick(s)[part])
  }));

export const hotSpotColumns: CsvColumn<HotSpot>[] = [
  {name: "feature"},
  {name: "dimension"},
  {name: "value"},
  {name: "action"},
  {name: "slice_n", value: (s) => s.slice.n},
  ...interval("slice", (s) => s.slice),
  {name: "rest_n", value: (s) => s.rest.n},
  ...interval("rest", (s) => s.rest),
  ...interval("difference", (s) => s.difference),
  ...interval("feature", (s) => s.featureRate)
];

export const exampleColumns: (keyof Example)[] = [
  "feature",
  "event_id",
  "at",
  "segment",
  "category",
  "model",
  "prompt_version",
  "trace_id",
  "edit_distance",
  "original_text",
  "edited_text"
];

/** The download link under a table, named after the page, the table and the filter. */
export function correctionsDownload<R>(
  rows: readonly R[],
  columns: readonly (string | CsvColumn<R>)[],
  {table, id, suffix}: {table: string; id: string; suffix: string}
): HTMLElement {
  const link = csvDownload(rows, columns, {filename: `corrections-${table}${suffix}.csv`});
  link.id = id;
  return link;
}

/**
 * The events themselves: unfiltered, the Parquet file the build exported (every event, redacted, free
 * text cut as docs/explore.md says); filtered, a CSV of the slice's events made on click; nothing while
 * the filtered figures could not be loaded (`page` null: the message at the filters says so).
 */
export function eventsDownload(
  filter: CorrectionFilter,
  feature: string,
  page: {events: number; sample?: {exported: number; rows: number} | null} | null
): HTMLElement | string {
  if (!page) return "";
  const {events, sample = null} = page;
  if (sample)
    return html`<span id="events-sample"><strong>These filtered figures count a sample:</strong> the site holds ${fmtInt(sample.exported)} of ${fmtInt(sample.rows)} events (the size policy in docs/explore.md). ${eventsDownload(filter, feature, {events})}</span>`;
  if (isFiltered(filter) || feature !== ALL) {
    const name = `corrections-events${feature === ALL ? "" : `-${feature.replace(/[^\w.-]+/g, "_")}`}${filterSuffix(filter)}.csv`;
    return filteredEventsButton(filteredEventsSql(filter, feature), name);
  }
  // Only the href is taken, as in exploreData.ts: the file is fetched when the link is clicked.
  const href = FileAttachment("../data/explore/corrections.parquet").href;
  return html`<a id="events-download" download="corrections.parquet" href=${href}>Download all ${fmtInt(events)} events as Parquet</a>`;
}

/** The hot spots of the feature (ALL: every feature): the 15 surest, their download, and how many more there are. */
export function hotSpotsSection(spots: readonly HotSpot[], feature: string, suffix: string): HTMLElement {
  const shown = spots.filter((s) => feature === ALL || s.feature === feature);
  const top = shown.slice(0, 15);
  const download = correctionsDownload(top, hotSpotColumns, {table: "hot-spots", id: "hot-spots-download", suffix});
  const more = shown.length > 15 ? html`<p class="muted">${shown.length - 15} more hot spots, smaller.</p>` : "";
  return html`<div>${hotSpotTable(top)}${download}${more}</div>`;
}

// The traces page's filters (segment, category, prompt version, a window of weeks; feature and model stay
// the page's own pickers, which choose a cell of what the slice computes): what the form offers, and
// the recomputation, loaded only once a filter is set, so the unfiltered page transfers what it did:
// from the build's cells (src/lib/traceCells.ts: trace-cells.json, fetched whole, and the kept blocks
// of trace-values.json, by range requests), exact and without DuckDB-wasm; a slice of two days or less,
// whose hourly buckets the cells do not keep, runs the build's SQL in DuckDB-wasm over the exported
// requests and spans instead (traceSlice.ts, traceSampleNote.ts).
import type {TracesPage} from "../../loaders/queries/traces.js";
import type {FilterOptions, PageFilter} from "./pageFilters.js";
import type {TraceCells} from "../lib/traceCells.js";
import type {SlicedTraces} from "./traceSlice.js";
import {remembered} from "../lib/remembered.js";
import {pageOnFilter} from "./filterFailure.js";
import {isFiltered} from "./pageFilters.js";

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

/** The page's two cell files (Framework's FileAttachment of each). */
export interface TraceCellFiles {
  cells: {json(): Promise<TraceCells>};
  values: {href: string};
}

/** Fetched on the first filter and kept for the next, unless the fetch failed. */
const cellsFile = remembered<TraceCells>();

/**
 * The filtered slice: from the cells (fetched on the first filter, kept for the next) where they hold
 * its buckets, else in DuckDB-wasm (filteredInDatabase). Each call computes: the form passes a filter
 * on only when it changed (pageFilters.ts filterForm), and the page calls this from a cell that reads
 * nothing but the filter.
 */
export async function filteredTraces(filter: PageFilter, files: TraceCellFiles): Promise<FilteredTraces> {
  // The cells file is fetched while the modules that read it load.
  const cells = cellsFile.get(() => files.cells.json());
  const [{slicedFromCells}, {rangeReader}] = await Promise.all([
    import("../lib/traceCells.js"),
    import("./rangeReader.js")
  ]);
  const sliced = await slicedFromCells(await cells, rangeReader(files.values.href), filter);
  // The cells are the warehouse's own figures: nothing sampled.
  return sliced ? {...sliced, sample: {requests: null, spans: null}, sampleNote: null} : filteredInDatabase(filter);
}

/**
 * The page's data on the filter (`t` itself while none is set), or null when the filtered figures could
 * not be loaded, and the note to display at the filters: that message, else the sample's (filterFailure.ts).
 */
export const tracesOnFilter = (t: TracesPage, filter: PageFilter, files: TraceCellFiles) =>
  pageOnFilter(t, isFiltered(filter), () => filteredTraces(filter, files), {noteOf: (f) => f.sampleNote});

/**
 * Loads DuckDB-wasm and the requests and spans tables the first time it is asked, then computes
 * the slice; `sample` says which of the two the size policy sampled (docs/explore.md).
 */
export async function filteredInDatabase(filter: PageFilter): Promise<FilteredTraces> {
  const [{sliceLoadColumns, sliceQueryLoaded, sliceReadColumns, tableSample}, {slicedTraces}, {sampleNote}] =
    await Promise.all([import("./sliceDatabase.js"), import("./traceSlice.js"), import("./traceSampleNote.js")]);
  const sample = {requests: await tableSample("requests"), spans: await tableSample("spans")};
  // The top lists' trace ids, from the file's request_key and trace_id columns, read (fast, as PLAIN
  // text) but not loaded into DuckDB-wasm: no statement reads trace_id.
  const traceIds = async (keys: readonly number[]): Promise<Map<number, string>> => {
    if (!keys.length) return new Map();
    const wanted = new Set(keys);
    const read = await sliceReadColumns("requests", ["request_key", "trace_id"]);
    const [key, id] = [read.get("request_key")!.toArray() as Int32Array, read.get("trace_id")!];
    const found = new Map<number, string>();
    for (let i = 0; i < key.length; i++) if (wanted.has(key[i])) found.set(key[i], id.get(i));
    return found;
  };
  // The slice loads its own columns (SLICE_COLUMNS) and its statements run over those alone.
  return {
    ...(await slicedTraces(sliceQueryLoaded, filter, sliceLoadColumns, traceIds)),
    sample,
    sampleNote: sampleNote(sample)
  };
}

// The traces page's filtered slice, imported only once a filter is set: the build's own queries
// (src/lib/traceRequests.ts over the requests, src/lib/traceSpans.ts over their spans) run in
// DuckDB-wasm over the exported tables with the filter's conditions, and shaped by the same functions,
// with the trend granularity of the slice's own span of days, as the build would pick for a warehouse
// holding only the slice, the slowest and costliest requests included.
import {
  latencyOf,
  latencySql,
  ratesOf,
  ratesSql,
  summaryOf,
  summarySql,
  topTracesOf,
  topTracesSql,
  totalsOf,
  totalsSql,
  volumeOf,
  volumeSql,
  type LatencyRow,
  type OutcomeCountsRow,
  type SummaryRow,
  type TopTraceRow,
  type TotalsRow,
  type VolumeRow
} from "../lib/traceRequests.js";
import {
  ANSWERED_BY,
  modelSnapshotsOf,
  modelSnapshotsSql,
  spanLatenciesOf,
  spanLatencySql,
  type RequestKey,
  type SnapshotRow,
  type SpanLatencyRow
} from "../lib/traceSpans.js";
import {sliceGranularity} from "../lib/traceCells.js";
import {filterTerms, type WhereSpec} from "./filterSql.js";
import type {PageFilter} from "./pageFilters.js";

const WHERE: WhereSpec = {
  columns: {segment: "segment", category: "category", prompt_version: "prompt_version"},
  time: {column: "start_time", bucket: "7 DAY"}
};

/** The filter's conditions on the requests' columns. */
export const sliceTerms = (filter: PageFilter): string[] => filterTerms(filter, WHERE);

type Query = <R>(sql: string) => Promise<R[]>;

/**
 * What the slice joins spans to requests on and ranks the top requests by: the export's integer
 * request_key (loaders/explore/tables.ts REQUEST_KEY), whose order is trace_id's. At 2M spans, the
 * trace_id columns were 96 of the 129 MB a filter read, most of DuckDB-wasm's insert and, as a join
 * key, most of its queries' time.
 */
const KEY: RequestKey = "request_key";

/** The trace ids of the given request keys, from `table` (the exported requests). */
export const traceIdsSql = (keys: readonly number[], table = "requests") => `SELECT ${KEY} AS key,
      trace_id
    FROM ${table}
    WHERE ${KEY} IN (${keys.join(", ")})`;

/** Request key → trace id, for the few requests the top lists name. */
export type TraceIds = (keys: readonly number[]) => Promise<ReadonlyMap<number, string>>;

/** TraceIds by a query over the requests, trace_id loaded (the unit tests; the page reads the file's column, traceFilters.ts). */
export const traceIdsByQuery =
  (query: Query, table = "requests"): TraceIds =>
  async (keys) =>
    new Map(
      (keys.length ? await query<{key: number; trace_id: string}>(traceIdsSql(keys, table)) : []).map((r) => [
        Number(r.key),
        r.trace_id
      ])
    );

/**
 * The columns slicedTraces' statements read, by table, each table's loaded at once before the first
 * statement that reads it (query by query, each new column inserted its whole table into DuckDB-wasm
 * again). Named here rather than
 * found in the SQL by columnsUsed (exploreColumns.ts), which takes every column of a named table that
 * appears as a word: `spans` is also a column of requests, and feature, segment, model and cost_usd
 * are columns of both, so it loaded 4 more of the spans' columns (at 2M spans, 8M values) that no
 * statement reads from spans. Every filter column is loaded, so a second filter loads nothing; the
 * unit test runs every statement over tables holding only these. Not trace_id: the statements join
 * and rank on request_key, and the top lists' few trace ids are read apart (TraceIds).
 */
export const SLICE_COLUMNS = {
  requests: [
    KEY,
    "start_time",
    "duration_ms",
    "feature",
    "segment",
    "category",
    "prompt_version",
    "model",
    "spans",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "cost_source",
    "failed",
    "refused",
    "truncated",
    ANSWERED_BY
  ],
  spans: [KEY, "kind", "start_time", "duration_ms"]
} as const;

/** The columns of some of the tables, loaded before the statements that read them run (ExploreDatabase.loadColumns). */
type Load = (columns: Partial<typeof SLICE_COLUMNS>) => Promise<void>;

/**
 * The filtered slice's figures in the shape of the page's data (src/data/traces.json): totals, the
 * granularities, volume, latency, span-kind latency, per-model summary with its snapshots, rates over
 * time and the slowest and costliest requests. The requests' columns load first and their statements
 * are all sent at once before the spans' columns load: in the browser they run in DuckDB-wasm's worker
 * while the page's thread reads the spans' columns, which were half of a filter's read. The snapshots
 * are among them (they count the requests' ANSWERED_BY): only the span-kind percentiles read spans.
 */
export async function slicedTraces(
  query: Query,
  filter: PageFilter,
  load?: Load,
  traceIds: TraceIds = traceIdsByQuery(query)
) {
  const terms = sliceTerms(filter);
  await load?.({requests: SLICE_COLUMNS.requests});
  const [totals] = await query<TotalsRow>(totalsSql(terms));
  const granularity = sliceGranularity(totals);
  // A grouping set without columns gives a row even over no rows: an empty slice has no cell to show,
  // as an empty warehouse's page shows none (its empty state), so the page says no request matched.
  const byRequests = Promise.all([
    query<VolumeRow>(volumeSql(granularity.volume, terms)),
    query<LatencyRow>(latencySql(granularity.trend, terms)),
    totals.requests ? query<SummaryRow>(summarySql(terms)) : Promise.resolve([]),
    query<OutcomeCountsRow>(ratesSql(granularity.trend, terms)),
    query<TopTraceRow>(topTracesSql(terms, KEY)),
    totals.requests ? query<SnapshotRow>(modelSnapshotsSql(terms)) : Promise.resolve([])
  ]);
  const [[volume, latency, summary, rates, top, snapshots]] = await Promise.all([
    byRequests,
    load?.({spans: SLICE_COLUMNS.spans})
  ]);
  // The top lists' trace ids are read (in the browser, on the page's thread) while the spans' statements run.
  const [spanLatency, ids] = await Promise.all([
    query<SpanLatencyRow>(spanLatencySql(granularity.trend, terms, KEY)),
    traceIds([...new Set(top.map((r) => Number(r.key)))])
  ]);
  const traceId = (key: string | number) => {
    const id = ids.get(Number(key));
    if (id === undefined) throw new Error(`traces: the exported requests have no trace id for request_key ${key}`);
    return id;
  };
  return {
    totals: totalsOf(totals),
    granularity,
    volume: volumeOf(volume),
    latency: latencyOf(latency),
    ...spanLatenciesOf(spanLatency),
    summary: totals.requests ? summaryOf(summary, modelSnapshotsOf(snapshots)) : [],
    rates: ratesOf(rates),
    ...topTracesOf(top, traceId)
  };
}
export type SlicedTraces = Awaited<ReturnType<typeof slicedTraces>>;

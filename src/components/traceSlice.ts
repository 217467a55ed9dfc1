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
  modelSnapshotsOf,
  modelSnapshotsSql,
  spanLatenciesOf,
  spanLatencySql,
  type SnapshotRow,
  type SpanLatencyRow
} from "../lib/traceSpans.js";
import {trendGranularity, volumeGranularity} from "../lib/utcBuckets.js";
import {filterTerms, type WhereSpec} from "./filterSql.js";
import type {PageFilter} from "./pageFilters.js";

const WHERE: WhereSpec = {
  columns: {segment: "segment", category: "category", prompt_version: "prompt_version"},
  time: {column: "start_time", bucket: "7 DAY"}
};

/** The filter's conditions on the requests' columns. */
export const sliceTerms = (filter: PageFilter): string[] => filterTerms(filter, WHERE);

/** The granularities the build would pick for a warehouse holding only the slice (production.ts spanDays). */
export function sliceGranularity(span: {first_ms: number | null; last_ms: number | null}) {
  const days = span.first_ms === null || span.last_ms === null ? 0 : (span.last_ms - span.first_ms) / 86_400_000;
  return {volume: volumeGranularity(days), trend: trendGranularity(days)};
}

type Query = <R>(sql: string) => Promise<R[]>;

/**
 * The columns slicedTraces' statements read, by table, loaded together before the first query (query by
 * query, each new column inserted its whole table into DuckDB-wasm again). Named here rather than
 * found in the SQL by columnsUsed (exploreColumns.ts), which takes every column of a named table that
 * appears as a word: `spans` is also a column of requests, and feature, segment, model and cost_usd
 * are columns of both, so it loaded 4 more of the spans' columns (at 2M spans, 8M values) that no
 * statement reads from spans. Every filter column is loaded, so a second filter loads nothing; the
 * unit test runs every statement over tables holding only these.
 */
export const SLICE_COLUMNS = {
  requests: [
    "trace_id",
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
    "truncated"
  ],
  spans: ["trace_id", "kind", "start_time", "duration_ms", "model", "response_model"]
} as const;

/**
 * The filtered slice's figures in the shape of the page's data (src/data/traces.json): totals, the
 * granularities, volume, latency, span-kind latency, per-model summary with its snapshots, rates over
 * time and the slowest and costliest requests.
 */
export async function slicedTraces(
  query: Query,
  filter: PageFilter,
  load?: (columns: typeof SLICE_COLUMNS) => Promise<void>
) {
  const terms = sliceTerms(filter);
  await load?.(SLICE_COLUMNS);
  const [totals] = await query<TotalsRow>(totalsSql(terms));
  const granularity = sliceGranularity(totals);
  return {
    totals: totalsOf(totals),
    granularity,
    volume: volumeOf(await query<VolumeRow>(volumeSql(granularity.volume, terms))),
    latency: latencyOf(await query<LatencyRow>(latencySql(granularity.trend, terms))),
    ...spanLatenciesOf(await query<SpanLatencyRow>(spanLatencySql(granularity.trend, terms))),
    // A grouping set without columns gives a row even over no rows: an empty slice has no cell to show,
    // as an empty warehouse's page shows none (its empty state), so the page says no request matched.
    summary: totals.requests
      ? summaryOf(
          await query<SummaryRow>(summarySql(terms)),
          modelSnapshotsOf(await query<SnapshotRow>(modelSnapshotsSql(terms)))
        )
      : [],
    rates: ratesOf(await query<OutcomeCountsRow>(ratesSql(granularity.trend, terms))),
    ...topTracesOf(await query<TopTraceRow>(topTracesSql(terms)))
  };
}
export type SlicedTraces = Awaited<ReturnType<typeof slicedTraces>>;

// The traces page's filtered slice, imported only once a filter is set: the build's own queries
// (src/lib/traceRequests.ts over the requests, src/lib/traceSpans.ts over their spans) run in
// DuckDB-wasm over the exported tables with the filter's conditions, and shaped by the same functions,
// with the trend granularity of the slice's own span of days, as the build would pick for a warehouse
// holding only the slice. The slowest and costliest requests are ranked here, from the filtered
// requests, as the build's max_by ranks them.
import type {TopTrace} from "../../loaders/queries/traces.js";
import {ALL, byText} from "../lib/all.js";
import {round} from "../lib/format.js";
import {
  latencyOf,
  latencySql,
  ratesOf,
  ratesSql,
  summaryOf,
  summarySql,
  totalsOf,
  totalsSql,
  volumeOf,
  volumeSql,
  type LatencyRow,
  type OutcomeCountsRow,
  type SummaryRow,
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
import {filterTerms, filterWhereSql, type WhereSpec} from "./filterSql.js";
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

/** One filtered request, with what a row of the slowest and costliest lists shows. */
export interface RequestRow {
  trace_id: string;
  start_ms: number;
  feature: string;
  model: string;
  duration_ms: number | null;
  cost_usd: number | null;
  cost_source: string | null;
  failed: boolean;
  spans: number;
}

/** The filtered requests, labelled as the build labels them (a missing feature or model is "(none)"). */
export const sliceRequestsSql = (filter: PageFilter): string => `SELECT trace_id,
    epoch_ms(start_time)::DOUBLE AS start_ms,
    coalesce(feature::VARCHAR, '(none)') AS feature,
    coalesce(model::VARCHAR, '(none)') AS model,
    duration_ms::DOUBLE AS duration_ms,
    cost_usd::DOUBLE AS cost_usd,
    cost_source,
    failed,
    spans::INTEGER AS spans
  FROM requests
  ${filterWhereSql(filter, WHERE)}`;

const TOP_TRACES = 5;
const iso = (ms: number) => new Date(ms).toISOString();

/** The four cells a request counts in, as the build's GROUPING SETS over feature × model: each alone, both, neither. */
const cellsOf = (r: RequestRow): [string, string][] => [
  [r.feature, r.model],
  [r.feature, ALL],
  [ALL, r.model],
  [ALL, ALL]
];

/** Requests grouped by every cell, in the build's ORDER BY ALL order (feature, model). */
function cells(rows: readonly RequestRow[]) {
  const groups = new Map<string, {feature: string; model: string; rows: RequestRow[]}>();
  for (const r of rows)
    for (const [feature, model] of cellsOf(r)) {
      const key = `${feature}\u0000${model}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = {feature, model, rows: []}));
      group.rows.push(r);
    }
  return [...groups.values()].sort((a, b) => byText(a.feature, b.feature) || byText(a.model, b.model));
}

/** The top few requests of a cell by `value`, largest first; ties go to the larger trace id, as max_by's struct order does. */
function top(
  feature: string,
  model: string,
  rows: readonly RequestRow[],
  value: (r: RequestRow) => number | null
): TopTrace[] {
  return rows
    .filter((r) => value(r) !== null)
    .sort((a, b) => value(b)! - value(a)! || byText(b.trace_id, a.trace_id))
    .slice(0, TOP_TRACES)
    .map((r, i) => ({
      feature,
      model,
      rank: i + 1,
      trace_id: r.trace_id,
      start_time: iso(r.start_ms),
      duration_ms: round(r.duration_ms, 3)!,
      cost_usd: round(r.cost_usd, 8),
      cost_source: r.cost_source,
      failed: r.failed,
      spans: r.spans
    }));
}

/** The slowest and costliest requests of every cell of the filtered requests. */
export function topTraces(rows: readonly RequestRow[]) {
  const grouped = cells(rows);
  return {
    slowest: grouped.flatMap((g) => top(g.feature, g.model, g.rows, (r) => r.duration_ms)),
    costliest: grouped.flatMap((g) => top(g.feature, g.model, g.rows, (r) => r.cost_usd))
  };
}

type Query = <R>(sql: string) => Promise<R[]>;

/**
 * Every query slicedTraces runs, at one granularity (the columns they name do not depend on it): in
 * the browser, loading them together inserts each table into DuckDB-wasm once. Query by query, each
 * new column inserted its whole table again, at 2M spans the larger part of the first filter's time.
 */
export function sliceSql(filter: PageFilter): string[] {
  const terms = sliceTerms(filter);
  return [
    totalsSql(terms),
    volumeSql("day", terms),
    latencySql("day", terms),
    spanLatencySql("day", terms),
    summarySql(terms),
    modelSnapshotsSql(terms),
    ratesSql("day", terms),
    sliceRequestsSql(filter)
  ];
}

/**
 * The filtered slice's figures in the shape of the page's data (src/data/traces.json): totals, the
 * granularities, volume, latency, span-kind latency, per-model summary with its snapshots, rates over
 * time and the slowest and costliest requests.
 */
export async function slicedTraces(
  query: Query,
  filter: PageFilter,
  load?: (sqls: readonly string[]) => Promise<void>
) {
  const terms = sliceTerms(filter);
  await load?.(sliceSql(filter));
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
    ...topTraces(await query<RequestRow>(sliceRequestsSql(filter)))
  };
}
export type SlicedTraces = Awaited<ReturnType<typeof slicedTraces>>;

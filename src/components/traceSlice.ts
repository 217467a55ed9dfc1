// The traces page's filtered slice, imported only once a filter is set: the SQL that reads the filtered
// requests from the exported `requests` table, and the shaping of those rows into the page's cards,
// charts and tables with the build's definitions (loaders/queries/traces.ts): type-7 quantiles
// (src/lib/metrics/quantile.ts, DuckDB's quantile_cont), Wilson rates (src/lib/metrics/rate.ts), the
// UTC buckets (src/lib/utcBuckets.ts) and the trend granularity of the slice's own span of days.
// The span-kind latencies and the model snapshots run the build's own SQL (src/lib/traceSpans.ts)
// over the exported spans of the filtered requests.
import type {TopTrace} from "../../loaders/queries/traces.js";
import {ALL, byText} from "../lib/all.js";
import {round} from "../lib/format.js";
import {quantileSorted} from "../lib/metrics/quantile.js";
import {rate} from "../lib/metrics/rate.js";
import {trendGranularity, utcBucketSecondsSql, volumeGranularity, type Granularity} from "../lib/utcBuckets.js";
import {snapshotKey, type ModelSnapshot} from "../lib/traceSpans.js";
import {filterTerms, filterWhereSql, type PageFilter, type WhereSpec} from "./pageFilters.js";

const WHERE: WhereSpec = {
  columns: {segment: "segment", category: "category", prompt_version: "prompt_version"},
  time: {column: "start_time", bucket: "7 DAY"}
};

/** The filter's conditions on the requests' columns, for the span queries of src/lib/traceSpans.ts. */
export const sliceTerms = (filter: PageFilter): string[] => filterTerms(filter, WHERE);

/** The filtered requests' first and last start, as epoch milliseconds: the slice's span sets its granularity. */
export const sliceSpanSql = (filter: PageFilter): string =>
  `SELECT epoch_ms(min(start_time)) AS first_ms, epoch_ms(max(start_time)) AS last_ms
  FROM requests
  ${filterWhereSql(filter, WHERE)}`;

/** The granularities the build would pick for a warehouse holding only the slice (production.ts spanDays). */
export function sliceGranularity(span: {first_ms: number | null; last_ms: number | null}) {
  const days = span.first_ms === null || span.last_ms === null ? 0 : (span.last_ms - span.first_ms) / 86_400_000;
  return {volume: volumeGranularity(days), trend: trendGranularity(days)};
}

/** One filtered request, with the starts of its volume and trend buckets in seconds (the build's UTC buckets). */
export interface RequestRow {
  trace_id: string;
  start_ms: number;
  volume_s: number;
  trend_s: number;
  feature: string;
  model: string;
  duration_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  cost_source: string | null;
  failed: boolean;
  refused: boolean;
  truncated: boolean;
  spans: number;
}

/** The filtered requests, labelled as the build labels them (a missing feature or model is "(none)"). */
export function sliceRequestsSql(filter: PageFilter, granularity: {volume: Granularity; trend: Granularity}): string {
  return `SELECT trace_id,
    epoch_ms(start_time)::DOUBLE AS start_ms,
    ${utcBucketSecondsSql(granularity.volume, "start_time")}::DOUBLE AS volume_s,
    ${utcBucketSecondsSql(granularity.trend, "start_time")}::DOUBLE AS trend_s,
    coalesce(feature::VARCHAR, '(none)') AS feature,
    coalesce(model::VARCHAR, '(none)') AS model,
    duration_ms::DOUBLE AS duration_ms,
    input_tokens::DOUBLE AS input_tokens,
    output_tokens::DOUBLE AS output_tokens,
    cost_usd::DOUBLE AS cost_usd,
    cost_source,
    failed,
    refused,
    truncated,
    spans::INTEGER AS spans
  FROM requests
  ${filterWhereSql(filter, WHERE)}`;
}

const TOP_TRACES = 5;
const iso = (ms: number) => new Date(ms).toISOString();

/** The four cells a request counts in, as the build's GROUPING SETS over feature × model: each alone, both, neither. */
const cellsOf = (r: RequestRow): [string, string][] => [
  [r.feature, r.model],
  [r.feature, ALL],
  [ALL, r.model],
  [ALL, ALL]
];

/** Requests grouped by `keyOf` and by every cell, in the build's ORDER BY ALL order (bucket, feature, model). */
function grouped(rows: readonly RequestRow[], bucketOf: ((r: RequestRow) => number) | null) {
  const groups = new Map<string, {bucket: number; feature: string; model: string; rows: RequestRow[]}>();
  for (const r of rows)
    for (const [feature, model] of cellsOf(r)) {
      const bucket = bucketOf ? bucketOf(r) : 0;
      const key = `${bucket}\u0000${feature}\u0000${model}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = {bucket, feature, model, rows: []}));
      group.rows.push(r);
    }
  return [...groups.values()].sort(
    (a, b) => a.bucket - b.bucket || byText(a.feature, b.feature) || byText(a.model, b.model)
  );
}

const sortedValues = (values: Iterable<number | null>) =>
  Float64Array.from([...values].filter((v): v is number => v !== null)).sort();

/** p50, p95 and p99 of the values, rounded as the build rounds them (3 digits). */
function percentiles(values: Iterable<number | null>) {
  const sorted = sortedValues(values);
  const q = (p: number) => round(quantileSorted(sorted, p), 3);
  return {p50: q(0.5), p95: q(0.95), p99: q(0.99)};
}

const mean = (values: readonly (number | null)[]) => {
  const kept = values.filter((v): v is number => v !== null);
  return kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : null;
};
const count = (rows: readonly RequestRow[], keep: (r: RequestRow) => boolean) => rows.filter(keep).length;

function summaryRow(feature: string, model: string, rows: readonly RequestRow[], snapshots: ModelSnapshot[]) {
  const costs = rows.map((r) => r.cost_usd).filter((c): c is number => c !== null);
  const sortedCosts = sortedValues(costs);
  return {
    feature,
    model,
    snapshots,
    requests: rows.length,
    latency: percentiles(rows.map((r) => r.duration_ms)),
    tokens: {
      input_mean: round(mean(rows.map((r) => r.input_tokens)), 1),
      output_mean: round(mean(rows.map((r) => r.output_tokens)), 1)
    },
    cost: {
      n: costs.length,
      mean: round(mean(costs), 8),
      p50: round(quantileSorted(sortedCosts, 0.5), 8),
      p95: round(quantileSorted(sortedCosts, 0.95), 8),
      total: round(costs.length ? costs.reduce((a, b) => a + b, 0) : null, 6)
    },
    costSources: {
      reported: count(rows, (r) => r.cost_source === "reported"),
      computed: count(rows, (r) => r.cost_source === "computed"),
      mixed: count(rows, (r) => r.cost_source === "mixed"),
      missing: count(rows, (r) => r.cost_source === "missing"),
      no_calls: count(rows, (r) => r.cost_source === null)
    },
    errors: rate(
      count(rows, (r) => r.failed),
      rows.length
    ),
    refusals: rate(
      count(rows, (r) => r.refused),
      rows.length
    ),
    truncations: rate(
      count(rows, (r) => r.truncated),
      rows.length
    )
  };
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

/**
 * The filtered slice's figures in the shape of the page's data (src/data/traces.json): totals, the
 * granularities, volume, latency, per-model summary, rates over time and the slowest and costliest
 * requests; `snapshots` are the cells' model snapshots (src/lib/traceSpans.ts, from the spans).
 */
export function slicedTraces(
  rows: readonly RequestRow[],
  granularity: {volume: Granularity; trend: Granularity},
  snapshots: ReadonlyMap<string, ModelSnapshot[]> = new Map()
) {
  // A loop, not Math.min(...starts): a spread of 2M arguments overflows the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    first = Math.min(first, r.start_ms);
    last = Math.max(last, r.start_ms);
  }
  const cells = grouped(rows, null);
  const trend = grouped(rows, (r) => r.trend_s);
  return {
    totals: {
      requests: rows.length,
      spans: rows.reduce((a, r) => a + r.spans, 0),
      first_at: rows.length ? iso(first) : null,
      last_at: rows.length ? iso(last) : null
    },
    granularity,
    volume: grouped(rows, (r) => r.volume_s).map((g) => ({
      bucket: iso(g.bucket * 1000),
      feature: g.feature,
      model: g.model,
      requests: g.rows.length
    })),
    latency: trend.map((g) => ({
      bucket: iso(g.bucket * 1000),
      feature: g.feature,
      model: g.model,
      n: g.rows.length,
      ...percentiles(g.rows.map((r) => r.duration_ms))
    })),
    summary: cells.map((g) =>
      summaryRow(g.feature, g.model, g.rows, snapshots.get(snapshotKey(g.feature, g.model)) ?? [])
    ),
    rates: trend.map((g) => ({
      bucket: iso(g.bucket * 1000),
      feature: g.feature,
      model: g.model,
      n: g.rows.length,
      errors: rate(
        count(g.rows, (r) => r.failed),
        g.rows.length
      ),
      refusals: rate(
        count(g.rows, (r) => r.refused),
        g.rows.length
      ),
      truncations: rate(
        count(g.rows, (r) => r.truncated),
        g.rows.length
      )
    })),
    slowest: cells.flatMap((g) => top(g.feature, g.model, g.rows, (r) => r.duration_ms)),
    costliest: cells.flatMap((g) => top(g.feature, g.model, g.rows, (r) => r.cost_usd))
  };
}
export type SlicedTraces = ReturnType<typeof slicedTraces>;

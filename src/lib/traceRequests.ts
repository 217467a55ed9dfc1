// The traces page's figures over the requests: totals, volume, end-to-end latency percentiles, the
// per-cell summary (latency, tokens, cost and its provenance, outcome rates), the outcome rates
// over time and the slowest and costliest requests, each for every feature × model cell (src/lib/cube.ts). The SQL and the shaping of its
// rows live here because the build (loaders/queries/traces.ts) and the page's filters
// (src/components/traceFilters.ts, DuckDB-wasm over the exported requests) run the same queries;
// `terms` are the filter's conditions on the requests (none in the build).
// Times leave the SQL as epoch seconds or milliseconds and become ISO strings here: DuckDB in Node
// hands back a Date, DuckDB-wasm a number, and both sides must print the same text.
import {cubeSql, sliceLabel} from "./cube.js";
import {round} from "./format.js";
import {rate} from "./metrics/rate.js";
import {PERCENTILES, percentilesOf, snapshotKey, type ModelSnapshot, type RequestKey} from "./traceSpans.js";
import {utcBucketSecondsSql, type Granularity} from "./utcBuckets.js";

const where = (terms: readonly string[]) => (terms.length ? `WHERE ${terms.join(" AND ")}` : "");
const bucketSql = (granularity: Granularity) => `${utcBucketSecondsSql(granularity, "start_time")}::DOUBLE`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** A list aggregate as an array: DuckDB-wasm hands it over as an Arrow vector. */
const list = (q: Iterable<number | null> | null) => (q ? Array.from(q) : null);

export type TotalsRow = {requests: number; spans: number; first_ms: number | null; last_ms: number | null};

export const totalsSql = (terms: readonly string[] = []) => `SELECT count(*)::INTEGER AS requests,
      coalesce(sum(spans), 0)::INTEGER AS spans,
      epoch_ms(min(start_time))::DOUBLE AS first_ms,
      epoch_ms(max(start_time))::DOUBLE AS last_ms
    FROM requests
    ${where(terms)}`;

export const totalsOf = ({requests, spans, first_ms, last_ms}: TotalsRow) => ({
  requests,
  spans,
  first_at: iso(first_ms),
  last_at: iso(last_ms)
});

/** Requests of one bucket (epoch seconds) and feature × model cell. */
export type VolumeRow = {bucket: number; feature: string; model: string; requests: number};

export const volumeSql = (
  granularity: Granularity,
  terms: readonly string[] = []
) => `SELECT ${bucketSql(granularity)} AS bucket,
      ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      count(*)::INTEGER AS requests
    FROM requests
    ${where(terms)}
    GROUP BY ${cubeSql(["bucket"], ["feature", "model"])}
    ORDER BY ALL`;

export const volumeOf = (rows: readonly VolumeRow[]) =>
  rows.map(({bucket, feature, model, requests}) => ({bucket: iso(bucket * 1000)!, feature, model, requests}));

/** Requests of one bucket and cell, with their p50, p95 and p99 as one list. */
export type LatencyRow = {bucket: number; feature: string; model: string; n: number; q: Iterable<number | null>};

export const latencySql = (
  granularity: Granularity,
  terms: readonly string[] = []
) => `SELECT ${bucketSql(granularity)} AS bucket,
      ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      count(*)::INTEGER AS n,
      ${PERCENTILES} AS q
    FROM requests
    ${where(terms)}
    GROUP BY ${cubeSql(["bucket"], ["feature", "model"])}
    ORDER BY ALL`;

export const latencyOf = (rows: readonly LatencyRow[]) =>
  rows.map(({bucket, feature, model, n, q}) => ({bucket: iso(bucket * 1000)!, feature, model, n, ...percentilesOf(q)}));

export type SummaryRow = {
  feature: string;
  model: string;
  requests: number;
  q: Iterable<number | null>;
  input_tokens: number | null;
  output_tokens: number | null;
  costed: number;
  cost_mean: number | null;
  cost_q: Iterable<number | null> | null;
  cost_total: number | null;
  reported: number;
  computed: number;
  mixed: number;
  missing: number;
  no_calls: number;
  failed: number;
  refused: number;
  truncated: number;
};

export const summarySql = (terms: readonly string[] = []) => `SELECT ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      count(*)::INTEGER AS requests,
      ${PERCENTILES} AS q,
      avg(input_tokens) AS input_tokens,
      avg(output_tokens) AS output_tokens,
      count(cost_usd)::INTEGER AS costed,
      avg(cost_usd) AS cost_mean,
      quantile_cont(cost_usd, [0.5, 0.95]) AS cost_q,
      sum(cost_usd) AS cost_total,
      count(*) FILTER (cost_source = 'reported')::INTEGER AS reported,
      count(*) FILTER (cost_source = 'computed')::INTEGER AS computed,
      count(*) FILTER (cost_source = 'mixed')::INTEGER AS mixed,
      count(*) FILTER (cost_source = 'missing')::INTEGER AS missing,
      count(*) FILTER (cost_source IS NULL)::INTEGER AS no_calls,
      count(*) FILTER (failed)::INTEGER AS failed,
      count(*) FILTER (refused)::INTEGER AS refused,
      count(*) FILTER (truncated)::INTEGER AS truncated
    FROM requests
    ${where(terms)}
    GROUP BY ${cubeSql([], ["feature", "model"])}
    ORDER BY ALL`;

/** Each cell's row of the per-model tables, with the names its calls were answered under (traceSpans.ts). */
export function summaryOf(rows: readonly SummaryRow[], snapshots: ReadonlyMap<string, ModelSnapshot[]>) {
  return rows.map((r) => {
    const cost = list(r.cost_q);
    return {
      feature: r.feature,
      model: r.model,
      snapshots: snapshots.get(snapshotKey(r.feature, r.model)) ?? [],
      requests: r.requests,
      latency: percentilesOf(r.q),
      tokens: {input_mean: round(r.input_tokens, 1), output_mean: round(r.output_tokens, 1)},
      cost: {
        n: r.costed,
        mean: round(r.cost_mean, 8),
        p50: round(cost?.[0] ?? null, 8),
        p95: round(cost?.[1] ?? null, 8),
        total: round(r.cost_total, 6)
      },
      costSources: {
        reported: r.reported,
        computed: r.computed,
        mixed: r.mixed,
        missing: r.missing,
        no_calls: r.no_calls
      },
      errors: rate(r.failed, r.requests),
      refusals: rate(r.refused, r.requests),
      truncations: rate(r.truncated, r.requests)
    };
  });
}

/** Requests of one bucket and cell, and how many failed, were refused or were cut off. */
export type OutcomeCountsRow = {
  bucket: number;
  feature: string;
  model: string;
  n: number;
  failed: number;
  refused: number;
  truncated: number;
};

export const ratesSql = (
  granularity: Granularity,
  terms: readonly string[] = []
) => `SELECT ${bucketSql(granularity)} AS bucket,
      ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      count(*)::INTEGER AS n,
      count(*) FILTER (failed)::INTEGER AS failed,
      count(*) FILTER (refused)::INTEGER AS refused,
      count(*) FILTER (truncated)::INTEGER AS truncated
    FROM requests
    ${where(terms)}
    GROUP BY ${cubeSql(["bucket"], ["feature", "model"])}
    ORDER BY ALL`;

export const ratesOf = (rows: readonly OutcomeCountsRow[]) =>
  rows.map((r) => ({
    bucket: iso(r.bucket * 1000)!,
    feature: r.feature,
    model: r.model,
    n: r.n,
    errors: rate(r.failed, r.n),
    refusals: rate(r.refused, r.n),
    truncations: rate(r.truncated, r.n)
  }));

/** How many of the slowest and of the costliest requests each cell lists. */
export const TOP_TRACES = 5;

/** One of the slowest or costliest requests of a cell, with its rank in the list and its key (topTracesSql). */
export type TopTraceRow = {
  list: "slowest" | "costliest";
  feature: string;
  model: string;
  rank: number;
  key: string | number;
  start_ms: number;
  duration_ms: number;
  cost_usd: number | null;
  cost_source: string | null;
  failed: boolean;
  spans: number;
};

/**
 * The slowest and the most expensive requests of every feature × model cell, each by its `key`
 * (traceSpans.ts RequestKey): the build's is the trace id itself, the browser's the integer request_key,
 * whose trace ids it reads for these few rows alone. max_by keeps the top few of each cell in one pass
 * (no sort); ties go to the larger key (the struct's second field): the larger trace id, compared as
 * DuckDB compares text, byte by byte, whose order request_key keeps. A request without a cost is never
 * among the costliest.
 */
export const topTracesSql = (terms: readonly string[] = [], key: RequestKey = "trace_id") => `WITH cells AS (
      SELECT ${sliceLabel("feature")} AS feature,
        ${sliceLabel("model")} AS model,
        max_by(${key}, {'value': duration_ms, 'trace': ${key}}, ${TOP_TRACES}) AS slowest,
        max_by(${key}, {'value': cost_usd, 'trace': ${key}}, ${TOP_TRACES}) FILTER (cost_usd IS NOT NULL) AS costliest
      FROM requests
      ${where(terms)}
      GROUP BY ${cubeSql([], ["feature", "model"])}
    ),
    ranked AS (
      SELECT 'slowest' AS list, feature, model, unnest(slowest) AS ${key}, generate_subscripts(slowest, 1) AS rank
      FROM cells
      UNION ALL
      SELECT 'costliest' AS list, feature, model, unnest(costliest) AS ${key}, generate_subscripts(costliest, 1) AS rank
      FROM cells
    )
    SELECT k.list,
      k.feature,
      k.model,
      k.rank::INTEGER AS rank,
      k.${key} AS key,
      epoch_ms(r.start_time)::DOUBLE AS start_ms,
      r.duration_ms::DOUBLE AS duration_ms,
      r.cost_usd::DOUBLE AS cost_usd,
      r.cost_source,
      r.failed,
      r.spans::INTEGER AS spans
    FROM ranked k
    JOIN requests r USING (${key})
    ORDER BY k.feature, k.model, k.list, k.rank`;

/**
 * The two lists as the page shows them, cell by cell (feature, then model) and rank by rank; `traceId`
 * gives a row's trace id from its key (the key itself where the key is the trace id).
 */
export function topTracesOf(rows: readonly TopTraceRow[], traceId: (key: string | number) => string = String) {
  const shaped = (list: TopTraceRow["list"]) =>
    rows
      .filter((r) => r.list === list)
      .map((r) => ({
        feature: r.feature,
        model: r.model,
        rank: r.rank,
        trace_id: traceId(r.key),
        start_time: iso(r.start_ms)!,
        duration_ms: round(r.duration_ms, 3)!,
        cost_usd: round(r.cost_usd, 8),
        cost_source: r.cost_source,
        failed: r.failed,
        spans: r.spans
      }));
  return {slowest: shaped("slowest"), costliest: shaped("costliest")};
}

/** One of the slowest or costliest requests of a feature × model cell (traces.json `slowest`, `costliest`). */
export type TopTrace = ReturnType<typeof topTracesOf>["slowest"][number];

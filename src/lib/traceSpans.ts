// The traces page's figures that need the spans, not only the requests: latency percentiles per span
// kind (over time and over the whole period) and the names each cell's model calls were answered
// under (counted from a per-request list of them, ANSWERED_BY). The SQL and the shaping of its rows live here because the build (loaders/queries/traces.ts)
// and the page's filters (src/components/traceSlice.ts, DuckDB-wasm over the exported spans and
// requests) run the same queries; a filter's conditions apply to the requests the spans belong to.
// Buckets leave the SQL as epoch seconds and become ISO strings here: DuckDB in Node hands back a
// Date, DuckDB-wasm a number, and both sides must print the same text.
import {cubeSetsSql, cubeSql, sliceLabel} from "./cube.js";
import {round} from "./format.js";
import {utcBucketSecondsSql, type Granularity} from "./utcBuckets.js";

/** p50, p95 and p99 of a duration in one aggregate: one sort per group instead of three. */
export const PERCENTILES = "quantile_cont(duration_ms, [0.5, 0.95, 0.99])";

/**
 * A PERCENTILES list rounded as the page shows it (3 digits). DuckDB-wasm hands a list over as an
 * Arrow vector, which Array.from reads like DuckDB in Node's array.
 */
export function percentilesOf(q: Iterable<number | null> | null) {
  const [p50, p95, p99] = (q ? Array.from(q) : [null, null, null]).map((v) => round(v ?? null, 3));
  return {p50, p95, p99};
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The column spans join their request on: trace_id in the warehouse; in the browser, request_key, the
 * integer the export adds to both tables (loaders/explore/tables.ts REQUEST_KEY), since loading and
 * joining 2M text ids took most of a filter's time. Its order is trace_id's, so a tie broken by the
 * key is broken as by the id.
 */
export type RequestKey = "trace_id" | "request_key";

/**
 * The requests whose spans count, for a join on `key`: all of them, or those `terms` (conditions on
 * the requests' columns) keep. Spans join their request, so filtering on a feature or model keeps
 * that request's retrieval and tool spans too.
 */
const requestsSql = (terms: readonly string[], key: RequestKey) => `(
    SELECT ${key}, feature, model
    FROM requests
    ${terms.length ? `WHERE ${terms.join(" AND ")}` : ""}
  )`;

/** Spans of one kind and cell, per bucket (epoch seconds) or (whole, bucket null) over the whole period. */
export type SpanLatencyRow = {
  bucket: number | null;
  whole: boolean;
  kind: string;
  feature: string;
  model: string;
  n: number;
  q: Iterable<number | null> | null;
};

/**
 * Span-kind latency percentiles, over time and over the whole period, in one pass: both need every
 * span joined to its request, and at 2M spans the join costs as much as a percentile pass. The inner
 * select names its columns, not *: in the browser, every column a query names is fetched.
 */
export function spanLatencySql(
  granularity: Granularity,
  terms: readonly string[] = [],
  key: RequestKey = "trace_id"
): string {
  const trend = cubeSetsSql(["bucket", "kind"], ["feature", "model"]);
  const whole = cubeSetsSql(["kind"], ["feature", "model"]);
  return `SELECT bucket,
      grouping(bucket) = 1 AS whole,
      kind,
      ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      count(*)::INTEGER AS n,
      ${PERCENTILES} AS q
    FROM (
      SELECT s.kind,
        s.duration_ms,
        r.feature,
        r.model,
        ${utcBucketSecondsSql(granularity, "s.start_time")}::DOUBLE AS bucket
      FROM spans s
      JOIN ${requestsSql(terms, key)} r USING (${key})
    )
    GROUP BY GROUPING SETS (${trend}, ${whole})
    ORDER BY ALL`;
}

/** The page's spanLatency (per bucket) and kinds (whole period) from spanLatencySql's rows. */
export function spanLatenciesOf(rows: readonly SpanLatencyRow[]) {
  return {
    // Only the whole-period rows have no bucket (grouping(bucket) = 1); the others keep it, first as before.
    spanLatency: rows
      .filter((r) => !r.whole)
      .map(({bucket, kind, feature, model, n, q}) => ({
        bucket: iso(bucket!),
        kind,
        feature,
        model,
        n,
        ...percentilesOf(q)
      })),
    kinds: rows
      .filter((r) => r.whole)
      .map(({kind, feature, model, n, q}) => ({kind, feature, model, n, ...percentilesOf(q)}))
  };
}

export type SpanLatencies = ReturnType<typeof spanLatenciesOf>;

export type ModelSnapshot = {name: string; calls: number};

/**
 * What one request's model calls were answered under, as one text: each llm or embedding call with a
 * model names coalesce(response_model, model) (the dated snapshot, or the alias where the trace reports
 * none), the names sorted and joined with ANSWERED_BY_SEPARATOR, a name once per call; NULL for a
 * request without such calls. The export writes it into the requests file (loaders/explore/tables.ts),
 * so the page's filter counts snapshots from 667k requests' values instead of loading the 2M spans'
 * model and response_model (4M values); the build joins the same statement to its requests
 * (requestsWithAnsweredBySql), so both count from one definition. A request's few distinct lists make
 * a small dictionary in the Parquet file.
 */
export const ANSWERED_BY = "answered_by";

/** chr(31), the unit separator: a control character no model name holds (a name holding one would count as two). */
export const ANSWERED_BY_SEPARATOR = "chr(31)";

/**
 * Each request's ANSWERED_BY, by trace_id, from the warehouse's spans (requests without model calls
 * have no row). A list sorted afterwards, not string_agg(… ORDER BY …): at 2M spans the ordered
 * aggregate took 1.9-2.1 s of CPU, list_sort 0.4 s, for the same text.
 */
export const answeredBySql = `SELECT trace_id,
      array_to_string(list_sort(list(coalesce(response_model, model))), ${ANSWERED_BY_SEPARATOR}) AS ${ANSWERED_BY}
    FROM spans
    WHERE kind IN ('llm', 'embedding')
      AND model IS NOT NULL
    GROUP BY trace_id`;

/** The warehouse's requests with their ANSWERED_BY (answeredBySql), as the build's modelSnapshotsSql reads them. */
export const requestsWithAnsweredBySql = `(
    SELECT r.*, a.${ANSWERED_BY}
    FROM requests r
    LEFT JOIN (${answeredBySql}) a USING (trace_id)
  )`;

/** Calls of one feature × model cell answered under one name. */
export type SnapshotRow = {feature: string; model: string; answered_by: string; calls: number};

/**
 * The names the model calls of each feature × model cell were answered under, with how many calls
 * each: the detail behind a model row. Counted from the requests' ANSWERED_BY (one name per call), so
 * a filter's conditions (`terms`, on the requests' columns) apply as to every other statement over
 * `requests`: the exported table in the browser, requestsWithAnsweredBySql in the build. The
 * requests are counted by list first and only the few distinct lists are split: splitting every
 * request's list took 2.8-3.0 s in DuckDB-wasm over 667k requests, counting first 0.25-0.31 s.
 */
export const modelSnapshotsSql = (
  terms: readonly string[] = [],
  requests = "requests"
) => `SELECT ${sliceLabel("feature")} AS feature,
      ${sliceLabel("model")} AS model,
      answered_by,
      sum(requests)::INTEGER AS calls
    FROM (
      SELECT feature, model, unnest(string_split(${ANSWERED_BY}, ${ANSWERED_BY_SEPARATOR})) AS answered_by, requests
      FROM (
        SELECT feature, model, ${ANSWERED_BY}, count(*) AS requests
        FROM ${requests}
        WHERE ${[`${ANSWERED_BY} IS NOT NULL`, ...terms].join(" AND ")}
        GROUP BY feature, model, ${ANSWERED_BY}
      )
    )
    GROUP BY ${cubeSql(["answered_by"], ["feature", "model"])}
    ORDER BY feature, model, calls DESC, answered_by`;

/** Each cell's snapshots, keyed by feature and model joined with a NUL. */
export function modelSnapshotsOf(rows: readonly SnapshotRow[]): Map<string, ModelSnapshot[]> {
  const out = new Map<string, ModelSnapshot[]>();
  for (const {feature, model, answered_by, calls} of rows) {
    const key = snapshotKey(feature, model);
    out.set(key, [...(out.get(key) ?? []), {name: answered_by, calls}]);
  }
  return out;
}

export const snapshotKey = (feature: string, model: string) => `${feature}\u0000${model}`;

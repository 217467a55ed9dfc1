// What the four production pages share: one row per traced request (built from its spans), slices
// labelled the same way everywhere, time buckets sized to the data, and rates with their intervals.
import {wilsonInterval, type Rate} from "../metrics/wilson.js";
import {ident, type Database} from "../warehouse/duckdb.js";

/** Label of a roll-up row (every value of the dimension) and of a missing value. */
export const ALL = "(all)";
export const NONE = "(none)";

/** SQL naming a dimension's value in a GROUPING SETS query: its value, (none) when missing, (all) on a roll-up row. */
export function sliceLabel(column: string): string {
  return `CASE WHEN grouping(${ident(column)}) = 1 THEN '${ALL}' ELSE coalesce(${ident(column)}::VARCHAR, '${NONE}') END`;
}

/** Grouping sets over `dimensions` with `fixed` in every set: each dimension alone, all together, and none (the total). */
export function cubeSql(fixed: readonly string[], dimensions: readonly string[]): string {
  const sets: string[][] = [];
  for (let mask = 0; mask < 1 << dimensions.length; mask++) sets.push([...fixed, ...dimensions.filter((_, i) => mask & (1 << i))]);
  return `GROUPING SETS (${sets.map((s) => `(${s.map(ident).join(", ")})`).join(", ")})`;
}

export type Granularity = "hour" | "day" | "week";

/** Buckets small enough to show a trend, large enough that a p95 rests on more than a handful of requests. */
export function trendGranularity(days: number): Granularity {
  return days <= 2 ? "hour" : days <= 28 ? "day" : "week";
}

/** Finer buckets for counts (volume), which need no minimum sample. */
export function volumeGranularity(days: number): Granularity {
  return days <= 2 ? "hour" : "day";
}

export async function spanDays(db: Database, table: string, column: string): Promise<number> {
  const [row] = await db.query<{days: number | null}>(`SELECT (epoch(max(${ident(column)})) - epoch(min(${ident(column)}))) / 86400 AS days FROM ${ident(table)}`);
  return row?.days ?? 0;
}

/** A rate with n and its 95% Wilson interval, rounded for the page. */
export function rate(successes: number, n: number): Rate {
  const r = wilsonInterval(successes, n);
  return {...r, rate: round(r.rate), low: round(r.low), high: round(r.high)};
}

export function round(x: number | null, digits = 6): number | null {
  if (x === null || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * One row per traced request. The root span (no parent, or a parent not in the file) gives the
 * end-to-end duration and the request's feature, segment, category and prompt; the model calls
 * (llm and embedding spans) give the model, tokens and cost, so a wrapper span that repeats its
 * children's usage is not counted twice. A request's cost is known only when every model call
 * has one. It failed if any span failed; it was refused or truncated if any call stopped so.
 */
export async function prepareRequests(db: Database): Promise<void> {
  const [{ready}] = await db.query<{ready: number}>(`SELECT count(*)::INTEGER AS ready FROM duckdb_tables() WHERE temporary AND table_name = 'prod_request'`);
  if (ready) return;
  await db.run(`CREATE TEMP TABLE prod_request AS
    WITH marked AS (
      SELECT s.*, s.kind IN ('llm', 'embedding') AS is_call,
        (s.parent_span_id IS NULL OR NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)) AS is_root
      FROM spans s)
    SELECT trace_id,
      min(start_time) AS start_time,
      CASE WHEN count(*) FILTER (is_root) = 1 THEN max(duration_ms) FILTER (is_root)
        ELSE (max(epoch_us(start_time) + duration_ms * 1000) - min(epoch_us(start_time))) / 1000 END AS duration_ms,
      coalesce(max(feature) FILTER (is_root), max(feature)) AS feature,
      coalesce(max(segment) FILTER (is_root), max(segment)) AS segment,
      coalesce(max(category) FILTER (is_root), max(category)) AS category,
      coalesce(max(prompt_version) FILTER (is_root), max(prompt_version)) AS prompt_version,
      coalesce(max(input_chars) FILTER (is_root), max(input_chars)) AS input_chars,
      nullif(array_to_string(list_sort(list_distinct(list(model) FILTER (is_call))), ' + '), '') AS model,
      count(*)::INTEGER AS spans,
      count(*) FILTER (is_call)::INTEGER AS calls,
      sum(input_tokens) FILTER (is_call) AS input_tokens,
      sum(output_tokens) FILTER (is_call) AS output_tokens,
      CASE WHEN count(*) FILTER (is_call AND cost_usd IS NULL) = 0 THEN sum(cost_usd) FILTER (is_call) END AS cost_usd,
      CASE WHEN count(*) FILTER (is_call) = 0 THEN NULL
        WHEN count(*) FILTER (is_call AND cost_usd IS NULL) > 0 THEN 'missing'
        WHEN count(*) FILTER (is_call AND cost_source = 'reported') = count(*) FILTER (is_call) THEN 'reported'
        WHEN count(*) FILTER (is_call AND cost_source = 'computed') = count(*) FILTER (is_call) THEN 'computed'
        ELSE 'mixed' END AS cost_source,
      coalesce(bool_or(status = 'error'), false) AS failed,
      coalesce(bool_or(finish_reason = 'content_filter'), false) AS refused,
      coalesce(bool_or(finish_reason = 'length'), false) AS truncated
    FROM marked GROUP BY trace_id`);
}

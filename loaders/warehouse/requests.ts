// The derived table of traced requests, built from the canonical spans at ingest: the production
// pages aggregate requests, not spans, and rebuilding it in every page's loader cost seconds at scale.
import type {Database} from "./duckdb.js";

/**
 * One request's row from its spans in `marked` (spans with is_root and is_call). The root span gives
 * the end-to-end duration and the request's feature, segment, category and prompt (else any span
 * does); the model calls (llm and embedding spans) give the model, tokens and cost, so a wrapper span
 * that repeats its children's usage is not counted twice. A request's cost is known only when every
 * model call has one. It failed if any span failed; it was refused or truncated if any call stopped so.
 */
const requestRowsSql = (marked: string) => `SELECT trace_id,
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
      count(*) FILTER (is_root)::INTEGER AS roots,
      count(*) FILTER (is_call)::INTEGER AS calls,
      -- BIGINT: DuckDB sums BIGINT into HUGEINT, which every later avg() pays for many times over.
      sum(input_tokens) FILTER (is_call)::BIGINT AS input_tokens,
      sum(output_tokens) FILTER (is_call)::BIGINT AS output_tokens,
      CASE WHEN count(*) FILTER (is_call AND cost_usd IS NULL) = 0 THEN sum(cost_usd) FILTER (is_call) END AS cost_usd,
      CASE WHEN count(*) FILTER (is_call) = 0 THEN NULL
        WHEN count(*) FILTER (is_call AND cost_usd IS NULL) > 0 THEN 'missing'
        WHEN count(*) FILTER (is_call AND cost_source = 'reported') = count(*) FILTER (is_call) THEN 'reported'
        WHEN count(*) FILTER (is_call AND cost_source = 'computed') = count(*) FILTER (is_call) THEN 'computed'
        ELSE 'mixed' END AS cost_source,
      coalesce(bool_or(status = 'error'), false) AS failed,
      coalesce(bool_or(finish_reason = 'content_filter'), false) AS refused,
      coalesce(bool_or(finish_reason = 'length'), false) AS truncated
    FROM (${marked}) GROUP BY trace_id`;

const isCall = `kind IN ('llm', 'embedding')`;

/**
 * One row per traced request, built once at ingest, after prices, because every production page and
 * the brief read it. A request's root is its span without a parent. When a trace has none (its root
 * was not exported), the spans whose parent is missing from the data stand in for it. Finding those
 * takes a join of the spans with themselves, which at 2M spans cost more than the rest of the build,
 * so it runs only for the traces that need it.
 */
export async function buildRequests(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE requests AS
    ${requestRowsSql(`SELECT *, ${isCall} AS is_call, parent_span_id IS NULL AS is_root FROM spans`)}`);
  const [{rootless}] = await db.query<{rootless: number}>(`SELECT count(*)::INTEGER AS rootless FROM requests WHERE roots = 0`);
  if (rootless === 0) return;
  await db.run(`CREATE OR REPLACE TEMP TABLE rootless_spans AS
    SELECT s.* FROM spans s SEMI JOIN (SELECT trace_id FROM requests WHERE roots = 0) r USING (trace_id)`);
  await db.run(`DELETE FROM requests WHERE roots = 0`);
  await db.run(`INSERT INTO requests ${requestRowsSql(`SELECT s.*, ${isCall} AS is_call,
      NOT EXISTS (SELECT 1 FROM rootless_spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id) AS is_root
    FROM rootless_spans s`)}`);
  await db.run(`DROP TABLE rootless_spans`);
}

// The derived table of traced requests, built from the canonical spans at ingest: the production
// pages aggregate requests, not spans, and rebuilding it in every page's loader cost seconds at scale.
import {canonicalModelSql} from "../schema/modelName.js";
import {quotedIdentifier, type Database} from "./duckdb.js";

/** What a request takes from its root span (else from any span that has it). */
const ROOT_ATTRIBUTES = ["feature", "segment", "category", "prompt_version", "input_chars"] as const;

const isCall = `kind IN ('llm', 'embedding')`;
/** A request is served by models, not snapshots: gpt-4o-mini and gpt-4o-mini-2024-07-18 are one row on the pages. */
const canonicalModel = `${canonicalModelSql("model")} AS model`;

/**
 * A request's cost and its source, from its model calls alone (spans with is_call): the one definition,
 * used when requests are built and when a price change reprices them in place (repriceRequests).
 */
const costTotalsSql = `CASE WHEN count(*) FILTER (is_call AND cost_usd IS NULL) = 0 THEN sum(cost_usd) FILTER (is_call) END AS cost_usd,
      CASE WHEN count(*) FILTER (is_call) = 0 THEN NULL
        WHEN count(*) FILTER (is_call AND cost_usd IS NULL) > 0 THEN 'missing'
        WHEN count(*) FILTER (is_call AND cost_source = 'reported') = count(*) FILTER (is_call) THEN 'reported'
        WHEN count(*) FILTER (is_call AND cost_source = 'computed') = count(*) FILTER (is_call) THEN 'computed'
        ELSE 'mixed' END AS cost_source`;

/** The aggregates over all of a request's spans (`marked`: spans with is_root and is_call), the same for every request. */
const spanTotalsSql = `count(*)::INTEGER AS spans,
      count(*) FILTER (is_root)::INTEGER AS roots,
      count(*) FILTER (is_call)::INTEGER AS calls,
      -- BIGINT: DuckDB sums BIGINT into HUGEINT, which every later avg() pays for many times over.
      sum(input_tokens) FILTER (is_call)::BIGINT AS input_tokens,
      sum(output_tokens) FILTER (is_call)::BIGINT AS output_tokens,
      ${costTotalsSql},
      coalesce(bool_or(status = 'error'), false) AS failed,
      coalesce(bool_or(finish_reason = 'content_filter'), false) AS refused,
      coalesce(bool_or(finish_reason = 'length'), false) AS truncated`;
const totalColumns = `spans,
      roots,
      calls,
      input_tokens,
      output_tokens,
      cost_usd,
      cost_source,
      failed,
      refused,
      truncated`;
const envelopeMsSql = `(max(epoch_us(start_time) + duration_ms * 1000) - min(epoch_us(start_time))) / 1000`;

/**
 * Every request, exactly, from its spans in `marked`. The root span gives the end-to-end duration and
 * the request's feature, segment, category and prompt (else any span does); several roots are
 * measured by the envelope of all spans, and a choice among several values is the largest, so the
 * result does not depend on row order. The model calls (llm and embedding spans) give the model
 * (all of them, `a + b`), tokens and cost, so a wrapper span that repeats its children's usage is
 * not counted twice. A request's cost is known only when every model call has one. It failed if any
 * span failed; it was refused or truncated if any call stopped so.
 */
function exactRequestsSql(marked: string): string {
  return `SELECT trace_id,
      min(start_time) AS start_time,
      CASE WHEN count(*) FILTER (is_root) = 1 THEN max(duration_ms) FILTER (is_root) ELSE ${envelopeMsSql} END AS duration_ms,
      ${ROOT_ATTRIBUTES.map((a) => `coalesce(max(${a}) FILTER (is_root), max(${a})) AS ${a}`).join(",\n      ")},
      nullif(array_to_string(list_sort(list_distinct(list(model) FILTER (is_call))), ' + '), '') AS model,
      ${spanTotalsSql},
      false AS inexact
    FROM (${marked})
    GROUP BY trace_id`;
}

/**
 * The same for the usual request, one parentless root and one model, without what that takes in
 * general: the root's duration and attributes are taken whole, as one struct, from the one span that
 * can have them, and no string is compared to choose among several (at 2M spans that costs about a
 * second). `inexact` marks every request this does not fit: another number of roots, several models,
 * or an attribute the root lacks and another span has. Those are computed again by exactRequestsSql.
 */
function usualRequestsSql(spans: string): string {
  const counted = (a: string) => quotedIdentifier(`${a}#spans`);
  const root = `{'duration_ms': duration_ms, ${ROOT_ATTRIBUTES.map((a) => `'${a}': ${a}`).join(", ")}}`;
  return `SELECT trace_id,
      start_time,
      CASE WHEN roots = 1 THEN root.duration_ms ELSE envelope_ms END AS duration_ms,
      ${ROOT_ATTRIBUTES.map((a) => `root.${a} AS ${a}`).join(",\n      ")},
      model,
      ${totalColumns},
      coalesce(roots <> 1 OR model <> "model#max" ${ROOT_ATTRIBUTES.map((a) => `OR (root.${a} IS NULL AND ${counted(a)} > 0)`).join(" ")}, false) AS inexact
    FROM (
      SELECT trace_id,
        min(start_time) AS start_time,
        ${envelopeMsSql} AS envelope_ms,
        any_value(${root}) FILTER (is_root) AS root,
        ${ROOT_ATTRIBUTES.map((a) => `count(${a}) AS ${counted(a)}`).join(",\n        ")},
        min(model) FILTER (is_call) AS model,
        max(model) FILTER (is_call) AS "model#max",
        ${spanTotalsSql}
      FROM (
        SELECT * REPLACE (${canonicalModel}),
          ${isCall} AS is_call,
          parent_span_id IS NULL AS is_root
        FROM ${spans}
      )
      GROUP BY trace_id
    )`;
}

/**
 * One row per traced request, built once at ingest, after prices, because every production page and
 * the brief read it. A request's root is its span without a parent. When a trace has none (its root
 * was not exported), the spans whose parent is missing from the data stand in for it. Finding those
 * takes a join of the spans with themselves, which at 2M spans cost more than the rest of the build,
 * so, like the choice among several roots or models, it is made only for the traces that need it.
 */
export async function buildRequests(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE requests AS ${usualRequestsSql("spans")}`);
  await exactUnusual(db, "requests");
  await db.run(`ALTER TABLE requests DROP COLUMN inexact`);
}

/**
 * The requests of the traces in `traces` (a table of trace_id) computed again from all their spans,
 * the rest left as they are: what an incremental ingest does for the traces whose files changed
 * (loaders/warehouse/ingest.ts). A trace whose spans are all gone loses its request.
 */
export async function refreshRequests(db: Database, traces: string): Promise<void> {
  // `traces` is SQL of our own (a table or a subquery of trace ids), not a name to quote.
  const changed = `SELECT trace_id
    FROM ${traces}`;
  await db.run(`DELETE FROM requests
    WHERE trace_id IN (${changed})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE fresh_requests AS
    ${usualRequestsSql(`(SELECT * FROM spans WHERE trace_id IN (${changed}))`)}`);
  await exactUnusual(db, "fresh_requests");
  await db.run(`INSERT INTO requests
    SELECT * EXCLUDE (inexact)
    FROM fresh_requests`);
  await db.run(`DROP TABLE fresh_requests`);
}

/**
 * After a price change (repriceCosts has rewritten the spans' costs), each request's cost and source
 * computed again from its model calls, in place: the other columns do not depend on prices, and
 * rebuilding the table whole cost as much as the first build. A request without model calls has no
 * cost either way and is left alone; only the rows whose cost or source changed are written.
 */
export async function repriceRequests(db: Database): Promise<void> {
  await db.run(`UPDATE requests AS r
    SET cost_usd = c.cost_usd,
      cost_source = c.cost_source
    FROM (
      SELECT trace_id,
        ${costTotalsSql}
      FROM (
        SELECT trace_id,
          cost_usd,
          cost_source,
          true AS is_call
        FROM spans
        WHERE ${isCall}
      )
      GROUP BY trace_id
    ) AS c
    WHERE r.trace_id = c.trace_id
      AND (r.cost_usd IS DISTINCT FROM c.cost_usd OR r.cost_source IS DISTINCT FROM c.cost_source)`);
}

type InexactRow = {inexact: number};

/** The requests of `table` marked inexact computed again by exactRequestsSql. */
async function exactUnusual(db: Database, table: string): Promise<void> {
  const name = quotedIdentifier(table);
  const [{inexact}] = await db.query<InexactRow>(`SELECT count(*)::INTEGER AS inexact
    FROM ${name}
    WHERE inexact`);
  if (inexact > 0) {
    await db.run(`CREATE OR REPLACE TEMP TABLE unusual_spans AS
      SELECT s.*
      FROM spans s
      SEMI JOIN (SELECT trace_id FROM ${name} WHERE inexact) r USING (trace_id)`);
    await db.run(`DELETE FROM ${name}
      WHERE inexact`);
    await db.run(
      `INSERT INTO ${name} ${exactRequestsSql(`SELECT s.* REPLACE (${canonicalModel}),
        ${isCall} AS is_call,
        s.parent_span_id IS NULL OR (NOT bool_or(s.parent_span_id IS NULL) OVER (PARTITION BY s.trace_id)
          AND NOT EXISTS (SELECT 1 FROM unusual_spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)) AS is_root
      FROM unusual_spans s`)}`
    );
    await db.run(`DROP TABLE unusual_spans`);
  }
}

// The shapes every eval page starts from, built once per connection as temp tables:
//   eval_case   — one row per run and case: epochs reduced (passed in a strict majority of epochs,
//                 mean score), so rates count cases, and a case is comparable across runs;
//   eval_run    — one row per run: suite, feature, when, model, prompt, option, eval, case counts,
//                 and the per-result counts a tool like promptfoo reports (every epoch counted);
//   eval_option — the latest run of each option (the source's name for a system, else model ·
//                 prompt version) in each suite: what a bake-off, the frontier and a launch gate
//                 compare ("a system", not a single run). Runs of one eval_id are options side by
//                 side, not consecutive runs.
// Per-request figures (latency, cost, refusals, errors) come from eval_results itself: every epoch
// is a request someone waits and pays for.
// A run's rows agree on its run-level fields, or the whole run is quarantined at ingest
// (loaders/warehouse/evalRuns.ts); a row may leave an optional one out, so a run takes the value present:
// min() skips NULLs, and with at most one value left its result cannot depend on the order of the rows.
import type {Database} from "../warehouse/duckdb.js";
import {REPORTED_ZERO} from "../warehouse/prices.js";
import {round as roundTo} from "../../src/lib/format.js";
import {lengthEdges} from "../../src/lib/lengthBuckets.js";
import {CASE_OUTCOME_SQL, RUN_COUNTS_SQL, type RunCounts} from "../../src/lib/triageRuns.js";

export {lengthBucketLabels, lengthEdges} from "../../src/lib/lengthBuckets.js";
export {perResultPass} from "../../src/lib/triageRuns.js";

/** SQL giving the bucket index (0-based) of `column`, NULL when the length is unknown. */
export function lengthBucketSql(column: string, edges: readonly number[] = lengthEdges): string {
  return `CASE WHEN ${column} IS NULL THEN NULL ${edges.map((e, i) => `WHEN ${column} < ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
}

/** A row of eval_run (prepareEvalTables): one eval run, its cases counted once each (RUN_COUNTS_SQL). */
export type EvalRunRow = {
  run_id: string;
  suite: string;
  feature: string;
  started_at: string;
  model: string;
  prompt_version: string | null;
  dataset_version: string | null;
  option: string;
  eval_id: string;
} & RunCounts;

/**
 * A run's feature, aggregated over its rows: the one a row names (a run's rows agree on it, or it is
 * quarantined at ingest; a row may leave it out), else the suite's name. eval_run and the drift page's
 * eval set both read a case's feature through its run, so the two cannot disagree.
 */
export const RUN_FEATURE_SQL = "coalesce(min(feature), min(suite))";

/** Whether a temporary table of this connection exists already (1) or not (0). */
type ReadyRow = {ready: number};

/** The most repeats (epochs) any eval case ran; null without eval results. */
type EpochsRow = {epochs: number | null};

export async function prepareEvalTables(db: Database): Promise<void> {
  const [{ready}] = await db.query<ReadyRow>(`SELECT count(*)::INTEGER AS ready
    FROM duckdb_tables()
    WHERE temporary
      AND table_name = 'eval_option'`);
  if (ready) return;
  const [{epochs}] = await db.query<EpochsRow>(`SELECT max(epoch)::INTEGER AS epochs
    FROM eval_results`);
  // The feature as the row states it (NULL where it does not): eval_run falls back to the suite only
  // when no row of the run names one.
  const caseColumns = `suite,
      feature,
      started_at,
      model,
      prompt_version,
      dataset_version,
      option,
      eval_id,
      coalesce(category, '(none)') AS category,
      input_chars`;
  // With a single epoch everywhere (the common case) a case is a row; grouping a million rows would be wasted work.
  await db.run(
    (epochs ?? 1) <= 1
      ? `CREATE TEMP VIEW eval_case AS
    SELECT run_id,
      case_id,
      ${caseColumns},
      passed,
      score,
      error IS NOT NULL AS errored,
      (error IS NOT NULL)::INTEGER AS errored_results,
      1 AS results,
      passed::INTEGER AS result_passes
    FROM eval_results`
      : `CREATE TEMP TABLE eval_case AS
    SELECT run_id,
      case_id,
      min(suite) AS suite,
      min(feature) AS feature,
      min(started_at) AS started_at,
      min(model) AS model,
      min(prompt_version) AS prompt_version,
      min(dataset_version) AS dataset_version,
      min(option) AS option,
      min(eval_id) AS eval_id,
      coalesce(min(category), '(none)') AS category,
      max(input_chars) AS input_chars,
      ${CASE_OUTCOME_SQL}
    FROM eval_results
    GROUP BY run_id, case_id`
  );
  await db.run(`CREATE TEMP TABLE eval_run AS
    SELECT run_id,
      min(suite) AS suite,
      ${RUN_FEATURE_SQL} AS feature,
      min(started_at) AS started_at,
      min(model) AS model,
      min(prompt_version) AS prompt_version,
      min(dataset_version) AS dataset_version,
      coalesce(min(option), coalesce(min(model), '?') || coalesce(' · ' || min(prompt_version), '')) AS option,
      coalesce(min(eval_id), run_id) AS eval_id,
      ${RUN_COUNTS_SQL}
    FROM eval_case
    GROUP BY run_id`);
  // Partitioned by the option's name, not by model and prompt: two providers of one eval may share
  // a model and differ in their settings, and each label is a system of its own.
  await db.run(`CREATE TEMP TABLE eval_option AS
    SELECT *
    FROM eval_run
    QUALIFY row_number() OVER (PARTITION BY suite, option ORDER BY started_at DESC, run_id DESC) = 1`);
}

/** Per-request figures of every option's run, overall (category NULL) and per category: latency
 * percentiles (type 7, DuckDB's quantile_cont), mean cost and its provenance, refusals, errors,
 * passes counted per result, mean tokens. */
export async function prepareOptionRequests(db: Database): Promise<void> {
  await prepareEvalTables(db);
  const [{ready}] = await db.query<ReadyRow>(`SELECT count(*)::INTEGER AS ready
    FROM duckdb_tables()
    WHERE temporary
      AND table_name = 'eval_option_request'`);
  if (ready) return;
  await db.run(`CREATE TEMP TABLE eval_option_request AS
    SELECT run_id,
      CASE WHEN grouping(category) = 0 THEN category END AS category,
      count(*)::INTEGER AS requests,
      count(latency_ms)::INTEGER AS latency_n,
      quantile_cont(latency_ms, 0.5) AS latency_p50,
      quantile_cont(latency_ms, 0.95) AS latency_p95,
      quantile_cont(latency_ms, 0.99) AS latency_p99,
      -- A mean over the priced requests alone would make an option that used an unpriced model look cheap.
      count(cost_usd)::INTEGER AS cost_n,
      CASE WHEN count(*) FILTER (WHERE cost_source = '${REPORTED_ZERO}') = 0 THEN avg(cost_usd) END AS cost_mean,
      CASE WHEN count(DISTINCT cost_source) > 1 THEN 'mixed' ELSE any_value(cost_source) END AS cost_source,
      count(*) FILTER (WHERE cost_source = '${REPORTED_ZERO}')::INTEGER AS cost_reported_zero,
      count(refused)::INTEGER AS refusal_n,
      count(*) FILTER (WHERE refused)::INTEGER AS refusals,
      count(*) FILTER (WHERE error IS NOT NULL)::INTEGER AS errors,
      count(*) FILTER (WHERE passed)::INTEGER AS result_passes,
      count(input_tokens)::INTEGER AS tokens_n,
      avg(input_tokens) AS input_tokens_mean,
      avg(output_tokens) AS output_tokens_mean
    FROM (
      SELECT e.* REPLACE (coalesce(e.category, '(none)') AS category)
      FROM eval_results e
      SEMI JOIN eval_option o ON o.run_id = e.run_id
    )
    GROUP BY GROUPING SETS ((run_id), (run_id, category))`);
}

/** One option's cases on one run, overall (category null) or in one category: what bake-off and frontier both read. */
export type OptionCases = {
  suite: string;
  feature: string;
  option: string;
  model: string;
  prompt_version: string | null;
  run_id: string;
  started_at: string;
  category: string | null;
  n: number;
  passes: number;
};

export type RequestStats = {
  run_id: string;
  category: string | null;
  requests: number;
  latency_n: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
  cost_n: number;
  cost_mean: number | null;
  cost_source: string | null;
  /** Requests whose source reported cost 0 despite their tokens, with no price for the model: cost unknown. */
  cost_reported_zero: number;
  refusal_n: number;
  refusals: number;
  errors: number;
  /** Requests (results) that passed, every epoch counted: promptfoo's own pass count. */
  result_passes: number;
  tokens_n: number;
  input_tokens_mean: number | null;
  output_tokens_mean: number | null;
};

/** The shared rounding rule (src/lib/format.ts) at the eval pages' 4 digits. */
export const round = (x: number | null | undefined, digits = 4): number | null => roundTo(x, digits);

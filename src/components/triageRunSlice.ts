// Eval triage's runs and listed cases on a filtered slice, imported only once the case filter keeps a
// slice: the build's SQL and shaping (src/lib/triageRuns.ts) run in DuckDB-wasm over the exported
// eval_results, restricted to the suite's runs and the kept cases, so each run's pass rate, per-result
// rate and mean score, and the pair's regressed and improved cases, read as the build would read a
// warehouse holding only those cases.
import {
  CASE_OUTCOME_SQL,
  CHANGED_ORDER,
  RUN_COUNTS_SQL,
  caseTextSql,
  changedCasesOf,
  changedPickSql,
  runFigures,
  type ChangedCaseRow,
  type RunCounts
} from "../lib/triageRuns.js";
import {html} from "npm:htl";
import {sqlLiteral} from "./filterSql.js";
import {fmtInt} from "./format.js";
import type {OutcomeSuite} from "./triageCompare.js";

type Query = <R>(sql: string) => Promise<R[]>;

const inList = (values: readonly string[]) => (values.length ? values.map(sqlLiteral).join(", ") : "NULL");

/** The kept cases' ids, in the suite's case order. */
export const keptCaseIds = (suite: OutcomeSuite, keep: readonly boolean[]): string[] =>
  suite.case_ids.filter((_, i) => keep[i]);

/**
 * The rows of eval_results the slice reads: the runs' results on the kept cases, with the named columns.
 * The queries below always group a run's case by its epochs; with one epoch the group is the row, as the
 * build's eval_case view reads it (loaders/queries/evalTables.ts groups only when some case repeats).
 */
const keptSql = (runs: readonly string[], cases: readonly string[], columns: string) => `SELECT ${columns}
      FROM eval_results
      WHERE run_id IN (${inList(runs)})
        AND case_id IN (${inList(cases)})`;

/** Each run's counts on the kept cases (RUN_COUNTS_SQL over CASE_OUTCOME_SQL, as eval_run over eval_case). */
export const runCountsSql = (runs: readonly string[], cases: readonly string[]) => `WITH kept AS (
      ${keptSql(runs, cases, "run_id, case_id, passed, score, error")}
    ),
    kept_case AS (
      SELECT run_id,
        case_id,
        ${CASE_OUTCOME_SQL}
      FROM kept
      GROUP BY run_id, case_id
    )
    SELECT run_id,
      ${RUN_COUNTS_SQL}
    FROM kept_case
    GROUP BY run_id
    ORDER BY run_id`;

/** The pair's changed cases among the kept ones, by the build's SQL over the pair's kept results, without their text. */
export function changedSql(pair: {before: string; after: string}, cases: readonly string[]): string {
  // No text column and no `*` here: the statement's words decide which columns load for every row.
  return `WITH kept AS (
      ${keptSql([pair.before, pair.after], cases, "run_id, case_id, category, input_chars, passed, score, error")}
    ),
    kept_case AS (
      SELECT run_id,
        case_id,
        coalesce(any_value(category), '(none)') AS category,
        max(input_chars) AS input_chars,
        ${CASE_OUTCOME_SQL}
      FROM kept
      GROUP BY run_id, case_id
    ),
    joined AS (
      SELECT a.run_id AS before_run,
        b.run_id AS after_run,
        a.case_id,
        a.category,
        coalesce(a.input_chars, b.input_chars) AS input_chars,
        a.passed AS bp,
        b.passed AS ap,
        a.score AS bs,
        b.score AS as_
      FROM kept_case a
      JOIN kept_case b ON b.case_id = a.case_id
      WHERE a.run_id = ${sqlLiteral(pair.before)}
        AND b.run_id = ${sqlLiteral(pair.after)}
    ),
    changed AS (
      ${changedPickSql("joined")}
    )
    SELECT before_run, after_run, change, case_id, category, input_chars, before_score, after_score
    FROM changed
    ORDER BY ${CHANGED_ORDER}`;
}

/** The table the later run's results of the listed cases load into, every epoch, for their text. */
export const LISTED_RESULTS = "triage_listed_results";
const LISTED_COLUMNS = ["run_id", "case_id", "epoch", "output_excerpt", "reason", "error"] as const;

/** The listed cases' text (caseTextSql, as the build reads it) from LISTED_RESULTS. */
export const listedTextSql = `SELECT e.case_id,
      ${caseTextSql()}
    FROM ${LISTED_RESULTS} e
    GROUP BY e.case_id`;

/**
 * Where the slice's figures come from: `query` runs SQL over eval_results; `load` (optional) loads the
 * columns of all the given statements at once; `loadRows` loads the rows of eval_results that `where`
 * keeps, with `columns`, as table `as` (in the browser only those rows' text is fetched).
 */
export interface SliceSource {
  query: Query;
  load?: (sqls: readonly string[]) => Promise<void>;
  loadRows: (table: string, where: string, columns: readonly string[], as: string) => Promise<number>;
}

/** The pair's changed cases with the later run's text, read for the listed cases alone. */
async function changedCases(source: SliceSource, pair: {before: string; after: string}, pickSql: string) {
  const picked = await source.query<Omit<ChangedCaseRow, "excerpt" | "reason" | "error">>(pickSql);
  const ids = [...new Set(picked.map((c) => c.case_id))];
  const text = new Map<string, Pick<ChangedCaseRow, "excerpt" | "reason" | "error">>();
  if (ids.length) {
    const where = `run_id = ${sqlLiteral(pair.after)} AND case_id IN (${inList(ids)})`;
    await source.loadRows("eval_results", where, LISTED_COLUMNS, LISTED_RESULTS);
    type Text = Pick<ChangedCaseRow, "case_id" | "excerpt" | "reason" | "error">;
    for (const {case_id, ...t} of await source.query<Text>(listedTextSql)) text.set(case_id, t);
  }
  const none = {excerpt: null, reason: null, error: null};
  return changedCasesOf(
    picked.map((c) => ({...c, ...(text.get(c.case_id) ?? none)})),
    pair
  );
}

/** A run as the page's data holds it (eval-triage.json `runs`): what the slice recomputes and what it keeps. */
export type Run = {run_id: string; n: number; errored_results: number; errored_cases: number} & ReturnType<
  typeof runFigures
>;

/**
 * The suite's runs on the kept cases, in the page data's order and shape (a run that graded none of
 * them is left out, as a slice-only warehouse would not hold it), and the pair's changed cases.
 */
export async function slicedRuns<R extends Run>(
  source: SliceSource,
  suite: OutcomeSuite,
  runs: readonly R[],
  keep: readonly boolean[],
  pair: {before: string; after: string} | null
) {
  const cases = keptCaseIds(suite, keep);
  const ids = runs.map((r) => r.run_id);
  const sqls = [runCountsSql(ids, cases), ...(pair ? [changedSql(pair, cases)] : [])];
  await source.load?.(sqls);
  const counts = new Map((await source.query<RunCounts & {run_id: string}>(sqls[0])).map((c) => [c.run_id, c]));
  const sliced = runs.flatMap((r) => {
    const c = counts.get(r.run_id);
    if (!c) return [];
    const {n, errored_results, errored_cases} = c;
    return [{...r, n, errored_results, errored_cases, ...runFigures(c)}];
  });
  const changed = pair ? await changedCases(source, pair, sqls[1]) : null;
  return {runs: sliced, changed};
}
export type SlicedRuns = Awaited<ReturnType<typeof slicedRuns>>;

/** A pair's listed cases, as the build's pair and the slice's both hold them. */
export type ChangedCases = ReturnType<typeof changedCasesOf>;

/** Above the recomputed runs, when the size policy sampled eval_results (docs/explore.md): what the figures count. */
export function sampleNote(sample: {exported: number; rows: number} | null): HTMLElement | null {
  if (!sample) return null;
  return html`<div class="note" role="status" id="triage-sample-note">The site holds ${fmtInt(sample.exported)} of ${fmtInt(sample.rows)} eval results (the size policy samples whole cases): the runs and cases below count only the sample.</div>`;
}

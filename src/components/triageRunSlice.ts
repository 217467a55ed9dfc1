// Eval triage's runs and listed cases on a filtered slice, imported only once the case filter keeps a
// slice. Each run's pass rate, per-result rate and mean score, and which of the pair's cases changed
// verdict, are counted from the runs' case figures packed at build (loaders/queries/triageOutcomes.ts,
// eval-triage-cases.json) by the functions of src/lib/triageRuns.ts, so a slice reads as the build
// would read a warehouse holding only those cases; DuckDB-wasm then reads the listed cases' rows alone
// (their category, length and the later run's text), by the build's SQL over those rows.
import {
  caseTextSql,
  changedCasesOf,
  changedPicks,
  runCountsOn,
  runFigures,
  type CaseFigure,
  type ChangedCaseRow
} from "../lib/triageRuns.js";
import {unpackBits} from "../lib/outcomes.js";
import type {triageCaseFigures} from "../../loaders/queries/triageOutcomes.js";
import {html} from "npm:htl";
import {sqlLiteral} from "./filterSql.js";
import {fmtInt} from "./format.js";
import type {OutcomeSuite} from "./triageCompare.js";

type Query = <R>(sql: string) => Promise<R[]>;

/** The page data eval-triage-cases.json: each suite's runs' case figures. */
export type CaseFigures = Awaited<ReturnType<typeof triageCaseFigures>>;
export type CaseFigureSuite = CaseFigures["suites"][number];

const inList = (values: readonly string[]) => (values.length ? values.map(sqlLiteral).join(", ") : "NULL");

/** The table the pair's results of the listed cases load into, every epoch, for their text. */
export const LISTED_RESULTS = "triage_listed_results";
const LISTED_COLUMNS = [
  "run_id",
  "case_id",
  "epoch",
  "category",
  "input_chars",
  "output_excerpt",
  "reason",
  "error"
] as const;

/**
 * The listed cases' category and input length (the earlier run's, as eval_case reduces its epochs,
 * the length else the later run's) and the later run's text (caseTextSql), from LISTED_RESULTS.
 */
export const listedTextSql = (pair: {before: string; after: string}) => `WITH b AS (
      SELECT case_id,
        coalesce(any_value(category), '(none)') AS category,
        max(input_chars) AS input_chars
      FROM ${LISTED_RESULTS}
      WHERE run_id = ${sqlLiteral(pair.before)}
      GROUP BY case_id
    ),
    a AS (
      SELECT e.case_id,
        max(e.input_chars) AS input_chars,
        ${caseTextSql()}
      FROM ${LISTED_RESULTS} e
      WHERE e.run_id = ${sqlLiteral(pair.after)}
      GROUP BY e.case_id
    )
    SELECT b.case_id,
      b.category,
      coalesce(b.input_chars, a.input_chars) AS input_chars,
      a.excerpt,
      a.reason,
      a.error
    FROM b
    JOIN a USING (case_id)`;

/**
 * Where the listed cases' rows come from: `loadRows` loads the rows of eval_results that `where`
 * keeps, with `columns`, as table `as` (in the browser only those rows are fetched); `query` runs SQL
 * over it.
 */
export interface SliceSource {
  query: Query;
  loadRows: (table: string, where: string, columns: readonly string[], as: string) => Promise<number>;
}

/** The pair's changed cases on the kept ones, with the category, length and later run's text read for the listed cases alone. */
async function changedCases(
  source: SliceSource,
  suite: OutcomeSuite,
  figures: readonly CaseFigure[],
  cases: (run: string) => ArrayLike<number>,
  keep: readonly boolean[],
  pair: {before: string; after: string}
) {
  const picked = changedPicks(figures, cases(pair.before), cases(pair.after), keep);
  const ids = picked.map((p) => suite.case_ids[p.index]);
  type Listed = Pick<ChangedCaseRow, "case_id" | "category" | "input_chars" | "excerpt" | "reason" | "error">;
  const listed = new Map<string, Listed>();
  if (ids.length) {
    const where = `run_id IN (${inList([pair.before, pair.after])}) AND case_id IN (${inList(ids)})`;
    await source.loadRows("eval_results", where, LISTED_COLUMNS, LISTED_RESULTS);
    for (const row of await source.query<Listed>(listedTextSql(pair))) listed.set(row.case_id, row);
  }
  const rows = picked.map(({change, index, before_score, after_score}): ChangedCaseRow => {
    const case_id = suite.case_ids[index];
    // A case the size policy left out of the export (it samples whole cases) is listed without its text
    // or length, in the category the case has across the suite's runs.
    const row = listed.get(case_id) ?? {
      case_id,
      category: suite.categories[suite.case_categories[index]],
      input_chars: null,
      excerpt: null,
      reason: null,
      error: null
    };
    return {...row, before_run: pair.before, after_run: pair.after, change, case_id, before_score, after_score};
  });
  return changedCasesOf(rows, pair);
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
  caseFigures: CaseFigureSuite,
  runs: readonly R[],
  keep: readonly boolean[],
  pair: {before: string; after: string} | null
) {
  const packed = new Map(caseFigures.runs.map((r) => [r.run_id, r.cases]));
  const cases = (run: string) => {
    const found = packed.get(run);
    if (found === undefined) throw new Error(`eval triage: no case figures of run ${run} in suite ${suite.suite}`);
    return unpackBits(found, suite.cases, caseFigures.bits);
  };
  const sliced = runs.flatMap((r) => {
    const c = runCountsOn(caseFigures.figures, cases(r.run_id), keep);
    if (!c) return [];
    const {n, errored_results, errored_cases} = c;
    return [{...r, n, errored_results, errored_cases, ...runFigures(c)}];
  });
  const changed = pair ? await changedCases(source, suite, caseFigures.figures, cases, keep, pair) : null;
  return {runs: sliced, changed};
}
export type SlicedRuns = Awaited<ReturnType<typeof slicedRuns>>;

/** A pair's listed cases, as the build's pair and the slice's both hold them. */
export type ChangedCases = ReturnType<typeof changedCasesOf>;

/** Above the recomputed runs, when the size policy sampled eval_results (docs/explore.md): which listed cases lack their text. */
export function sampleNote(sample: {exported: number; rows: number} | null): HTMLElement | null {
  if (!sample) return null;
  return html`<div class="note" role="status" id="triage-sample-note">The runs and cases below count every eval result, but the site's export holds ${fmtInt(sample.exported)} of ${fmtInt(sample.rows)} (the size policy samples whole cases): a listed case outside that sample shows no output or input length.</div>`;
}

// Eval triage's per-run figures and its lists of changed cases, as SQL and shaping that the build
// (loaders/queries/evalTables.ts and evalTriage.ts, over the warehouse) and the page's filtered slice
// (src/components/triageRunSlice.ts, DuckDB-wasm over the exported eval_results restricted to the
// slice's cases) both run, so a slice reads as the build would read a warehouse holding only it.
import {round} from "./format.js";
import {tMeanInterval} from "./metrics/tMeanInterval.js";
import {triageRate} from "./triageSlices.js";

/**
 * A run's case from its results (a row per epoch): passed in a strict majority of epochs, the mean
 * score, and its results and errors counted; grouped by run and case.
 */
export const CASE_OUTCOME_SQL = `avg(passed::INTEGER) > 0.5 AS passed,
      avg(score) AS score,
      bool_or(error IS NOT NULL) AS errored,
      count(error)::INTEGER AS errored_results,
      count(*)::INTEGER AS results,
      (count(*) FILTER (WHERE passed))::INTEGER AS result_passes`;

/** A run's counts from its cases (CASE_OUTCOME_SQL's columns); grouped by run. */
export const RUN_COUNTS_SQL = `count(*)::INTEGER AS n,
      count(*) FILTER (WHERE passed)::INTEGER AS passes,
      sum(results)::INTEGER AS results,
      sum(result_passes)::INTEGER AS result_passes,
      avg(score) AS mean_score,
      stddev_samp(score) AS sd_score,
      count(score)::INTEGER AS n_scored,
      -- Errors count results (case × repeat), as the bake-off's error rate does: every repeat is a
      -- request that failed. The cases they touched are counted too, for the table's note.
      sum(errored_results)::INTEGER AS errored_results,
      count(*) FILTER (WHERE errored)::INTEGER AS errored_cases`;

/** A run's counts as RUN_COUNTS_SQL gives them. */
export type RunCounts = {
  n: number;
  passes: number;
  results: number;
  result_passes: number;
  mean_score: number | null;
  sd_score: number | null;
  n_scored: number;
  errored_results: number;
  errored_cases: number;
};

/** The pass rate a tool like promptfoo reports for a run that repeated its cases: every result
 * (case × repeat) counted, where the pages count each case once by its majority verdict. The two
 * differ whenever a case passed in some repeats only. No interval: repeats of a case are not
 * independent draws. Null when every case ran once, as the two rates are then the same. */
export function perResultPass(
  cases: number,
  results: number,
  resultPasses: number
): {rate: number | null; passes: number; n: number} | null {
  if (results === cases) return null;
  return {rate: results ? round(resultPasses / results, 4) : null, passes: resultPasses, n: results};
}

/** A run's figures: pass rate (Wilson), per-result pass rate, mean score with its t interval (scores in [0, 1]). */
export function runFigures({n, passes, results, result_passes, mean_score, sd_score, n_scored}: RunCounts) {
  const score = tMeanInterval(n_scored, mean_score, sd_score, {lower: 0, upper: 1});
  return {
    results,
    passes,
    pass: triageRate(passes, n),
    result_pass: perResultPass(n, results, result_passes),
    score: {mean: round(score.mean, 4), low: round(score.low, 4), high: round(score.high, 4), n: n_scored}
  };
}

/** Changed cases listed per pair and direction, and the characters of output and reason shown. */
export const CHANGED_CASES = 40;
export const EXCERPT_CHARS = 120;

/**
 * The cases of each pair in `joined` (before_run, after_run, case_id, category, input_chars, bp, ap,
 * bs, as_: both runs' verdicts and scores) whose verdict flipped, the biggest score changes first, at
 * most `limit` per pair and direction (Infinity: every one, as the page's texts file holds them): the
 * columns of a ChangedCaseRow but the later run's text.
 */
export const changedPickSql = (joined: string, limit = CHANGED_CASES) => `SELECT before_run,
         after_run,
         CASE WHEN bp THEN 'regressed' ELSE 'improved' END AS change,
         case_id,
         category,
         input_chars,
         bs AS before_score,
         as_ AS after_score
       FROM ${joined}
       WHERE bp <> ap${
         limit === Infinity
           ? ""
           : `
       QUALIFY row_number() OVER (PARTITION BY before_run, after_run, change ORDER BY abs(coalesce(as_, 0) - coalesce(bs, 0)) DESC, case_id) <= ${Math.floor(limit)}`
       }`;

/** The order changed cases are listed in: by pair and direction, the biggest score change first. */
export const CHANGED_ORDER = `before_run, after_run, change, abs(coalesce(after_score, 0) - coalesce(before_score, 0)) DESC, case_id`;

/**
 * A listed case's output, grader reason and error in the later run, from its results `e` grouped by
 * case: each the first epoch's that has one, the output and reason cut to `excerptChars`.
 */
export const caseTextSql = (excerptChars = EXCERPT_CHARS) =>
  `left(arg_min(e.output_excerpt, e.epoch), ${Math.floor(excerptChars)}) AS excerpt,
         left(arg_min(e.reason, e.epoch), ${Math.floor(excerptChars)}) AS reason,
         arg_min(e.error, e.epoch) AS error`;

/**
 * The changed cases of every pair in `joined` (changedPickSql) with the later run's text (caseTextSql)
 * from `results` (eval_results). `tables`: common table expressions the two names may refer to. The
 * page's filtered slice runs the two halves apart, so that it reads the text of the listed cases only.
 */
export const changedCasesSql = (
  joined: string,
  results: string,
  limit = CHANGED_CASES,
  excerptChars = EXCERPT_CHARS,
  tables = ""
) => `WITH ${
  tables
    ? `${tables},
`
    : ""
}changed AS (
       ${changedPickSql(joined, limit)}
     )
     SELECT before_run,
       after_run,
       change,
       case_id,
       category,
       input_chars,
       before_score,
       after_score,
       excerpt,
       reason,
       error
     FROM (
       SELECT c.before_run,
         c.after_run,
         c.change,
         c.case_id,
         c.category,
         c.input_chars,
         c.before_score,
         c.after_score,
         ${caseTextSql(excerptChars)}
       FROM changed c
       LEFT JOIN ${results} e ON e.run_id = c.after_run AND e.case_id = c.case_id
       GROUP BY c.before_run, c.after_run, c.change, c.case_id, c.category, c.input_chars, c.before_score, c.after_score
     )
     ORDER BY ${CHANGED_ORDER}`;

/** A case that changed verdict between a pair's runs, with the later run's output, grader reason and error. */
export type ChangedCaseRow = {
  before_run: string;
  after_run: string;
  change: "regressed" | "improved";
  case_id: string;
  category: string;
  input_chars: number | null;
  before_score: number | null;
  after_score: number | null;
  excerpt: string | null;
  reason: string | null;
  error: string | null;
};

/** One pair's changed cases as the page lists them: regressed and improved, scores rounded. */
export function changedCasesOf(rows: readonly ChangedCaseRow[], pair: {before: string; after: string}) {
  const mine = rows.filter((c) => c.before_run === pair.before && c.after_run === pair.after);
  const strip = ({before_run: _b, after_run: _a, change: _c, ...c}: ChangedCaseRow) => ({
    ...c,
    before_score: round(c.before_score, 3),
    after_score: round(c.after_score, 3)
  });
  return {
    regressed_cases: mine.filter((c) => c.change === "regressed").map(strip),
    improved_cases: mine.filter((c) => c.change === "improved").map(strip)
  };
}

/**
 * A run's case as the build's eval_case holds it (CASE_OUTCOME_SQL's columns): its verdict, mean
 * score, results (epochs), passing results and errored results. The filtered page counts a slice's
 * runs from these (runCountsOn), packed at build beside the outcomes (loaders/queries/triageOutcomes.ts).
 */
export type CaseFigure = [
  passed: boolean | null,
  score: number | null,
  results: number,
  result_passes: number,
  errored_results: number
];

/**
 * A run's counts on the kept cases, as RUN_COUNTS_SQL counts them over eval_case: `cases` holds, per
 * case of the suite, 0 when the run did not grade it, else k for figures[k - 1]. Null when the run
 * graded no kept case (a warehouse of the slice would not hold the run). The mean is a plain sum over
 * the count and the deviation Welford's update, as DuckDB's avg and stddev_samp compute them.
 */
export function runCountsOn(
  figures: readonly CaseFigure[],
  cases: ArrayLike<number>,
  keep: readonly boolean[]
): RunCounts | null {
  const c: RunCounts = {
    n: 0,
    passes: 0,
    results: 0,
    result_passes: 0,
    mean_score: null,
    sd_score: null,
    n_scored: 0,
    errored_results: 0,
    errored_cases: 0
  };
  let sum = 0;
  let mean = 0;
  let squares = 0;
  // A loop over every case of the suite (up to 38k at 1M eval results), for every run, on each filter change.
  for (let i = 0; i < cases.length; i++) {
    const k = cases[i];
    if (k === 0 || !keep[i]) continue;
    const [passed, score, results, resultPasses, erroredResults] = figures[k - 1];
    c.n++;
    if (passed === true) c.passes++;
    c.results += results;
    c.result_passes += resultPasses;
    c.errored_results += erroredResults;
    if (erroredResults > 0) c.errored_cases++;
    if (score === null) continue;
    c.n_scored++;
    sum += score;
    const next = mean + (score - mean) / c.n_scored;
    squares += (score - next) * (score - mean);
    mean = next;
  }
  if (c.n === 0) return null;
  if (c.n_scored > 0) c.mean_score = sum / c.n_scored;
  if (c.n_scored > 1) c.sd_score = Math.sqrt(squares / (c.n_scored - 1));
  return c;
}

/** A case of the pair whose verdict flipped, as changedPickSql picks it: its index in the suite's case order. */
export type ChangedPick = {
  change: "regressed" | "improved";
  index: number;
  before_score: number | null;
  after_score: number | null;
};

/**
 * The pair's cases among the kept ones whose verdict flipped, at most `limit` per direction, the
 * biggest score change first, then by case id (the suite's case order is DuckDB's order of case_id):
 * changedPickSql over eval_case, in CHANGED_ORDER. `before` and `after` index `figures` as in runCountsOn.
 */
export function changedPicks(
  figures: readonly CaseFigure[],
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  keep: readonly boolean[],
  limit = CHANGED_CASES
): ChangedPick[] {
  const picks: (ChangedPick & {by: number})[] = [];
  for (let i = 0; i < before.length; i++) {
    if (!keep[i] || !flipped(figures, before[i], after[i])) continue;
    const [bp, bs] = figures[before[i] - 1];
    const [, as] = figures[after[i] - 1];
    const by = Math.abs((as ?? 0) - (bs ?? 0));
    picks.push({change: bp ? "regressed" : "improved", index: i, before_score: bs, after_score: as, by});
  }
  picks.sort((x, y) => (x.change < y.change ? -1 : x.change > y.change ? 1 : y.by - x.by || x.index - y.index));
  const taken = {regressed: 0, improved: 0};
  return picks.filter((p) => ++taken[p.change] <= Math.floor(limit)).map(({by: _, ...p}) => p);
}

/**
 * Whether a case whose figures in the pair's runs are `a` and `b` (indexes as in runCountsOn) changed
 * verdict: both runs graded it, with a verdict, and the verdicts differ (changedPickSql's `bp <> ap`).
 */
export function flipped(figures: readonly CaseFigure[], a: number, b: number): boolean {
  if (a === 0 || b === 0) return false;
  const [bp, ap] = [figures[a - 1][0], figures[b - 1][0]];
  return bp !== null && ap !== null && bp !== ap;
}

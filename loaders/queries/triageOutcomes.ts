// Eval triage against a chosen baseline: any two runs of a suite, picked on the page. Precomputing
// every pair grows with the square of the runs (a suite with 200 runs has 19,900), so the page gets
// each run's per-case outcomes, packed two bits a case (src/lib/outcomes.ts), and the cases' categories,
// and compares the pair in the browser (src/components/triageCompare.ts). Each run also names its
// default baseline: the previous comparable run, not merely the previous timestamp.
import {canonicalModel} from "../schema/modelName.js";
import {packOutcomes, type Outcome} from "../../src/lib/outcomes.js";
import {packBits} from "../../src/lib/packedBits.js";
import type {CaseFigure} from "../../src/lib/triageRuns.js";
import type {Database} from "../warehouse/duckdb.js";
import {lengthBucketLabels, lengthBucketSql, prepareEvalTables} from "./evalTables.js";

type RunRow = {
  suite: string;
  run_id: string;
  eval_id: string;
  option: string;
  model: string;
  started_at: string;
  dataset_version: string | null;
  codes: string;
};

/** Tags that describe how a run ended (Inspect's status), not what a case is about: no filter of cases. */
const RUN_TAG = /^inspect-status:/;

/** A suite's case: its category, input-length bucket and tags. */
type CaseRow = {suite: string; case_id: string; category: string; bucket: number | null; tags: string | null};

export async function triageOutcomes(db: Database) {
  await prepareEvalTables(db);
  // A case's length and tags are the case's, whichever run graded it: the least length any run
  // recorded (the build's pairs take the earlier run's, which is the same unless a source disagrees),
  // and every tag any run gave it.
  const cases = await db.query<CaseRow>(
    `SELECT c.suite,
       c.case_id,
       min(c.category) AS category,
       ${lengthBucketSql("min(c.input_chars)")} AS bucket,
       t.tags
     FROM eval_case c
     LEFT JOIN (
       SELECT suite, case_id, string_agg(DISTINCT tags, ',' ORDER BY tags) AS tags
       FROM eval_results
       WHERE tags IS NOT NULL
       GROUP BY suite, case_id
     ) t USING (suite, case_id)
     GROUP BY c.suite, c.case_id, t.tags
     ORDER BY c.suite, c.case_id`
  );
  const runs = await db.query<RunRow>(
    `WITH idx AS (
       SELECT suite, case_id, row_number() OVER (PARTITION BY suite ORDER BY case_id) AS i
       FROM (SELECT DISTINCT suite, case_id FROM eval_case)
     )
     SELECT r.suite,
       r.run_id,
       r.eval_id,
       r.option,
       r.model,
       r.started_at,
       r.dataset_version,
       string_agg(CASE WHEN c.passed THEN '2' WHEN NOT c.passed THEN '1' ELSE '0' END, '' ORDER BY x.i) AS codes
     FROM eval_run r
     JOIN idx x ON x.suite = r.suite
     LEFT JOIN eval_case c ON c.run_id = r.run_id AND c.case_id = x.case_id
     GROUP BY ALL
     ORDER BY r.suite, r.started_at, r.run_id`
  );
  const suites = [...new Set(cases.map((c) => c.suite))].map((suite) => {
    const mine = cases.filter((c) => c.suite === suite);
    const categories = [...new Set(mine.map((c) => c.category))].sort();
    const suiteRuns = runs.filter((r) => r.suite === suite);
    return {
      suite,
      cases: mine.length,
      categories,
      /** The cases' ids in the suite's case order, so the page can list and link the changed cases of any pair. */
      case_ids: mine.map((c) => c.case_id),
      /** Each case's category, as an index into `categories`, in the suite's case order. */
      case_categories: mine.map((c) => categories.indexOf(c.category)),
      /** Each case's input-length bucket, as an index into `length_buckets`; the last label is "unknown length". */
      case_buckets: mine.map((c) => c.bucket ?? unknownBucket),
      /** Each tag and the cases (indexes in the suite's case order) that carry it: sparse, as most cases carry none. */
      tags: caseTags(mine),
      runs: suiteRuns.map((r) => ({
        run_id: r.run_id,
        dataset_version: r.dataset_version,
        default_baseline: previousComparable(r, suiteRuns),
        outcomes: packOutcomes([...r.codes].map((c) => Number(c) as Outcome))
      }))
    };
  });
  return {length_buckets: [...bucketLabels, "unknown length"], suites};
}

/** Each suite's cases (suite, case_id) with their index `i` in the suite's case order, from 0: the order of case_id. */
export const CASE_INDEX_SQL = `SELECT suite, case_id, (row_number() OVER (PARTITION BY suite ORDER BY case_id) - 1)::INTEGER AS i
       FROM (SELECT DISTINCT suite, case_id FROM eval_case)`;

/** One of a suite's distinct case figures (as eval_case holds a run's case), with its number from 1. */
type FigureRow = {
  suite: string;
  figure: number;
  passed: boolean | null;
  score: number | null;
  results: number;
  result_passes: number;
  errored_results: number;
};

/**
 * What a filter recomputes each run's figures and lists the pair's changed cases from, in the browser
 * without DuckDB-wasm (src/components/triageRunSlice.ts): each run's cases as eval_case holds them
 * (CaseFigure), in the suite's case order of triageOutcomes. Each suite lists its distinct figures
 * once, and a run holds per case an index into them (0: not graded), packed in as few bits as the
 * count needs: at 1M eval results (82k cases, 37 runs, 945 distinct figures in the largest suite)
 * about 1.2 MB, a separate file that only the first filter fetches.
 */
export async function triageCaseFigures(db: Database) {
  await prepareEvalTables(db);
  // The suites, their case order and their runs are triageOutcomes': every case some run graded, by
  // case_id, and each run in its eval_run suite (a run whose cases name several suites is in one).
  // Runs are numbered in the order the file lists them (suite, start, id).
  await db.run(`CREATE OR REPLACE TEMP TABLE triage_figure_runs AS
     WITH idx AS (${CASE_INDEX_SQL})
     SELECT *, (row_number() OVER (ORDER BY suite, started_at, run_id) - 1)::INTEGER AS run_no
     FROM (
       SELECT r.suite, r.run_id, r.started_at, count(*)::INTEGER AS cases
       FROM eval_run r
       JOIN idx x ON x.suite = r.suite
       GROUP BY ALL
     )`);
  // Each graded case with its figure's number in its suite: the suite's distinct figures are numbered
  // from 1 in the order they first appear by run id, then case. A figure is its five values, compared
  // as a window's partition compares them (two NULLs alike, -0 as 0).
  await db.run(`CREATE OR REPLACE TEMP TABLE triage_figure_cases AS
     WITH idx AS (${CASE_INDEX_SQL}),
     graded AS (
       SELECT r.suite, r.run_no, x.i, c.passed, c.score, c.results, c.errored_results, c.result_passes,
         row_number() OVER (ORDER BY r.suite, r.run_id, x.i) AS pos
       FROM triage_figure_runs r
       JOIN idx x ON x.suite = r.suite
       JOIN eval_case c ON c.run_id = r.run_id AND c.case_id = x.case_id
     ),
     firsts AS (
       SELECT *, min(pos) OVER (PARTITION BY suite, passed, score, results, errored_results, result_passes) AS first
       FROM graded
     )
     SELECT *, dense_rank() OVER (PARTITION BY suite ORDER BY first)::INTEGER AS figure
     FROM firsts`);
  const runs = await db.query<{suite: string; run_id: string; cases: number}>(
    `SELECT suite, run_id, cases FROM triage_figure_runs ORDER BY run_no`
  );
  const figureRows = await db.query<FigureRow>(
    `SELECT DISTINCT suite, figure, passed, score, results, errored_results, result_passes
     FROM triage_figure_cases
     ORDER BY suite, figure`
  );
  // The cases themselves (millions at scale) as typed arrays: a JavaScript object per case took seconds.
  const cases = await db.intColumns(`SELECT run_no, i, figure FROM triage_figure_cases`);
  // One statement a call: the pages' price watcher plans each statement it is given (priceReads.ts).
  await db.run(`DROP TABLE triage_figure_cases`);
  await db.run(`DROP TABLE triage_figure_runs`);
  const byRun = runs.map((r) => new Uint32Array(r.cases));
  for (let k = 0; k < cases.run_no.length; k++) byRun[cases.run_no[k]][cases.i[k]] = cases.figure[k];
  const suites = [...new Set(runs.map((r) => r.suite))];
  return {
    suites: suites.map((suite) => {
      const figures: CaseFigure[] = figureRows
        .filter((f) => f.suite === suite)
        .map(({passed, score, results, result_passes, errored_results}) => [
          passed,
          score,
          results,
          result_passes,
          errored_results
        ]);
      // Scores that are all distinct (a continuous grader's) make the list as long as the cases: the file
      // then grows with the results (about 25 bytes a case) instead of staying near 10 bits a case.
      if (figures.length >= 2 ** 24)
        throw new Error(
          `eval triage: suite ${suite} has ${figures.length} distinct case figures, more than 2 ** 24 - 1`
        );
      const bits = Math.ceil(Math.log2(figures.length + 1));
      return {
        suite,
        figures,
        bits,
        runs: runs.flatMap((r, n) => (r.suite === suite ? [{run_id: r.run_id, cases: packBits(byRun[n], bits)}] : []))
      };
    })
  };
}

const bucketLabels = lengthBucketLabels();
const unknownBucket = bucketLabels.length;

/** Each tag and the cases (indexes in the given order) that carry it, without the run-status tags. */
export function caseTags(cases: readonly {tags: string | null}[]): {tag: string; cases: number[]}[] {
  const byTag = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const tags = new Set((c.tags ?? "").split(",").map((t) => t.trim()));
    for (const tag of tags) {
      if (!tag || RUN_TAG.test(tag)) continue;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(i);
    }
  });
  return [...byTag].sort(([a], [b]) => (a < b ? -1 : 1)).map(([tag, cases]) => ({tag, cases}));
}

/**
 * The run a PM most likely wants to compare with: the latest earlier run of another eval with the
 * same option, else of the same model (snapshots count as their model), else the latest earlier run.
 * Runs of the same eval, or started at the same moment (a bake-off launched at once), are options
 * side by side, never each other's baseline.
 */
export function previousComparable(
  run: Pick<RunRow, "run_id" | "eval_id" | "option" | "model" | "started_at">,
  runs: readonly Pick<RunRow, "run_id" | "eval_id" | "option" | "model" | "started_at">[]
): string | null {
  const earlier = runs
    .filter((r) => r.eval_id !== run.eval_id && r.started_at < run.started_at)
    .sort((a, b) =>
      a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : a.run_id < b.run_id ? 1 : -1
    );
  const pick =
    earlier.find((r) => r.option === run.option) ??
    earlier.find((r) => canonicalModel(r.model) === canonicalModel(run.model)) ??
    earlier[0];
  return pick?.run_id ?? null;
}

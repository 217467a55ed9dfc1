// Monday triage: every run of every suite with its pass rate (Wilson) and mean score (t interval),
// and for each suite's most recent consecutive run pairs the paired comparison — what regressed,
// what improved, which slices (category, input length) explain it — plus a pass-rate grid of the
// latest run of each model × prompt version by input length and by category, where a prompt that
// broke long inputs shows as one red corner.
import type {Database} from "../warehouse/duckdb.js";
import {prepareEvalTables, lengthBucketLabels, lengthBucketSql, type EvalRunRow} from "./evalTables.js";
import {gridCell, pairChange, type GridCount, type Slice} from "../../src/lib/triageSlices.js";
import {
  CHANGED_CASES,
  EXCERPT_CHARS,
  changedCasesOf,
  changedCasesSql,
  runFigures,
  type ChangedCaseRow
} from "../../src/lib/triageRuns.js";

export interface TriageOptions {
  /** Consecutive evals whose run pairs are kept per suite, newest first; defaults to 12. */
  pairsPerSuite?: number;
  /** Regressed (and improved) cases listed per pair; defaults to 40. */
  casesPerPair?: number;
  /** Characters of output shown per case; defaults to 120. */
  excerptChars?: number;
}

const bucketLabels = lengthBucketLabels();

/** The eval triage page's data (src/data/eval-triage.json.ts); components import this type, not a copy. */
export type EvalTriagePage = Awaited<ReturnType<typeof evalTriage>>;

/** A run pair's cases overall, in one category or in one length bucket: counts before and after. */
type SliceCountsRow = Slice & {before_run: string; after_run: string; bucket: number | null};

/** Two runs triage compares, the later one's eval numbered seq within its suite. */
type PairRow = {suite: string; before_run: string; after_run: string; seq: number};

export async function evalTriage(
  db: Database,
  _workspace?: unknown,
  {pairsPerSuite = 12, casesPerPair = CHANGED_CASES, excerptChars = EXCERPT_CHARS}: TriageOptions = {}
) {
  await prepareEvalTables(db);
  const runs = await runList(db);
  await prepareTriagePairs(db, pairsPerSuite);
  const counts = await db.query<SliceCountsRow>(`SELECT before_run,
      after_run,
      CASE WHEN grouping(category) = 0 THEN 'category' WHEN grouping(bucket) = 0 THEN 'length' ELSE 'all' END AS dimension,
      category AS value,
      bucket,
      count(*)::INTEGER AS n,
      count(*) FILTER (WHERE bp)::INTEGER AS before_passes,
      count(*) FILTER (WHERE ap)::INTEGER AS after_passes,
      count(*) FILTER (WHERE bp AND NOT ap)::INTEGER AS regressed,
      count(*) FILTER (WHERE ap AND NOT bp)::INTEGER AS improved
    FROM triage_joined
    GROUP BY GROUPING SETS ((before_run, after_run), (before_run, after_run, category), (before_run, after_run, bucket))
    ORDER BY before_run, after_run, dimension, bucket, value`);
  const cases = await changedCases(db, casesPerPair, excerptChars);
  const pairs = await db.query<PairRow>(`SELECT *
    FROM triage_pair
    ORDER BY suite, seq DESC, after_run`);
  const runById = new Map(runs.map((r) => [r.run_id, r]));
  const comparisons = pairs.map((p) => {
    const mine = counts.filter((c) => c.before_run === p.before_run && c.after_run === p.after_run);
    const slices = mine
      .filter((c) => c.dimension !== "all")
      .map((c) => ({
        ...c,
        value: c.dimension === "length" ? (c.bucket === null ? "unknown length" : bucketLabels[c.bucket]) : c.value
      }));
    return comparison(
      p,
      mine.find((c) => c.dimension === "all"),
      slices,
      runById,
      cases
    );
  });
  const evals = sideBySide(runs);
  return {
    lengthBuckets: bucketLabels,
    suites: byAttention(suiteList(runs, evals), comparisons),
    runs,
    comparisons,
    evals,
    grid: await systemGrid(db)
  };
}

type Comparison = ReturnType<typeof comparison>;

/** Suites whose latest run pair dropped significantly first (the smallest p first), then the most recent. */
function byAttention(suites: ReturnType<typeof suiteList>, comparisons: readonly Comparison[]) {
  const withLatest = suites.map((s) => {
    const c = comparisons.find((x) => x.suite === s.suite);
    const latest = c
      ? {
          before: c.before,
          after: c.after,
          delta: c.delta,
          p_value: c.p_value,
          kind: c.explanation.kind,
          direction: c.explanation.direction,
          text: c.explanation.text
        }
      : null;
    return {...s, latest};
  });
  const drop = (s: (typeof withLatest)[number]) =>
    s.latest && s.latest.p_value !== null && s.latest.p_value < 0.05 && (s.latest.delta ?? 0) < 0
      ? s.latest.p_value
      : null;
  return withLatest
    .map((s, i) => ({s, i, p: drop(s)}))
    .sort((a, b) => (a.p === null ? 1 : 0) - (b.p === null ? 1 : 0) || (a.p ?? 0) - (b.p ?? 0) || a.i - b.i)
    .map((x) => x.s);
}

type Run = Awaited<ReturnType<typeof runList>>[number];

/** An eval run with the status Inspect gave it (null for other tools). */
type RunRow = EvalRunRow & {status: string | null};

async function runList(db: Database) {
  const rows = await db.query<RunRow>(
    `SELECT r.suite,
       r.feature,
       r.run_id,
       r.eval_id,
       r.option,
       r.started_at,
       r.model,
       r.prompt_version,
       r.dataset_version,
       r.n,
       r.passes,
       r.results,
       r.result_passes,
       r.mean_score,
       r.sd_score,
       r.n_scored,
       r.errored_results,
       r.errored_cases,
       s.status
     FROM eval_run r
     LEFT JOIN (
       SELECT run_id, max(regexp_extract(tags, 'inspect-status:([a-z]+)', 1)) AS status
       FROM eval_results
       WHERE tags LIKE '%inspect-status:%'
       GROUP BY run_id
     ) s USING (run_id)
     ORDER BY r.suite, r.started_at, r.run_id`
  );
  // The same figures as a filtered slice's runs on the page (src/lib/triageRuns.ts).
  return rows.map(({passes, results, result_passes, mean_score, sd_score, n_scored, ...r}) => ({
    ...r,
    ...runFigures({...r, passes, results, result_passes, mean_score, sd_score, n_scored})
  }));
}

function suiteList(runs: readonly Run[], evals: readonly SideBySide[]) {
  const suites = new Map<
    string,
    {
      suite: string;
      feature: string;
      runs: number;
      evals: number;
      latest_at: string;
      latest_eval: string;
      side_by_side: {eval_id: string; options: number} | null;
    }
  >();
  const evalIds = new Map<string, Set<string>>();
  for (const r of runs) {
    const s = suites.get(r.suite) ?? {
      suite: r.suite,
      feature: r.feature,
      runs: 0,
      evals: 0,
      latest_at: r.started_at,
      latest_eval: r.eval_id,
      side_by_side: null
    };
    s.runs++;
    evalIds.set(r.suite, (evalIds.get(r.suite) ?? new Set()).add(r.eval_id));
    if (r.started_at > s.latest_at) [s.latest_at, s.latest_eval] = [r.started_at, r.eval_id];
    suites.set(r.suite, s);
  }
  for (const s of suites.values()) {
    s.evals = evalIds.get(s.suite)!.size;
    const latest = evals.find((e) => e.suite === s.suite && e.eval_id === s.latest_eval);
    s.side_by_side = latest ? {eval_id: latest.eval_id, options: latest.options.length} : null;
  }
  return [...suites.values()].sort((a, b) =>
    b.latest_at < a.latest_at ? -1 : b.latest_at > a.latest_at ? 1 : a.suite < b.suite ? -1 : 1
  );
}

/**
 * The temporary tables triage_pair (each suite's consecutive run pairs of its latest `pairsPerSuite`
 * evals) and triage_joined (each pair's cases both runs graded, with both verdicts and scores), which
 * the page's figures and the listed cases' texts file (triageTexts.ts) are both read from.
 */
export async function prepareTriagePairs(db: Database, pairsPerSuite = 12): Promise<void> {
  // Consecutive evals, not consecutive runs: the runs of one eval (promptfoo's provider × prompt
  // columns) are options side by side, so none of them comes "after" another. Between two evals, a
  // run is compared with the earlier run of the same option; two single-run evals are compared
  // whatever changed between them (a new model or prompt is the change triage explains).
  await db.run(`CREATE OR REPLACE TEMP TABLE triage_pair AS
    WITH evals AS (
      SELECT suite, eval_id, min(started_at) AS started_at, count(*) AS options
      FROM eval_run
      GROUP BY suite, eval_id
    ),
    ordered AS (
      SELECT *,
        row_number() OVER (PARTITION BY suite ORDER BY started_at, eval_id) AS seq,
        count(*) OVER (PARTITION BY suite) AS evals
      FROM evals
    )
    SELECT a.suite,
      ra.run_id AS before_run,
      rb.run_id AS after_run,
      b.seq::INTEGER AS seq
    FROM ordered a
    JOIN ordered b ON a.suite = b.suite AND b.seq = a.seq + 1
    JOIN eval_run ra ON ra.suite = a.suite AND ra.eval_id = a.eval_id
    JOIN eval_run rb ON rb.suite = b.suite AND rb.eval_id = b.eval_id
    WHERE b.seq > b.evals - ${Math.floor(pairsPerSuite)}
      AND ((a.options = 1 AND b.options = 1) OR ra.option = rb.option)`);
  await db.run(`CREATE OR REPLACE TEMP TABLE triage_joined AS
    SELECT p.suite,
      p.before_run,
      p.after_run,
      a.case_id,
      a.category,
      ${lengthBucketSql("coalesce(a.input_chars, b.input_chars)")} AS bucket,
      coalesce(a.input_chars, b.input_chars) AS input_chars,
      a.passed AS bp,
      b.passed AS ap,
      a.score AS bs,
      b.score AS as_
    FROM triage_pair p
    JOIN eval_case a ON a.run_id = p.before_run
    JOIN eval_case b ON b.run_id = p.after_run AND b.case_id = a.case_id`);
}

type SideBySide = ReturnType<typeof sideBySide>[number];

/** Evals that graded several options on the same cases (promptfoo's provider × prompt columns):
 * their runs are read side by side, best per-case pass rate first, and compared on Model bake-off. */
function sideBySide(runs: readonly Run[]) {
  const groups = new Map<string, Run[]>();
  for (const r of runs)
    groups.set(`${r.suite}\u0000${r.eval_id}`, [...(groups.get(`${r.suite}\u0000${r.eval_id}`) ?? []), r]);
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({
      suite: g[0].suite,
      eval_id: g[0].eval_id,
      started_at: g.reduce((m, r) => (r.started_at < m ? r.started_at : m), g[0].started_at),
      options: [...g]
        .sort((a, b) => (b.pass.rate ?? -1) - (a.pass.rate ?? -1) || (a.option < b.option ? -1 : 1))
        .map((r) => ({
          option: r.option,
          run_id: r.run_id,
          model: r.model,
          prompt_version: r.prompt_version,
          pass: r.pass,
          result_pass: r.result_pass,
          errored: r.errored_cases
        }))
    }));
}

/** Every pair's changed cases, by the SQL the page's filtered slice runs too (src/lib/triageRuns.ts). */
const changedCases = (db: Database, limit: number, excerptChars: number) =>
  db.query<ChangedCaseRow>(changedCasesSql("triage_joined", "eval_results", limit, excerptChars));

function comparison(
  pair: {suite: string; before_run: string; after_run: string},
  all: Slice | undefined,
  slices: Slice[],
  runs: Map<string, Run>,
  cases: readonly ChangedCaseRow[]
) {
  const before = runs.get(pair.before_run)!;
  const after = runs.get(pair.after_run)!;
  const overall = all ?? {
    n: 0,
    before_passes: 0,
    after_passes: 0,
    regressed: 0,
    improved: 0,
    dimension: "all",
    value: "all"
  };
  // The same shaping as a filtered slice's on the page (src/lib/triageSlices.ts).
  const change = pairChange(overall, slices);
  const changed = (key: "model" | "prompt_version" | "dataset_version") =>
    before[key] !== after[key] ? {from: before[key], to: after[key]} : null;
  return {
    suite: pair.suite,
    before: pair.before_run,
    after: pair.after_run,
    changed: {
      model: changed("model"),
      prompt_version: changed("prompt_version"),
      dataset_version: changed("dataset_version")
    },
    shared: overall.n,
    only_before: before.n - overall.n,
    only_after: after.n - overall.n,
    before_rate: change.overall.before,
    after_rate: change.overall.after,
    delta: change.overall.delta,
    regressed: overall.regressed,
    improved: overall.improved,
    p_value: change.overall.p_value,
    explanation: change.explanation,
    slices: change.slices,
    ...changedCasesOf(cases, {before: pair.before_run, after: pair.after_run})
  };
}

/** Pass rate of the latest run of each model × prompt version, by input length and by category. */
async function systemGrid(db: Database) {
  const rows = await db.query<GridCount>(
    `SELECT o.suite,
       o.option,
       o.model,
       o.prompt_version,
       o.run_id,
       o.started_at,
       CASE WHEN grouping(c.category) = 0 THEN 'category' ELSE 'length' END AS dimension,
       c.category,
       ${lengthBucketSql("c.input_chars")} AS bucket,
       count(*)::INTEGER AS n,
       count(*) FILTER (WHERE c.passed)::INTEGER AS passes
     FROM eval_option o
     JOIN eval_case c USING (run_id)
     GROUP BY GROUPING SETS (
       (o.suite, o.option, o.model, o.prompt_version, o.run_id, o.started_at, c.category),
       (o.suite, o.option, o.model, o.prompt_version, o.run_id, o.started_at, bucket)
     )
     ORDER BY o.suite, o.started_at, o.option, dimension, bucket, c.category`
  );
  // The same shaping as a filtered grid's on the page (src/lib/triageSlices.ts).
  return rows.map((r) => gridCell(r, bucketLabels));
}

/**
 * The page's data with the page's defaults, as one function of the warehouse: the query the eval
 * triage page and the brief share in a build (loaders/pages/shared.ts hands a query a third argument,
 * which is not evalTriage's options).
 */
export const evalTriagePage = (db: Database): Promise<EvalTriagePage> => evalTriage(db);

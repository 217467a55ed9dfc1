// Eval triage's page files. The page shows one suite at a time, but its data used to hold every run of
// every suite twice over (eval-triage.json's runs, pairs and grid; eval-triage-outcomes.json's per-case
// outcomes), fetched whole when the page opened: at 5M eval results (5,000 runs) 2.83 + 2.17 MB, growing
// with the runs. Now eval-triage.json holds what the page shows before a suite is chosen (the suites at
// a glance, and the runs their latest pairs name) and where each suite's block lies in
// eval-triage-suites.json (src/lib/blocksFile.ts), whose block for the chosen suite alone the page
// fetches: the page's transfer grows with the largest suite, not with the workspace. The runs' case
// figures, which a filter recomputes the runs from (triageCaseFigures), are laid out the same way in
// eval-triage-cases.json, and the first filter of a suite reads that suite's alone.
//
// The two files together hold evalTriage's result exactly (joinTriage), so a build whose triage files
// are current reads that result back for the pages that reuse it (the brief) instead of computing it.
import type {Workspace} from "../workspace/config.js";
import type {Database} from "../warehouse/duckdb.js";
import {sharedOr, type SharedResults} from "../pages/shared.js";
import {blocksLayout, type BlockPlace} from "../../src/lib/blocksFile.js";
import {fromColumns, toColumns, type Columns} from "../../src/lib/columns.js";
import {evalTriagePage, type EvalTriagePage} from "./evalTriage.js";
import {triageCaseFigures, triageOutcomes} from "./triageOutcomes.js";

type Outcomes = Awaited<ReturnType<typeof triageOutcomes>>;
type CaseFigures = Awaited<ReturnType<typeof triageCaseFigures>>;

/** One suite's part of the page: its runs, pairs, side-by-side evals, grid and per-case outcomes. */
export type TriageSuite = {
  suite: string;
  runs: EvalTriagePage["runs"];
  comparisons: EvalTriagePage["comparisons"];
  evals: EvalTriagePage["evals"];
  grid: EvalTriagePage["grid"];
  outcomes: Outcomes["suites"][number];
};

/**
 * A suite as eval-triage-suites.json holds it: its runs as columns (src/lib/columns.ts), since they grow
 * with the suite's history and their key names were half their bytes; the page takes it back with
 * suiteOf (src/components/triageSuites.ts).
 */
export type TriageSuiteBlock = Omit<TriageSuite, "runs"> & {runs: Columns<TriageSuite["runs"][number]>};

/** eval-triage.json: what the page shows before a suite is chosen, and where each suite's block is. */
export type TriageOverview = {
  lengthBuckets: EvalTriagePage["lengthBuckets"];
  /** The outcomes' length buckets: lengthBuckets and "unknown length", which the filters index. */
  length_buckets: Outcomes["length_buckets"];
  suites: EvalTriagePage["suites"];
  /** The runs the suites' latest pairs name, for the suites table's labels. */
  runs: EvalTriagePage["runs"];
  blocks: (BlockPlace & {suite: string})[];
  /** Where each suite's case figures lie in eval-triage-cases.json, which the first filter of a suite reads. */
  case_blocks: (BlockPlace & {suite: string})[];
};

/**
 * The files of evalTriage's result, triageOutcomes' and triageCaseFigures'. Every list of both is ordered by suite
 * first (their SQL's ORDER BY suite), so each suite's block holds a contiguous run of each list, and
 * the blocks follow the outcomes' suites (every suite some case names, a superset of the runs').
 */
export function splitTriage(
  page: EvalTriagePage,
  outcomes: Outcomes,
  caseFigures: CaseFigures
): {overview: TriageOverview; suites: TriageSuiteBlock[]; cases: CaseFigures["suites"]} {
  const bySuite = <T extends {suite: string}>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) {
      if (!map.has(r.suite)) map.set(r.suite, []);
      map.get(r.suite)!.push(r);
    }
    return (suite: string) => map.get(suite) ?? [];
  };
  const [runs, comparisons, evals, grid] = [
    bySuite(page.runs),
    bySuite(page.comparisons),
    bySuite(page.evals),
    bySuite(page.grid)
  ];
  const suites = outcomes.suites.map((o) => ({
    suite: o.suite,
    runs: toColumns(runs(o.suite)),
    comparisons: comparisons(o.suite),
    evals: evals(o.suite),
    grid: grid(o.suite),
    outcomes: o
  }));
  const named = new Set(page.suites.flatMap((s) => (s.latest ? [s.latest.before, s.latest.after] : [])));
  const places = blocksLayout(suites);
  const casePlaces = blocksLayout(caseFigures.suites);
  return {
    overview: {
      lengthBuckets: page.lengthBuckets,
      length_buckets: outcomes.length_buckets,
      suites: page.suites,
      runs: page.runs.filter((r) => named.has(r.run_id)),
      blocks: suites.map((s, k) => ({suite: s.suite, ...places[k]})),
      case_blocks: caseFigures.suites.map((s, k) => ({suite: s.suite, ...casePlaces[k]}))
    },
    suites,
    cases: caseFigures.suites
  };
}

/** evalTriage's result from its two files (splitTriage's parts): the lists are the blocks' in order. */
export function joinTriage(overview: TriageOverview, suites: readonly TriageSuiteBlock[]): EvalTriagePage {
  return {
    lengthBuckets: overview.lengthBuckets,
    suites: overview.suites,
    runs: suites.flatMap((s) => fromColumns(s.runs)),
    comparisons: suites.flatMap((s) => s.comparisons),
    evals: suites.flatMap((s) => s.evals),
    grid: suites.flatMap((s) => s.grid)
  };
}

/** The three files, computed once a build (a named query, which SharedResults shares between their pages). */
export async function triageFiles(db: Database, workspace: Workspace, shared?: SharedResults) {
  return splitTriage(
    await sharedOr(shared, evalTriagePage, db, workspace),
    await triageOutcomes(db),
    await triageCaseFigures(db)
  );
}

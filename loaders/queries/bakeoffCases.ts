// What the bake-off page needs to recompute a filtered slice in the browser (src/components/bakeoffSlice.ts),
// for each suite and the latest run of each option. Per case, what a slice's pairing and resampling
// need case by case: the verdicts (epochs reduced to a majority, as eval_case does) packed two bits a
// case, and the scores in case order (what the mean score's seeded bootstrap resamples, so it must see
// them in the build's order), as indexes into the suite's distinct scores (src/lib/packedBits.ts
// packDistinct, as eval triage packs its case figures). A filter (category, tag) keeps or drops whole
// cells of cases that share a category and a tag set, so everything else is kept per cell: the sums and
// counts over requests (cost, tokens, errors, refusals, results not passed, cases answered, cost
// sources), and the latencies, whose figures are all percentiles and so need no order: sorted, as
// exponential-Golomb gaps between ranks of the suite's sorted latencies (packSortedGaps), a few bits each. At
// 1M eval results (228k requests, 82k cases, 9 options) that is 0.59 MB, against 8.9 MB when every
// request's cost and tokens were listed. The page fetches this file only once a filter is set, so an
// unfiltered bake-off transfers what it did before. Beside them, the production figures of the suite's
// feature for the options' models, over all its traced requests and per category, for the
// eval-against-production table on a category.
import {canonicalModel} from "../../src/lib/modelName.js";
import {packOutcomes, type Outcome} from "../../src/lib/outcomes.js";
import {packBits, packDistinct, packSortedGaps} from "../../src/lib/packedBits.js";
import type {Database} from "../warehouse/duckdb.js";
import {REPORTED_ZERO} from "../warehouse/prices.js";
import {productionByModel} from "./bakeoffProduction.js";
import {prepareEvalTables, type OptionCases} from "./evalTables.js";
import {caseTags} from "./triageOutcomes.js";

type CaseRow = {suite: string; case_id: string; category: string; tags: string | null};
/** An option as evalTables' OptionCases names it, with its cases' outcome codes and scores in case order. */
type OptionRow = Pick<
  OptionCases,
  "suite" | "feature" | "option" | "model" | "prompt_version" | "run_id" | "started_at"
> & {
  codes: string;
  scores: (number | null)[];
};
type RequestRow = {
  suite: string;
  run_id: string;
  i: number;
  latency_ms: number | null;
  cost_usd: number | null;
  zero: boolean;
  cost_source: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  errored: boolean;
  refused: boolean | null;
  passed: boolean;
};

/** The bake-off's data for filters (src/data/bakeoff-cases.json.ts). */
export type BakeoffCasesPage = Awaited<ReturnType<typeof bakeoffCases>>;

export async function bakeoffCases(db: Database) {
  await prepareEvalTables(db);
  await db.run(`CREATE OR REPLACE TEMP TABLE bakeoff_case_index AS
    SELECT suite, case_id, (row_number() OVER (PARTITION BY suite ORDER BY case_id) - 1)::INTEGER AS i
    FROM (SELECT DISTINCT c.suite, c.case_id FROM eval_case c SEMI JOIN eval_option o ON o.run_id = c.run_id)`);
  const cases = await db.query<CaseRow>(
    `SELECT x.suite, x.case_id, min(c.category) AS category, any_value(t.tags) AS tags
     FROM bakeoff_case_index x
     JOIN eval_case c ON c.suite = x.suite AND c.case_id = x.case_id
     SEMI JOIN eval_option o ON o.run_id = c.run_id
     LEFT JOIN (
       SELECT e.suite, e.case_id, string_agg(DISTINCT e.tags, ',' ORDER BY e.tags) AS tags
       FROM eval_results e
       SEMI JOIN eval_option o ON o.run_id = e.run_id
       WHERE e.tags IS NOT NULL
       GROUP BY e.suite, e.case_id) t ON t.suite = x.suite AND t.case_id = x.case_id
     GROUP BY x.suite, x.case_id, x.i
     ORDER BY x.suite, x.i`
  );
  const options = await db.query<OptionRow>(
    `SELECT o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at,
       string_agg(CASE WHEN c.passed THEN '2' WHEN NOT c.passed THEN '1' ELSE '0' END, '' ORDER BY x.i) AS codes,
       list(c.score ORDER BY x.i) AS scores
     FROM eval_option o
     JOIN bakeoff_case_index x ON x.suite = o.suite
     LEFT JOIN eval_case c ON c.run_id = o.run_id AND c.case_id = x.case_id
     GROUP BY ALL
     ORDER BY o.suite, o.option`
  );
  const requests = await db.query<RequestRow>(
    `SELECT e.suite, e.run_id, x.i, e.latency_ms, e.cost_usd, coalesce(e.cost_source = '${REPORTED_ZERO}', false) AS zero,
       e.cost_source, e.input_tokens, e.output_tokens, e.error IS NOT NULL AS errored, e.refused,
       coalesce(e.passed, false) AS passed
     FROM eval_results e
     SEMI JOIN eval_option o ON o.run_id = e.run_id AND o.suite = e.suite
     JOIN bakeoff_case_index x ON x.suite = e.suite AND x.case_id = e.case_id
     ORDER BY e.suite, e.run_id, x.i, e.epoch`
  );
  const byRun = new Map<string, RequestRow[]>();
  // By suite and run: a run whose cases name two suites is an option of each, and a request's case index
  // (x.i) counts within its own suite's cases; keyed by run alone, the other suite's requests fell into
  // cells that do not exist (the hostile workspace's build failed so).
  const runKey = (suite: string, run: string) => JSON.stringify([suite, run]);
  for (const r of requests) {
    const list = byRun.get(runKey(r.suite, r.run_id));
    if (list) list.push(r);
    else byRun.set(runKey(r.suite, r.run_id), [r]);
  }
  const production = [
    ...(await productionByModel(db)).map((p) => ({...p, category: null})),
    ...(await productionByModel(db, {byCategory: true}))
  ];
  const suites = [...new Set(cases.map((c) => c.suite))].map((suite) => {
    const mine = cases.filter((c) => c.suite === suite);
    const categories = [...new Set(mine.map((c) => c.category))].sort();
    const tags = caseTags(mine);
    const {cells, caseCells} = caseCellsOf(
      mine.map((c) => categories.indexOf(c.category)),
      tags.map((t) => t.cases)
    );
    const mineOptions = options.filter((o) => o.suite === suite);
    const feature = mineOptions[0]?.feature ?? suite;
    const models = new Set(mineOptions.map((o) => canonicalModel(o.model)));
    const reqs = mineOptions.map((o) => byRun.get(runKey(suite, o.run_id)) ?? []);
    const scores = packDistinct(
      mineOptions.map((o) => o.scores),
      `bake-off: suite ${suite}'s case scores`
    );
    // The options' distinct latencies, ascending: a cell's latencies are ranks into them.
    const latencies = [...new Set(reqs.flat().flatMap((r) => (r.latency_ms === null ? [] : [r.latency_ms])))].sort(
      (a, b) => a - b
    );
    const rank = new Map(latencies.map((v, k) => [v, k]));
    const cellBits = Math.ceil(Math.log2(cells.length));
    return {
      suite,
      feature,
      /** The feature's traced requests served by the options' models: all of them (category null), then per category. */
      production: production.filter((p) => p.feature === feature && models.has(p.model)),
      cases: mine.length,
      categories,
      /** The cases' tags, without the run-status tags. */
      tags: tags.map((t) => t.tag),
      /**
       * Each distinct category and tag set of the suite's cases (indexes into categories and tags): a filter
       * keeps or drops a cell whole, so the options' sums and counts are kept per cell.
       */
      cells,
      /** Each case's cell (packBits, cell_bits a case), in the suite's case order (by case id). */
      case_cells: packBits(caseCells, cellBits),
      cell_bits: cellBits,
      /** The options' distinct case scores (the mean over a case's epochs, as eval_case), indexed by each option's `scores`. */
      scores: {values: scores.values, bits: scores.bits},
      /** The options' distinct request latencies (ms), ascending: each cell's `latencies` are ranks into them. */
      latencies,
      options: mineOptions.map((o, k) => {
        return {
          option: o.option,
          model: o.model,
          prompt_version: o.prompt_version,
          run_id: o.run_id,
          started_at: o.started_at,
          outcomes: packOutcomes([...o.codes].map((c) => Number(c) as Outcome)),
          /** Each case's score as an index into the suite's `scores` (0: none), in the suite's case order. */
          scores: scores.packed[k],
          requests: {
            /** Each cell's sums and counts over its cases' requests, and their latencies (cellFigures). */
            cells: cellFigures(reqs[k], caseCells, cells.length, rank)
          }
        };
      })
    };
  });
  return {suites};
}

/**
 * The distinct (category, tag set) cells of a suite's cases, in the order first seen, and each case's
 * cell: from each case's category index and each tag's cases (caseTags).
 */
export function caseCellsOf(
  caseCategories: readonly number[],
  tagCases: readonly (readonly number[])[]
): {cells: {category: number; tags: number[]}[]; caseCells: number[]} {
  const tagsOf = caseCategories.map((): number[] => []);
  tagCases.forEach((list, t) => list.forEach((i) => tagsOf[i].push(t)));
  const cells: {category: number; tags: number[]}[] = [];
  const index = new Map<string, number>();
  const caseCells = caseCategories.map((category, i) => {
    const key = JSON.stringify([category, tagsOf[i]]);
    if (!index.has(key)) index.set(key, cells.push({category, tags: tagsOf[i]}) - 1);
    return index.get(key)!;
  });
  return {cells, caseCells};
}

/**
 * An option's requests summed per cell of its cases, as the page needs them for any filter (each keeps
 * whole cells): requests, cases answered, the cost's sum and count over requests that carry one, those
 * that reported $0 without a price, token sums and counts, errors, refusals, refusals not stated, results
 * not passed, and the cost sources seen. Columns, one entry a cell.
 */
function cellFigures(
  requests: readonly RequestRow[],
  caseCells: readonly number[],
  cells: number,
  rank: ReadonlyMap<number, number>
) {
  const zeros = () => Array.from({length: cells}, () => 0);
  const f = {
    requests: zeros(),
    cases: zeros(),
    cost_sum: zeros(),
    cost_n: zeros(),
    reported_zero: zeros(),
    input_tokens_sum: zeros(),
    input_tokens_n: zeros(),
    output_tokens_sum: zeros(),
    output_tokens_n: zeros(),
    errored: zeros(),
    refused: zeros(),
    refusal_unknown: zeros(),
    not_passed: zeros(),
    cost_sources: Array.from({length: cells}, () => new Set<string>()),
    latencies: Array.from({length: cells}, (): number[] => [])
  };
  requests.forEach((r, k) => {
    const c = caseCells[r.i];
    f.requests[c]++;
    if (k === 0 || requests[k - 1].i !== r.i) f.cases[c]++;
    if (r.cost_usd !== null) ((f.cost_sum[c] += r.cost_usd), f.cost_n[c]++);
    if (r.zero) f.reported_zero[c]++;
    if (r.input_tokens !== null) ((f.input_tokens_sum[c] += r.input_tokens), f.input_tokens_n[c]++);
    if (r.output_tokens !== null) ((f.output_tokens_sum[c] += r.output_tokens), f.output_tokens_n[c]++);
    if (r.errored) f.errored[c]++;
    if (r.refused === true) f.refused[c]++;
    if (r.refused === null) f.refusal_unknown[c]++;
    if (!r.passed) f.not_passed[c]++;
    if (r.cost_source !== null) f.cost_sources[c].add(r.cost_source);
    if (r.latency_ms !== null) f.latencies[c].push(rank.get(r.latency_ms)!);
  });
  return {
    ...f,
    cost_sources: f.cost_sources.map((s) => [...s].sort()),
    /** How many requests of the cell have a latency. */
    latency_n: f.latencies.map((l) => l.length),
    /** The cell's latencies as ranks into the suite's `latencies`, sorted (packSortedGaps): percentiles need no order. */
    latencies: f.latencies.map((l) => packSortedGaps(l.sort((a, b) => a - b)))
  };
}

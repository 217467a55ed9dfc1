// What the bake-off page needs to recompute a filtered slice in the browser (src/components/bakeoffSlice.ts):
// for each suite, its cases' category and tags, and for the latest run of each option its per-case
// verdicts (epochs reduced to a majority, as eval_case does) packed two bits a case and its per-case
// scores in case order (what the mean score's seeded bootstrap resamples, so it must see them in the
// build's order), and its requests' latency, cost and tokens, with the few requests that errored,
// refused or failed as lists of indexes (every epoch is a request). The page fetches this file only
// once a filter is set, so an unfiltered bake-off transfers what it did before. Sizes: about 36 bytes
// a request (before the scores, errors and tokens: 22), so 10 options × 10k cases make about 3.6 MB.
// Beside them, the production figures of the suite's feature for the options' models, over all its
// traced requests and per category, for the eval-against-production table on a category.
import {canonicalModel} from "../../src/lib/modelName.js";
import {packOutcomes, type Outcome} from "../../src/lib/outcomes.js";
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
    `SELECT e.run_id, x.i, e.latency_ms, e.cost_usd, coalesce(e.cost_source = '${REPORTED_ZERO}', false) AS zero,
       e.cost_source, e.input_tokens, e.output_tokens, e.error IS NOT NULL AS errored, e.refused,
       coalesce(e.passed, false) AS passed
     FROM eval_results e
     SEMI JOIN eval_option o ON o.run_id = e.run_id
     JOIN bakeoff_case_index x ON x.suite = e.suite AND x.case_id = e.case_id
     ORDER BY e.run_id, x.i, e.epoch`
  );
  const byRun = new Map<string, RequestRow[]>();
  for (const r of requests) {
    const list = byRun.get(r.run_id);
    if (list) list.push(r);
    else byRun.set(r.run_id, [r]);
  }
  const production = [
    ...(await productionByModel(db)).map((p) => ({...p, category: null})),
    ...(await productionByModel(db, {byCategory: true}))
  ];
  const suites = [...new Set(cases.map((c) => c.suite))].map((suite) => {
    const mine = cases.filter((c) => c.suite === suite);
    const categories = [...new Set(mine.map((c) => c.category))].sort();
    const mineOptions = options.filter((o) => o.suite === suite);
    const feature = mineOptions[0]?.feature ?? suite;
    const models = new Set(mineOptions.map((o) => canonicalModel(o.model)));
    return {
      suite,
      feature,
      /** The feature's traced requests served by the options' models: all of them (category null), then per category. */
      production: production.filter((p) => p.feature === feature && models.has(p.model)),
      cases: mine.length,
      categories,
      /** Each case's category, as an index into `categories`, in the suite's case order (by case id). */
      case_categories: mine.map((c) => categories.indexOf(c.category)),
      /** Each tag and the cases that carry it (indexes in the suite's case order). */
      tags: caseTags(mine),
      options: mineOptions.map((o) => {
        const reqs = byRun.get(o.run_id) ?? [];
        return {
          option: o.option,
          model: o.model,
          prompt_version: o.prompt_version,
          run_id: o.run_id,
          started_at: o.started_at,
          outcomes: packOutcomes([...o.codes].map((c) => Number(c) as Outcome)),
          /** Each case's score (the mean over its epochs, as eval_case), in the suite's case order; null when none. */
          scores: o.scores,
          /** One entry per request (case × epoch): the case's index, latency and cost (null when unknown). */
          requests: {
            cases: reqs.map((r) => r.i),
            latency_ms: reqs.map((r) => r.latency_ms),
            cost_usd: reqs.map((r) => r.cost_usd),
            /** Requests whose source reported $0 despite their tokens and that have no price: the option's cost is then unknown. */
            reported_zero: reqs.flatMap((r, k) => (r.zero ? [k] : [])),
            input_tokens: reqs.map((r) => r.input_tokens),
            output_tokens: reqs.map((r) => r.output_tokens),
            /** Few requests error, refuse or fail: their indexes rather than a flag per request. */
            errored: indexesWhere(reqs, (r) => r.errored),
            refused: indexesWhere(reqs, (r) => r.refused === true),
            refusal_unknown: indexesWhere(reqs, (r) => r.refused === null),
            not_passed: indexesWhere(reqs, (r) => !r.passed),
            cost_source: costSources(reqs)
          }
        };
      })
    };
  });
  return {suites};
}

const indexesWhere = <T>(rows: readonly T[], test: (row: T) => boolean): number[] =>
  rows.flatMap((r, k) => (test(r) ? [k] : []));

/**
 * The requests' cost sources: the distinct values, and each request's index into them only when they
 * differ (one source, the common case, costs nothing per request).
 */
function costSources(rows: readonly RequestRow[]): {values: (string | null)[]; of: number[] | null} {
  const values = [...new Set(rows.map((r) => r.cost_source))];
  return {values, of: values.length > 1 ? rows.map((r) => values.indexOf(r.cost_source)) : null};
}

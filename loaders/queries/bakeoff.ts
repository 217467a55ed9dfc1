// Tuesday bake-off: in each suite, the latest run of every model × prompt version side by side on
// the same test set — pass rate (Wilson), mean score (seeded bootstrap), a paired exact McNemar test
// against the best option on the cases both graded, cost per request and latency p50/p95/p99 — then
// the same per category, and a recommendation per suite and per category from the data and the
// config's budgets (src/lib/metrics/recommendOption.ts).
import {meanInterval} from "../../src/lib/metrics/meanInterval.js";
import {bestOption, differenceFromBest, type OptionEvidence} from "../../src/lib/metrics/nonInferiority.js";
import {recommendOption, type Budget} from "../../src/lib/metrics/recommendOption.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import type {Database} from "../warehouse/duckdb.js";
import {productionByModel, productionOf, type ProductionStats} from "./bakeoffProduction.js";
import {simulateRouting} from "./bakeoffRouting.js";
import {caseTags} from "./triageOutcomes.js";
import type {Workspace} from "../workspace/config.js";
import {costUnknownWhy} from "../../src/lib/costUnknown.js";
import {perResultPass, prepareOptionRequests, round, type OptionCases, type RequestStats} from "./evalTables.js";

type OptionRow = OptionCases & {scores: number[]};

type PairRow = {
  suite: string;
  category: string | null;
  a: string;
  b: string;
  shared: number;
  both: number;
  a_only: number;
  b_only: number;
};

const rate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate), low: round(r.low), high: round(r.high), n};
};

/** The bake-off page's data (src/data/bakeoff.json.ts); components import this type, not a copy. */
export type BakeoffPage = Awaited<ReturnType<typeof bakeoff>>;

/** One suite and a tag list its bake-off options' cases carry: what the page's tag filter offers. */
type TaggedRow = {suite: string; tags: string};

export async function bakeoff(db: Database, workspace?: Pick<Workspace, "config">) {
  await prepareOptionRequests(db);
  const rows = await db.query<OptionRow>(`SELECT o.suite,
      o.feature,
      o.option,
      o.model,
      o.prompt_version,
      o.run_id,
      o.started_at,
      CASE WHEN grouping(c.category) = 0 THEN c.category END AS category,
      count(*)::INTEGER AS n,
      count(*) FILTER (WHERE c.passed)::INTEGER AS passes,
      CASE WHEN grouping(c.category) = 1 THEN list(c.score ORDER BY c.case_id) FILTER (WHERE c.score IS NOT NULL) END AS scores
    FROM eval_option o
    JOIN eval_case c USING (run_id)
    GROUP BY GROUPING SETS (
      (o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at),
      (o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at, c.category)
    )
    ORDER BY o.suite, o.option, category NULLS FIRST`);
  const requests = await db.query<RequestStats>(`SELECT *
    FROM eval_option_request`);
  const pairs = await pairsWithBest(db, rows, requests);
  const budgets = workspace?.config.budgets;
  const production = await productionByModel(db);
  const built = [...new Set(rows.map((r) => r.suite))].map((suite) => {
    const mine = rows.filter((r) => r.suite === suite);
    const feature = mine[0].feature;
    const budget: Budget = {
      cost: budgets?.cost_per_request_usd?.[feature],
      latencyP95: budgets?.latency_p95_ms?.[feature]
    };
    return suiteBakeoff(
      suite,
      feature,
      budget,
      workspace?.config.bakeoff?.margin[feature] ?? null,
      mine,
      pairs.filter((p) => p.suite === suite),
      requests,
      production
    );
  });
  const tagged = await db.query<TaggedRow>(
    `SELECT DISTINCT e.suite, e.tags
    FROM eval_results e
    SEMI JOIN eval_option o ON o.run_id = e.run_id
    WHERE e.tags IS NOT NULL`
  );
  const suites = [];
  for (const s of built)
    suites.push({
      ...s,
      /** The tags the options' cases carry: what the page's tag filter offers (src/components/bakeoffSlice.ts). */
      tags: caseTags(tagged.filter((t) => t.suite === s.suite)).map((t) => t.tag),
      routing: await simulateRouting(
        db,
        s,
        rows.filter((r) => r.suite === s.suite),
        requests
      )
    });
  suites.sort((a, b) => b.options.length - a.options.length || (b.latest_at < a.latest_at ? -1 : 1));
  return {
    suites,
    tiers: suites.map((s) => ({
      suite: s.suite,
      feature: s.feature,
      recommended: s.recommendation.recommended,
      best: s.recommendation.best,
      reason: s.recommendation.reason,
      options: s.options.length
    }))
  };
}

const requestOf = (requests: readonly RequestStats[], run: string, category: string | null) =>
  requests.find((r) => r.run_id === run && r.category === category);

function evidenceOf(r: OptionRow, requests: readonly RequestStats[]): OptionEvidence {
  const q = requestOf(requests, r.run_id, r.category);
  return {
    key: r.option,
    n: r.n,
    passes: r.passes,
    cost: q?.cost_mean ?? null,
    costUnknown: costUnknownWhy(q),
    latencyP95: q?.latency_p95 ?? null
  };
}

/** Paired counts of every option against the best option of its suite, overall and per category: the
 * only pairs a recommendation needs (all pairs would grow with the square of the options). */
async function pairsWithBest(
  db: Database,
  rows: readonly OptionRow[],
  requests: readonly RequestStats[]
): Promise<PairRow[]> {
  await db.run(`CREATE OR REPLACE TEMP TABLE bakeoff_best (suite VARCHAR, category VARCHAR, best VARCHAR)`);
  const appender = await db.connection.createAppender("bakeoff_best", "main", "temp");
  const scopes = new Map<string, OptionRow[]>();
  for (const r of rows)
    scopes.set(`${r.suite}\u0000${r.category}`, [...(scopes.get(`${r.suite}\u0000${r.category}`) ?? []), r]);
  for (const scope of scopes.values()) {
    const best = bestOption(scope.map((r) => evidenceOf(r, requests)));
    if (!best) continue;
    appender.appendVarchar(scope[0].suite);
    if (scope[0].category === null) appender.appendNull();
    else appender.appendVarchar(scope[0].category);
    appender.appendVarchar(best.key);
    appender.endRow();
  }
  appender.closeSync();
  return db.query<PairRow>(`SELECT b.suite,
      b.category,
      o.option AS a,
      b.best AS b,
      count(*)::INTEGER AS shared,
      count(*) FILTER (WHERE ca.passed AND cb.passed)::INTEGER AS both,
      count(*) FILTER (WHERE ca.passed AND NOT cb.passed)::INTEGER AS a_only,
      count(*) FILTER (WHERE cb.passed AND NOT ca.passed)::INTEGER AS b_only
    FROM bakeoff_best b
    JOIN eval_option ob ON ob.suite = b.suite AND ob.option = b.best
    JOIN eval_option o ON o.suite = b.suite AND o.option <> b.best
    JOIN eval_case cb ON cb.run_id = ob.run_id AND (b.category IS NULL OR cb.category = b.category)
    JOIN eval_case ca ON ca.run_id = o.run_id AND ca.case_id = cb.case_id
    GROUP BY ALL`);
}

function discordantIn(pairs: readonly PairRow[], category: string | null) {
  return (x: string, y: string) => {
    const p = pairs.find((q) => q.category === category && ((q.a === x && q.b === y) || (q.a === y && q.b === x)));
    if (!p) return {aOnly: 0, bOnly: 0, shared: 0, both: 0};
    return p.a === x
      ? {aOnly: p.a_only, bOnly: p.b_only, shared: p.shared, both: p.both}
      : {aOnly: p.b_only, bOnly: p.a_only, shared: p.shared, both: p.both};
  };
}

function suiteBakeoff(
  suite: string,
  feature: string,
  budget: Budget,
  margin: number | null,
  rows: readonly OptionRow[],
  pairs: readonly PairRow[],
  requests: readonly RequestStats[],
  production: readonly ProductionStats[]
) {
  const req = (run: string, category: string | null) => requestOf(requests, run, category);
  const evidence = (r: OptionRow) => evidenceOf(r, requests);
  const overall = rows.filter((r) => r.category === null);
  const recommendation = recommendOption(overall.map(evidence), discordantIn(pairs, null), budget, margin);
  const vsBest = (r: OptionRow, best: string | null, category: string | null) => {
    if (!best || r.option === best) return null;
    const d = discordantIn(pairs, category)(r.option, best);
    // The paired difference from the best, and with a margin its verdict by the launch gates' rule.
    return differenceFromBest(d, margin);
  };
  const options = overall.map((r) => {
    const q = req(r.run_id, null);
    const score = meanInterval(r.scores ?? [], {bounds: {lower: 0, upper: 1}});
    return {
      option: r.option,
      model: r.model,
      prompt_version: r.prompt_version,
      run_id: r.run_id,
      started_at: r.started_at,
      pass: rate(r.passes, r.n),
      score: {
        mean: round(score.mean),
        low: round(score.low),
        high: round(score.high),
        n: score.n,
        method: score.method
      },
      cost: {
        mean: round(q?.cost_mean, 7),
        n: q?.cost_n ?? 0,
        source: q?.cost_source ?? null,
        unknown: costUnknownWhy(q) ?? null
      },
      latency: {
        p50: round(q?.latency_p50, 1),
        p95: round(q?.latency_p95, 1),
        p99: round(q?.latency_p99, 1),
        n: q?.latency_n ?? 0
      },
      refusals: rate(q?.refusals ?? 0, q?.refusal_n ?? 0),
      errors: rate(q?.errors ?? 0, q?.requests ?? 0),
      result_pass: perResultPass(r.n, q?.requests ?? r.n, q?.result_passes ?? r.passes),
      tokens: {
        input_mean: round(q?.input_tokens_mean, 1),
        output_mean: round(q?.output_tokens_mean, 1),
        n: q?.tokens_n ?? 0
      },
      vs_best: vsBest(r, recommendation.best, null),
      production: productionOf(
        {model: r.model, cost: q?.cost_mean ?? null, latencyP95: q?.latency_p95 ?? null},
        feature,
        production,
        {
          cost_per_request_usd: budget.cost ?? null,
          latency_p95_ms: budget.latencyP95 ?? null
        }
      )
    };
  });
  const categoryNames = [...new Set(rows.filter((r) => r.category !== null).map((r) => r.category!))].sort();
  const categories = categoryNames.map((category) => {
    const inCategory = rows.filter((r) => r.category === category);
    const rec = recommendOption(inCategory.map(evidence), discordantIn(pairs, category), budget, margin);
    return {
      category,
      recommendation: rec,
      rows: inCategory.map((r) => {
        const q = req(r.run_id, category);
        return {
          option: r.option,
          pass: rate(r.passes, r.n),
          cost: round(q?.cost_mean, 7),
          latency_p95: round(q?.latency_p95, 1),
          vs_best: vsBest(r, rec.best, category)
        };
      })
    };
  });
  const latest_at = overall.reduce((m, r) => (r.started_at > m ? r.started_at : m), "");
  return {
    suite,
    feature,
    latest_at,
    budget: {cost_per_request_usd: budget.cost ?? null, latency_p95_ms: budget.latencyP95 ?? null},
    margin,
    options,
    recommendation,
    categories
  };
}

// Tuesday bake-off: in each suite, the latest run of every model × prompt version side by side on
// the same test set — pass rate (Wilson), mean score (seeded bootstrap), a paired exact McNemar test
// against the best option on the cases both graded, cost per request and latency p50/p95/p99 — then
// the same per category, and a recommendation per suite and per category from the data and the
// config's budgets (loaders/metrics/recommendOption.ts).
import {meanInterval} from "../metrics/meanInterval.js";
import {exactMcNemar} from "../metrics/mcnemar.js";
import {recommendOption, type Budget, type OptionEvidence} from "../metrics/recommendOption.js";
import {wilsonInterval} from "../metrics/wilson.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {prepareOptionRequests, round, type RequestStats} from "./evalTables.js";

type OptionRow = {
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
  scores: number[];
};

type PairRow = {
  suite: string;
  category: string | null;
  a: string;
  b: string;
  shared: number;
  a_only: number;
  b_only: number;
};

const rate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate), low: round(r.low), high: round(r.high), n};
};

export async function bakeoff(db: Database, workspace?: Pick<Workspace, "config">) {
  await prepareOptionRequests(db);
  const rows = await db.query<OptionRow>(`SELECT o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at,
      CASE WHEN grouping(c.category) = 0 THEN c.category END AS category,
      count(*)::INTEGER AS n, count(*) FILTER (WHERE c.passed)::INTEGER AS passes,
      CASE WHEN grouping(c.category) = 1 THEN list(c.score ORDER BY c.case_id) FILTER (WHERE c.score IS NOT NULL) END AS scores
    FROM eval_option o JOIN eval_case c USING (run_id)
    GROUP BY GROUPING SETS ((o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at), (o.suite, o.feature, o.option, o.model, o.prompt_version, o.run_id, o.started_at, c.category))
    ORDER BY o.suite, o.option, category NULLS FIRST`);
  const pairs = await db.query<PairRow>(`SELECT a.suite, CASE WHEN grouping(ca.category) = 0 THEN ca.category END AS category, a.option AS a, b.option AS b,
      count(*)::INTEGER AS shared, count(*) FILTER (WHERE ca.passed AND NOT cb.passed)::INTEGER AS a_only, count(*) FILTER (WHERE cb.passed AND NOT ca.passed)::INTEGER AS b_only
    FROM eval_option a JOIN eval_option b ON a.suite = b.suite AND a.option < b.option
      JOIN eval_case ca ON ca.run_id = a.run_id JOIN eval_case cb ON cb.run_id = b.run_id AND cb.case_id = ca.case_id
    GROUP BY GROUPING SETS ((a.suite, a.option, b.option), (a.suite, a.option, b.option, ca.category))`);
  const requests = await db.query<RequestStats>(`SELECT * FROM eval_option_request`);
  const budgets = workspace?.config.budgets;
  const suites = [...new Set(rows.map((r) => r.suite))].map((suite) => {
    const mine = rows.filter((r) => r.suite === suite);
    const feature = mine[0].feature;
    const budget: Budget = {cost: budgets?.cost_per_request_usd?.[feature], latencyP95: budgets?.latency_p95_ms?.[feature]};
    return suiteBakeoff(suite, feature, budget, mine, pairs.filter((p) => p.suite === suite), requests);
  });
  suites.sort((a, b) => b.options.length - a.options.length || (b.latest_at < a.latest_at ? -1 : 1));
  return {
    suites,
    tiers: suites.map((s) => ({suite: s.suite, feature: s.feature, recommended: s.recommendation.recommended, best: s.recommendation.best, reason: s.recommendation.reason, options: s.options.length})),
  };
}

function discordantIn(pairs: readonly PairRow[], category: string | null) {
  return (x: string, y: string) => {
    const p = pairs.find((q) => q.category === category && ((q.a === x && q.b === y) || (q.a === y && q.b === x)));
    if (!p) return {aOnly: 0, bOnly: 0, shared: 0};
    return p.a === x ? {aOnly: p.a_only, bOnly: p.b_only, shared: p.shared} : {aOnly: p.b_only, bOnly: p.a_only, shared: p.shared};
  };
}

function suiteBakeoff(suite: string, feature: string, budget: Budget, rows: readonly OptionRow[], pairs: readonly PairRow[], requests: readonly RequestStats[]) {
  const req = (run: string, category: string | null) => requests.find((r) => r.run_id === run && r.category === category);
  const evidence = (r: OptionRow): OptionEvidence => ({key: r.option, n: r.n, passes: r.passes, cost: req(r.run_id, r.category)?.cost_mean ?? null, latencyP95: req(r.run_id, r.category)?.latency_p95 ?? null});
  const overall = rows.filter((r) => r.category === null);
  const recommendation = recommendOption(overall.map(evidence), discordantIn(pairs, null), budget);
  const vsBest = (r: OptionRow, best: string | null, category: string | null) => {
    if (!best || r.option === best) return null;
    const d = discordantIn(pairs, category)(r.option, best);
    return {shared: d.shared, only_this: d.aOnly, only_best: d.bOnly, p_value: round(exactMcNemar(d.aOnly, d.bOnly).pValue, 6)};
  };
  const options = overall.map((r) => {
    const q = req(r.run_id, null);
    const score = meanInterval(r.scores ?? [], {bounds: {lower: 0, upper: 1}});
    return {
      option: r.option, model: r.model, prompt_version: r.prompt_version, run_id: r.run_id, started_at: r.started_at,
      pass: rate(r.passes, r.n),
      score: {mean: round(score.mean), low: round(score.low), high: round(score.high), n: score.n, method: score.method},
      cost: {mean: round(q?.cost_mean, 7), n: q?.cost_n ?? 0, source: q?.cost_source ?? null},
      latency: {p50: round(q?.latency_p50, 1), p95: round(q?.latency_p95, 1), p99: round(q?.latency_p99, 1), n: q?.latency_n ?? 0},
      refusals: rate(q?.refusals ?? 0, q?.refusal_n ?? 0),
      errors: rate(q?.errors ?? 0, q?.requests ?? 0),
      vs_best: vsBest(r, recommendation.best, null),
    };
  });
  const categoryNames = [...new Set(rows.filter((r) => r.category !== null).map((r) => r.category!))].sort();
  const categories = categoryNames.map((category) => {
    const inCategory = rows.filter((r) => r.category === category);
    const rec = recommendOption(inCategory.map(evidence), discordantIn(pairs, category), budget);
    return {
      category,
      recommendation: rec,
      rows: inCategory.map((r) => {
        const q = req(r.run_id, category);
        return {option: r.option, pass: rate(r.passes, r.n), cost: round(q?.cost_mean, 7), latency_p95: round(q?.latency_p95, 1), vs_best: vsBest(r, rec.best, category)};
      }),
    };
  });
  const latest_at = overall.reduce((m, r) => (r.started_at > m ? r.started_at : m), "");
  return {suite, feature, latest_at, budget: {cost_per_request_usd: budget.cost ?? null, latency_p95_ms: budget.latencyP95 ?? null}, options, recommendation, categories};
}

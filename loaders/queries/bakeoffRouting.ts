// The bake-off's per-category recommendations taken as a routing plan and replayed on its test set:
// each case answered by the option its category is routed to. The plan's pass rate, cost and p95
// stand against the best single option on the same cases, with the paired difference, so "route
// billing to the cheap model" is judged as one system, not eight separate verdicts.
import {exactMcNemar} from "../../src/lib/metrics/mcnemar.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import {pairedProportionDifference} from "../../src/lib/metrics/pairedProportionDifference.js";
import {combineRoutes} from "../metrics/routing.js";
import type {Recommendation} from "../../src/lib/metrics/recommendOption.js";
import type {Database} from "../warehouse/duckdb.js";
import {round, type RequestStats} from "./evalTables.js";

type PassRate = {rate: number | null; low: number | null; high: number | null; n: number};

interface SuiteForRouting {
  suite: string;
  options: {
    option: string;
    run_id: string;
    pass: PassRate;
    cost: {mean: number | null};
    latency: {p95: number | null};
  }[];
  recommendation: Recommendation;
  categories: {category: string; recommendation: Recommendation}[];
}

const pctRate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate), low: round(r.low), high: round(r.high), n};
};

/** The routed plan's p95 eval latency over the results it sends to each option, and how many had one. */
type RoutedLatencyRow = {p95: number | null; n: number};

/** The routed plan's cases against the best single option's on the same cases. */
type RoutedPairRow = {shared: number; both: number; routed_only: number; best_only: number};

/** The simulated plan, or null when the suite has one option or no categories (nothing to route). */
export async function simulateRouting(
  db: Database,
  suite: SuiteForRouting,
  categoryPasses: readonly {option: string; category: string | null; n: number; passes: number}[],
  requests: readonly RequestStats[]
) {
  const best = suite.options.find((o) => o.option === suite.recommendation.best);
  if (suite.options.length < 2 || suite.categories.length === 0 || !best) return null;
  const runOf = new Map(suite.options.map((o) => [o.option, o.run_id]));
  const routes = suite.categories.map((c) => {
    // A category where nothing qualifies (no option within budget, or costs unknown) goes to its best.
    const option = c.recommendation.recommended ?? c.recommendation.best!;
    const run_id = runOf.get(option)!;
    const cases = categoryPasses.find((r) => r.option === option && r.category === c.category)!;
    const q = requests.find((r) => r.run_id === run_id && r.category === c.category);
    return {
      category: c.category,
      option,
      run_id,
      fallback: c.recommendation.recommended === null,
      n: cases.n,
      passes: cases.passes,
      cost_n: q?.cost_n ?? 0,
      cost_mean: q?.cost_mean ?? null
    };
  });
  const totals = combineRoutes(routes);
  await db.run(`CREATE OR REPLACE TEMP TABLE bakeoff_route (run_id VARCHAR, category VARCHAR)`);
  const appender = await db.connection.createAppender("bakeoff_route", "main", "temp");
  for (const r of routes) {
    appender.appendVarchar(r.run_id);
    appender.appendVarchar(r.category);
    appender.endRow();
  }
  appender.closeSync();
  const [latency] = await db.query<RoutedLatencyRow>(
    `SELECT quantile_cont(e.latency_ms, 0.95) AS p95,
       count(e.latency_ms)::INTEGER AS n
     FROM eval_results e
     JOIN bakeoff_route r ON e.run_id = r.run_id AND coalesce(e.category, '(none)') = r.category`
  );
  const [paired] = await db.query<RoutedPairRow>(
    `SELECT count(*)::INTEGER AS shared,
       count(*) FILTER (WHERE c.passed AND b.passed)::INTEGER AS both,
       count(*) FILTER (WHERE c.passed AND NOT b.passed)::INTEGER AS routed_only,
       count(*) FILTER (WHERE b.passed AND NOT c.passed)::INTEGER AS best_only
     FROM eval_case c
     JOIN bakeoff_route r ON c.run_id = r.run_id AND c.category = r.category
     JOIN eval_case b ON b.run_id = $best AND b.case_id = c.case_id`,
    {best: best.run_id}
  );
  const d = pairedProportionDifference({
    both: paired.both,
    aOnly: paired.routed_only,
    bOnly: paired.best_only,
    shared: paired.shared
  });
  return {
    routes: routes.map(({category, option, fallback, n, passes}) => ({
      category,
      option,
      fallback,
      pass: pctRate(passes, n)
    })),
    options_used: new Set(routes.map((r) => r.option)).size,
    pass: {rate: round(totals.pass.rate), low: round(totals.pass.low), high: round(totals.pass.high), n: totals.pass.n},
    cost_mean: round(totals.cost_mean, 7),
    latency_p95: round(latency.p95, 1),
    latency_n: latency.n,
    versus: {
      option: best.option,
      pass: best.pass,
      cost_mean: best.cost.mean,
      latency_p95: best.latency.p95,
      shared: paired.shared,
      routed_only: paired.routed_only,
      best_only: paired.best_only,
      p_value: round(exactMcNemar(paired.routed_only, paired.best_only).pValue, 6),
      difference: {estimate: round(d.difference), low: round(d.low), high: round(d.high)}
    }
  };
}

// The routing plan of src/lib/bakeoffRouting.ts replayed on the warehouse: its counts gathered in SQL
// (the routed options' cases and costs per category, the p95 over the routed requests, and the routed
// cases paired with the best single option's), its figures and verdict computed by the shared module
// that the page's filtered slice uses too.
import {routingOutcome, routingPlan, type SuiteForRouting} from "../../src/lib/bakeoffRouting.js";
import type {Database} from "../warehouse/duckdb.js";
import type {RequestStats} from "./evalTables.js";

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
  const plan = routingPlan(suite);
  if (!plan) return null;
  const best = suite.options.find((o) => o.option === suite.recommendation.best)!;
  const routes = plan.map((r) => {
    const cases = categoryPasses.find((x) => x.option === r.option && x.category === r.category)!;
    const q = requests.find((x) => x.run_id === r.run_id && x.category === r.category);
    return {n: cases.n, passes: cases.passes, cost_n: q?.cost_n ?? 0, cost_mean: q?.cost_mean ?? null};
  });
  await db.run(`CREATE OR REPLACE TEMP TABLE bakeoff_route (run_id VARCHAR, category VARCHAR)`);
  const appender = await db.connection.createAppender("bakeoff_route", "main", "temp");
  for (const r of plan) {
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
  return routingOutcome(suite, plan, {routes, latency, paired});
}

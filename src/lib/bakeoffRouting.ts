// The bake-off's per-category recommendations taken as a routing plan and replayed on its test set:
// each case answered by the option its category is routed to. The plan's pass rate, cost and p95
// stand against the best single option on the same cases, with the paired difference, so "route
// billing to the cheap model" is judged as one system, not eight separate verdicts.
// The plan and its verdict are defined here once; the build (loaders/queries/bakeoffRouting.ts, SQL
// over the warehouse) and the page's filtered slice (src/components/bakeoffSlice.ts, over the cases
// file) only gather the counts.
import {round} from "./format.js";
import {exactMcNemar} from "./metrics/mcnemar.js";
import {pairedProportionDifference} from "./metrics/pairedProportionDifference.js";
import type {Recommendation} from "./metrics/recommendOption.js";
import {combineRoutes} from "./metrics/routing.js";
import {wilsonInterval} from "./metrics/wilson.js";

type PassRate = {rate: number | null; low: number | null; high: number | null; n: number};

/** What a plan is made of: the options (with the run each answered in) and the recommendations. */
export interface SuiteForRouting {
  options: readonly {
    option: string;
    run_id: string;
    pass: PassRate;
    cost: {mean: number | null};
    latency: {p95: number | null};
  }[];
  recommendation: Pick<Recommendation, "best">;
  categories: readonly {category: string; recommendation: Pick<Recommendation, "best" | "recommended">}[];
}

/** One category's route: the option that answers it and its run. */
export interface Route {
  category: string;
  option: string;
  run_id: string;
  /** No option qualified in the category (none within budget, or costs unknown): it goes to its best. */
  fallback: boolean;
}

/** The plan, or null when there is nothing to route (one option, no categories, or no best). */
export function routingPlan(suite: SuiteForRouting): Route[] | null {
  const best = suite.options.find((o) => o.option === suite.recommendation.best);
  if (suite.options.length < 2 || suite.categories.length === 0 || !best) return null;
  const runOf = new Map(suite.options.map((o) => [o.option, o.run_id]));
  return suite.categories.map((c) => {
    const option = c.recommendation.recommended ?? c.recommendation.best!;
    return {category: c.category, option, run_id: runOf.get(option)!, fallback: c.recommendation.recommended === null};
  });
}

/** What the replay measured, however it was counted. */
export interface RoutingEvidence {
  /** Per route, in the plan's order: the category's cases the routed option graded, its passes, and its requests' known costs and their mean (null: unknown). */
  routes: readonly {n: number; passes: number; cost_n: number; cost_mean: number | null}[];
  /** p95 latency (type 7) over the routed requests that have one, and how many had one. */
  latency: {p95: number | null; n: number};
  /** The routed cases against the best single option's on the same cases. */
  paired: {shared: number; both: number; routed_only: number; best_only: number};
}

const pctRate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate, 4), low: round(r.low, 4), high: round(r.high, 4), n};
};

/** The plan's figures and verdict against the best single option, rounded as the page's data is. */
export function routingOutcome(suite: SuiteForRouting, plan: readonly Route[], evidence: RoutingEvidence) {
  const best = suite.options.find((o) => o.option === suite.recommendation.best)!;
  const routes = plan.map((r, i) => ({...r, ...evidence.routes[i]}));
  const totals = combineRoutes(routes);
  const {paired} = evidence;
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
    pass: {
      rate: round(totals.pass.rate, 4),
      low: round(totals.pass.low, 4),
      high: round(totals.pass.high, 4),
      n: totals.pass.n
    },
    cost_mean: round(totals.cost_mean, 7),
    latency_p95: round(evidence.latency.p95, 1),
    latency_n: evidence.latency.n,
    versus: {
      option: best.option,
      pass: best.pass,
      cost_mean: best.cost.mean,
      latency_p95: best.latency.p95,
      shared: paired.shared,
      routed_only: paired.routed_only,
      best_only: paired.best_only,
      p_value: round(exactMcNemar(paired.routed_only, paired.best_only).pValue, 6),
      difference: {estimate: round(d.difference, 4), low: round(d.low, 4), high: round(d.high, 4)}
    }
  };
}
export type RoutingOutcome = ReturnType<typeof routingOutcome>;

// Bake-off meets production: an option's eval latency and cost are measured on the test set, where
// inputs are shorter and nothing queues; the same model's traced requests for the same feature say
// what users got. Models are matched by their canonical name (modelName.ts), as the requests table
// stores them, so a dated snapshot in the eval meets its model in the traces. Defined once for the
// build (loaders/queries/bakeoff.ts) and the page's filtered slice (src/components/bakeoffSlice.ts).
import {round} from "./format.js";
import {canonicalModel} from "./modelName.js";

/** The traced requests of one feature served by one model (in one category, or all when null), over the whole span of the traces. */
export type ProductionStats = {
  feature: string;
  model: string;
  requests: number;
  latency_p95: number | null;
  /** Requests whose cost is known (every model call priced or reported). */
  cost_n: number;
  cost_mean: number | null;
  first_at: string;
  last_at: string;
};

export interface ProductionBudget {
  cost_per_request_usd: number | null;
  latency_p95_ms: number | null;
}

/**
 * An option's production figures beside its eval ones, and the budgets it keeps on the eval but
 * breaks in production: the case where a bake-off would recommend a model users find too slow.
 */
export function productionOf(
  option: {model: string; cost: number | null; latencyP95: number | null},
  feature: string,
  production: readonly ProductionStats[],
  budget: ProductionBudget
) {
  const p = production.find((r) => r.feature === feature && r.model === canonicalModel(option.model));
  if (!p) return null;
  const over = (evalValue: number | null, prodValue: number | null, limit: number | null) =>
    limit !== null && evalValue !== null && prodValue !== null && evalValue <= limit && prodValue > limit;
  return {
    model: p.model,
    requests: p.requests,
    latency_p95: round(p.latency_p95, 1),
    cost_mean: round(p.cost_mean, 7),
    cost_n: p.cost_n,
    first_at: p.first_at,
    last_at: p.last_at,
    /** Budgets met on the eval and broken in production. */
    over_in_production: [
      ...(over(option.latencyP95, p.latency_p95, budget.latency_p95_ms) ? ["p95 latency" as const] : []),
      ...(over(option.cost, p.cost_mean, budget.cost_per_request_usd) ? ["cost per request" as const] : [])
    ]
  };
}

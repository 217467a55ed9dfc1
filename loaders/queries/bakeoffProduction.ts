// The production figures the bake-off sets beside the eval's (src/lib/bakeoffProduction.ts): the
// traced requests of each feature and model, over the whole span of the traces, and per category for
// the page's category filter (requests carry the category of their root span, as eval cases do).
import type {ProductionStats} from "../../src/lib/bakeoffProduction.js";
import type {Database} from "../warehouse/duckdb.js";

export {productionOf, type ProductionBudget, type ProductionStats} from "../../src/lib/bakeoffProduction.js";

/**
 * Per feature and model (and with `byCategory`, per category too, a request without one in "(none)"
 * as an eval case without one is); a request that called several models ("a + b") matches none of them.
 */
export async function productionByModel(
  db: Database,
  {byCategory = false} = {}
): Promise<(ProductionStats & {category?: string})[]> {
  const category = byCategory ? `coalesce(category, '(none)')` : null;
  return db.query<ProductionStats & {category?: string}>(`SELECT feature,
      model,${category ? `\n      ${category} AS category,` : ""}
      count(*)::INTEGER AS requests,
      quantile_cont(duration_ms, 0.95) AS latency_p95,
      count(cost_usd)::INTEGER AS cost_n,
      -- Summed in a fixed order: a parallel sum of doubles can differ in its last bits from run to run.
      avg(cost_usd ORDER BY cost_usd) AS cost_mean,
      min(start_time) AS first_at,
      max(start_time) AS last_at
    FROM requests
    WHERE feature IS NOT NULL
      AND model IS NOT NULL
    GROUP BY feature, model${category ? `, ${category}` : ""}
    ORDER BY feature, model${category ? `, ${category}` : ""}`);
}

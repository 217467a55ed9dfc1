// A routing plan sends each category of traffic to its own option. Simulated on the bake-off's test
// set, every case is answered by the option routed its category, so the plan's pass rate is the sum
// of those options' passes over the cases (Wilson interval, as for any option), and its cost is the
// mean over the requests they made. Percentiles do not combine from per-category figures; the p95
// comes from the routed requests themselves (src/lib/bakeoffRouting.ts).
import {wilsonInterval, type Rate} from "./wilson.js";

export interface RouteEvidence {
  category: string;
  option: string;
  /** Cases of the category, and how many the routed option passed. */
  n: number;
  passes: number;
  /** Requests of the routed option in the category with a known cost, and their mean cost. */
  cost_n: number;
  cost_mean: number | null;
}

export interface RoutedTotals {
  pass: Rate;
  /** Mean cost per request over every route, or null when any route's cost is unknown. */
  cost_mean: number | null;
}

export function combineRoutes(routes: readonly RouteEvidence[]): RoutedTotals {
  const n = routes.reduce((s, r) => s + r.n, 0);
  const passes = routes.reduce((s, r) => s + r.passes, 0);
  const costed = routes.reduce((s, r) => s + r.cost_n, 0);
  // One unknown cost makes the plan's cost unknown: leaving a route out would make the plan look cheap.
  const unknown = routes.some((r) => r.cost_mean === null && r.n > 0) || costed === 0;
  return {
    pass: wilsonInterval(passes, n),
    cost_mean: unknown ? null : routes.reduce((s, r) => s + (r.cost_mean ?? 0) * r.cost_n, 0) / costed
  };
}

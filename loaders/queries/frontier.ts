// The cost–quality–latency frontier: every option (latest run of a model × prompt version in a suite)
// as a point — pass rate with its Wilson interval against mean cost per request, and against p95
// latency — for the whole suite and for each category, with the Pareto frontier of each view marked
// (loaders/metrics/pareto.ts: cheaper or faster, and at least as good, dominates).
import {paretoFrontier} from "../metrics/pareto.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import type {Database} from "../warehouse/duckdb.js";
import {costUnknownWhy} from "../../src/lib/costUnknown.js";
import {prepareOptionRequests, round, type OptionCases, type RequestStats} from "./evalTables.js";

export const ALL_CATEGORIES = "All categories";

/** The frontier page's data (src/data/frontier.json.ts); components import this type, not a copy. */
export type FrontierPage = Awaited<ReturnType<typeof frontier>>;

export async function frontier(db: Database) {
  await prepareOptionRequests(db);
  const rows = await db.query<OptionCases>(`SELECT o.feature,
      o.suite,
      o.option,
      o.model,
      o.prompt_version,
      o.run_id,
      o.started_at,
      CASE WHEN grouping(c.category) = 0 THEN c.category END AS category,
      count(*)::INTEGER AS n,
      count(*) FILTER (WHERE c.passed)::INTEGER AS passes
    FROM eval_option o
    JOIN eval_case c USING (run_id)
    GROUP BY GROUPING SETS (
      (o.feature, o.suite, o.option, o.model, o.prompt_version, o.run_id, o.started_at),
      (o.feature, o.suite, o.option, o.model, o.prompt_version, o.run_id, o.started_at, c.category)
    )
    ORDER BY o.feature, o.suite, category NULLS FIRST, o.option`);
  const requests = new Map(
    (
      await db.query<RequestStats>(`SELECT *
        FROM eval_option_request`)
    ).map((r) => [`${r.run_id}\u0000${r.category}`, r])
  );
  const points = rows.map((r) => {
    const q = requests.get(`${r.run_id}\u0000${r.category}`);
    const w = wilsonInterval(r.passes, r.n);
    return {
      feature: r.feature,
      suite: r.suite,
      category: r.category ?? ALL_CATEGORIES,
      option: r.option,
      model: r.model,
      prompt_version: r.prompt_version,
      run_id: r.run_id,
      started_at: r.started_at,
      n: r.n,
      pass_rate: round(w.rate),
      low: round(w.low),
      high: round(w.high),
      cost: round(q?.cost_mean, 7),
      cost_n: q?.cost_n ?? 0,
      cost_unknown: costUnknownWhy(q) ?? null,
      latency_p50: round(q?.latency_p50, 1),
      latency_p95: round(q?.latency_p95, 1),
      latency_n: q?.latency_n ?? 0,
      cost_frontier: false,
      cost_dominated_by: null as string | null,
      latency_frontier: false,
      latency_dominated_by: null as string | null
    };
  });
  const groups = new Map<string, typeof points>();
  for (const p of points) {
    const key = `${p.suite}\u0000${p.category}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    const byCost = paretoFrontier(
      group,
      (p) => p.cost,
      (p) => p.pass_rate
    );
    const byLatency = paretoFrontier(
      group,
      (p) => p.latency_p95,
      (p) => p.pass_rate
    );
    group.forEach((p, i) => {
      p.cost_frontier = byCost[i].onFrontier;
      p.cost_dominated_by = byCost[i].dominatedBy === null ? null : group[byCost[i].dominatedBy!].option;
      p.latency_frontier = byLatency[i].onFrontier;
      p.latency_dominated_by = byLatency[i].dominatedBy === null ? null : group[byLatency[i].dominatedBy!].option;
    });
  }
  const features = [...new Set(points.map((p) => p.feature))];
  const categories = Object.fromEntries(
    features.map((f) => [
      f,
      [
        ALL_CATEGORIES,
        ...new Set(points.filter((p) => p.feature === f && p.category !== ALL_CATEGORIES).map((p) => p.category))
      ]
    ])
  );
  return {
    features: features.sort(
      (a, b) =>
        points.filter((p) => p.feature === b).length - points.filter((p) => p.feature === a).length || (a < b ? -1 : 1)
    ),
    categories,
    points
  };
}

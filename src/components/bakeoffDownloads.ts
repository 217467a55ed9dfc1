// The rows behind the bake-off page's tables and charts, as the CSV under each: one row per line the
// table shows (per option, per category, per category × option for the gap chart), rates as
// fractions with their interval and n, nested figures as flat columns (csvDownload.ts flattenRow).
import type {BakeoffSuite, ProductionScope, SuiteScope} from "./bakeoffViews.js";
import {csvFilename, withCsv} from "./csvDownload.js";

type Option = BakeoffSuite["options"][number];

/** A table or chart of the suite with its rows' download, named after the page, the table and the suite. */
export const bakeoffCsv = (node: Node, rows: readonly object[], table: string, suite?: BakeoffSuite): HTMLElement =>
  withCsv(node, rows, csvFilename("bakeoff", table, suite?.suite ?? ""));

/** The options table and the interval and latency charts: each option's figures, without its production twin. */
export const optionRows = (options: readonly Option[]) => options.map(({production: _, ...o}) => o);

/** The difference table: each option's paired difference from the best (none for the best itself) and the margin's verdict. */
export const differenceRows = (suite: SuiteScope) =>
  suite.options.map((o) => ({
    option: o.option,
    pass: o.pass,
    best: o.vs_best === null,
    shared: o.vs_best?.shared ?? null,
    difference: o.vs_best?.difference ?? null,
    p_value: o.vs_best?.p_value ?? null,
    margin: suite.margin,
    within_margin: o.vs_best?.within_margin ?? null
  }));

/** The category gap chart: one row per category × option, as its cells. */
export const categoryCellRows = (suite: SuiteScope) =>
  suite.categories.flatMap((c) => c.rows.map((r) => ({category: c.category, ...r})));

/** The per-category recommendations: the recommended and best option of each category, with why. */
export const categoryRecommendationRows = (suite: SuiteScope) =>
  suite.categories.map((c) => ({
    category: c.category,
    recommended: c.recommendation.recommended,
    best: c.recommendation.best,
    reason: c.recommendation.reason
  }));

/** The routing table's two lines: the plan and the best single option. */
export function routingRows(routing: NonNullable<BakeoffSuite["routing"]>) {
  const v = routing.versus;
  return [
    {
      system: "routing plan",
      options: routing.options_used,
      pass: routing.pass,
      cost_mean: routing.cost_mean,
      latency_p95: routing.latency_p95
    },
    {system: v.option, options: 1, pass: v.pass, cost_mean: v.cost_mean, latency_p95: v.latency_p95}
  ];
}

/** Eval against production: each option's eval p95 and cost beside its model's production figures. */
export const productionRows = (suite: ProductionScope) =>
  suite.options.map((o) => ({
    option: o.option,
    eval_latency_p95: o.latency.p95,
    eval_latency_n: o.latency.n,
    production_latency_p95: o.production?.latency_p95 ?? null,
    production_requests: o.production?.requests ?? null,
    eval_cost_mean: o.cost.mean,
    production_cost_mean: o.production?.cost_mean ?? null,
    production_cost_n: o.production?.cost_n ?? null,
    over_in_production: (o.production?.over_in_production ?? []).join(" ")
  }));

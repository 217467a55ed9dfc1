// The bake-off recomputed on a slice of the cases (a category, a tag), in the browser, from the per-case
// verdicts and per-request figures of loaders/queries/bakeoffCases.ts, with the build's definitions:
// pass rate over cases (epochs reduced to a majority) with a Wilson interval; the best option by
// bestOption; each other option's paired difference from it (Newcombe, pairedProportionDifference)
// with its exact McNemar p and, with a margin, the launch gates' verdict (nonInferiority); mean cost
// per request, unknown when any request reported $0 without a price (as eval_option_request); and p95
// latency over the requests (type 7, as quantile_cont); the recommendation by recommendOption with the
// feature's budgets; and all of it again per category, for the category grid and recommendations;
// then the per-category recommendations replayed as a routing plan (src/lib/bakeoffRouting.ts), the
// routed options' passes, costs and requests counted on the slice; and each option's slice beside its
// model's production figures (src/lib/bakeoffProduction.ts) in the filter's category, or in all of the
// feature's traffic when the filter is a tag alone (requests carry no eval tag); and, for the whole
// slice, the rest of the table of each option's quality, cost and latency: the mean score with its
// seeded bootstrap (meanInterval, on the kept cases' scores in case order, as the build lists them),
// p50 and p99, errors and refusals (Wilson), passes counted per result, mean tokens and the cost's
// source. Rounded as loaders/queries/bakeoff.ts rounds.
import {html} from "npm:htl";
import {round} from "../lib/format.js";
import {costUnknownWhy} from "../lib/costUnknown.js";
import {differenceFromBest, type OptionEvidence} from "../lib/metrics/nonInferiority.js";
import {recommendOption, type Budget} from "../lib/metrics/recommendOption.js";
import {meanInterval} from "../lib/metrics/meanInterval.js";
import {quantile} from "../lib/metrics/quantile.js";
import {perResultPass} from "../lib/triageRuns.js";
import {wilsonInterval} from "../lib/metrics/wilson.js";
import {ALL} from "../lib/all.js";
import {productionOf} from "../lib/bakeoffProduction.js";
import {routingOutcome, routingPlan} from "../lib/bakeoffRouting.js";
import {unpackOutcomes, type Outcomes} from "../lib/outcomes.js";
import type {BakeoffCasesPage} from "../../loaders/queries/bakeoffCases.js";
import {bakeoffCsv, productionRows} from "./bakeoffDownloads.js";
import {productionTable, type BakeoffSuite} from "./bakeoffViews.js";
import {csvFilename, withCsv} from "./csvDownload.js";
import {filterSuffix} from "./pageFilters.js";
import {fmtCost} from "./evalFormat.js";
import {fmtInt, fmtMs, fmtPct} from "./format.js";

export type CasesSuite = BakeoffCasesPage["suites"][number];

import {BAKEOFF_FILTER_KEYS, LABELS, type BakeoffFilter} from "./bakeoffFilters.js";

/** Which cases of the suite the filter keeps, in its case order. */
export function bakeoffMask(suite: CasesSuite, filter: BakeoffFilter): boolean[] {
  const category = suite.categories.indexOf(filter.category);
  const tagged = new Set(suite.tags.find((t) => t.tag === filter.tag)?.cases ?? []);
  return suite.case_categories.map(
    (c, i) => (filter.category === ALL || c === category) && (filter.tag === ALL || tagged.has(i))
  );
}

const rate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate, 4), low: round(r.low, 4), high: round(r.high, 4), n};
};

function optionFigures(o: CasesSuite["options"][number], outcomes: Outcomes, keep: readonly boolean[]) {
  const n = outcomes.filter((x, i) => x !== 0 && keep[i]).length;
  const passes = outcomes.filter((x, i) => x === 2 && keep[i]).length;
  const kept = o.requests.cases.flatMap((c, k) => (keep[c] ? [k] : []));
  const zero = new Set(o.requests.reported_zero);
  const costs = kept.map((k) => o.requests.cost_usd[k]).filter((c): c is number => c !== null);
  const latencies = kept.map((k) => o.requests.latency_ms[k]).filter((l): l is number => l !== null);
  const reportedZero = kept.filter((k) => zero.has(k)).length;
  const cost = reportedZero === 0 && costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : null;
  return {
    n,
    passes,
    requests: kept.length,
    cost,
    costN: costs.length,
    costUnknown: costUnknownWhy({
      cost_mean: cost,
      cost_n: costs.length,
      cost_reported_zero: reportedZero,
      requests: kept.length
    }),
    latencyP95: quantile(latencies, 0.95),
    latencyN: latencies.length
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const present = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null);

/**
 * The rest of an option's row in the table of quality, cost and latency, over the kept cases and their
 * requests, as loaders/queries/bakeoff.ts reads eval_option_request and eval_case: the mean score's
 * interval on the kept cases' scores in case order (the bootstrap's draws depend on the order), p50
 * and p99 over the latencies, errors over requests and refusals over the requests that say, passes
 * counted per result, mean tokens, and the cost's source ("mixed" when the requests' sources differ).
 */
function tableFigures(o: CasesSuite["options"][number], keep: readonly boolean[]) {
  const r = o.requests;
  const kept = r.cases.flatMap((c, k) => (keep[c] ? [k] : []));
  const keptSet = new Set(kept);
  const count = (indexes: readonly number[]) => indexes.filter((k) => keptSet.has(k)).length;
  const scores = present(o.scores.filter((_, i) => keep[i]));
  const score = meanInterval(scores, {bounds: {lower: 0, upper: 1}});
  const latencies = present(kept.map((k) => r.latency_ms[k]));
  const inputTokens = present(kept.map((k) => r.input_tokens[k]));
  const sources = new Set(kept.map((k) => r.cost_source.values[r.cost_source.of?.[k] ?? 0]).filter((x) => x !== null));
  return {
    score: {
      mean: round(score.mean, 4),
      low: round(score.low, 4),
      high: round(score.high, 4),
      n: score.n,
      method: score.method
    },
    source: sources.size > 1 ? "mixed" : (sources.values().next().value ?? null),
    latency: {p50: round(quantile(latencies, 0.5), 1), p99: round(quantile(latencies, 0.99), 1)},
    refusals: rate(count(r.refused), kept.length - count(r.refusal_unknown)),
    errors: rate(count(r.errored), kept.length),
    // Cases as the build's eval_case counts them (every case the run answered), not the graded ones.
    result_pass: perResultPass(
      new Set(kept.map((k) => r.cases[k])).size,
      kept.length,
      kept.length - count(r.not_passed)
    ),
    tokens: {
      input_mean: round(mean(inputTokens), 1),
      output_mean: round(mean(present(kept.map((k) => r.output_tokens[k]))), 1),
      n: inputTokens.length
    }
  };
}

/** Cases only one of two options passed, and both passed, over the kept cases both graded. */
function pairedCounts(a: Outcomes, b: Outcomes, keep: readonly boolean[]) {
  const d = {both: 0, aOnly: 0, bOnly: 0, shared: 0};
  a.forEach((x, i) => {
    const y = b[i];
    if (!keep[i] || x === 0 || y === 0) return;
    d.shared++;
    if (x === 2 && y === 2) d.both++;
    if (x === 2 && y === 1) d.aOnly++;
    if (x === 1 && y === 2) d.bOnly++;
  });
  return d;
}

/**
 * The options of one scope (the slice, or the slice's cases of one category) as the build shapes a
 * scope: each option's figures, the recommendation by recommendOption on the same evidence and budgets,
 * and each option's paired difference from that scope's best.
 */
function scopeBakeoff(
  suite: CasesSuite,
  outcomes: ReadonlyMap<string, Outcomes>,
  keep: readonly boolean[],
  margin: number | null,
  budget: Budget,
  production?: {feature: string; rows: CasesSuite["production"]; budget: PageBudget}
) {
  const figures = suite.options.map((o) => ({o, f: optionFigures(o, outcomes.get(o.option)!, keep)}));
  const evidence: OptionEvidence[] = figures.map(({o, f}) => ({
    key: o.option,
    n: f.n,
    passes: f.passes,
    cost: f.cost,
    costUnknown: f.costUnknown,
    latencyP95: f.latencyP95
  }));
  const discordant = (x: string, y: string) => pairedCounts(outcomes.get(x)!, outcomes.get(y)!, keep);
  const recommendation = recommendOption(evidence, discordant, budget, margin);
  const best = recommendation.best;
  const vsBest = (option: string) =>
    !best || option === best ? null : differenceFromBest(discordant(option, best), margin);
  return {
    recommendation,
    options: figures
      .filter(({f}) => f.n > 0)
      // Only the whole slice (the scope with production) fills the table of quality, cost and latency;
      // the per-category grid reads pass, cost and p95 alone, and a bootstrap per category would be wasted.
      .map(({o, f}) => ({o, f, t: production ? tableFigures(o, keep) : null}))
      .map(({o, f, t}) => ({
        option: o.option,
        model: o.model,
        prompt_version: o.prompt_version,
        run_id: o.run_id,
        started_at: o.started_at,
        pass: rate(f.passes, f.n),
        ...(t && {score: t.score}),
        cost: {mean: round(f.cost, 7), n: f.costN, ...(t && {source: t.source}), unknown: f.costUnknown ?? null},
        latency: {p50: t?.latency.p50 ?? null, p95: round(f.latencyP95, 1), p99: t?.latency.p99 ?? null, n: f.latencyN},
        ...(t && {refusals: t.refusals, errors: t.errors, result_pass: t.result_pass, tokens: t.tokens}),
        requests: f.requests,
        vs_best: vsBest(o.option),
        ...(production && {
          production: productionOf(
            {model: o.model, cost: f.cost, latencyP95: f.latencyP95},
            production.feature,
            production.rows,
            production.budget
          )
        })
      }))
  };
}

/** A feature's budgets as the page's data states them (null: none). */
export interface PageBudget {
  cost_per_request_usd: number | null;
  latency_p95_ms: number | null;
}

const NO_BUDGET: PageBudget = {cost_per_request_usd: null, latency_p95_ms: null};

/**
 * The suite on the kept cases, in the shape the page's cards, recommendation, chart, difference table,
 * category grid, per-category recommendations, routing and production table read: the whole slice (its
 * options beside production in `productionCategory`, or in all the feature's traffic when null), then
 * each category of it.
 */
export function sliceBakeoff(
  suite: CasesSuite,
  keep: readonly boolean[],
  margin: number | null,
  budget: PageBudget = NO_BUDGET,
  productionCategory: string | null = null
) {
  const outcomes = new Map(suite.options.map((o) => [o.option, unpackOutcomes(o.outcomes, suite.cases)]));
  const limits: Budget = {
    cost: budget.cost_per_request_usd ?? undefined,
    latencyP95: budget.latency_p95_ms ?? undefined
  };
  const whole = scopeBakeoff(suite, outcomes, keep, margin, limits, {
    feature: suite.feature,
    rows: suite.production.filter((p) => p.category === productionCategory),
    budget
  });
  const categories = suite.categories
    .map((category, c) => ({category, keep: keep.map((k, i) => k && suite.case_categories[i] === c)}))
    .filter((c) => c.keep.some(Boolean))
    .map((c) => {
      const scope = scopeBakeoff(suite, outcomes, c.keep, margin, limits);
      return {
        category: c.category,
        recommendation: scope.recommendation,
        rows: scope.options.map((o) => ({
          option: o.option,
          pass: o.pass,
          cost: o.cost.mean,
          latency_p95: o.latency.p95,
          vs_best: o.vs_best
        }))
      };
    });
  const scope = {...whole, categories};
  return {
    margin,
    budget,
    cases: keep.filter(Boolean).length,
    ...scope,
    routing: sliceRouting(suite, outcomes, keep, scope)
  };
}

/**
 * The slice's per-category recommendations replayed as a routing plan: for each route, the routed
 * option's cases, passes and costs in the category (as optionFigures counts them for the grid); the
 * p95 over every request the plan sends; and each kept case's routed verdict paired with the best's.
 */
function sliceRouting(
  suite: CasesSuite,
  outcomes: ReadonlyMap<string, Outcomes>,
  keep: readonly boolean[],
  scope: Parameters<typeof routingPlan>[0]
) {
  const plan = routingPlan(scope);
  if (!plan) return null;
  const optionOf = new Map(suite.options.map((o) => [o.option, o]));
  const categoryIndex = plan.map((r) => suite.categories.indexOf(r.category));
  const inRoute = (c: number, route: number) => keep[c] && suite.case_categories[c] === categoryIndex[route];
  const routes = plan.map((r, k) => {
    const f = optionFigures(
      optionOf.get(r.option)!,
      outcomes.get(r.option)!,
      keep.map((_, c) => inRoute(c, k))
    );
    return {n: f.n, passes: f.passes, cost_n: f.costN, cost_mean: f.cost};
  });
  const latencies = plan.flatMap((r, k) => {
    const {requests} = optionOf.get(r.option)!;
    return requests.cases.flatMap((c, j) =>
      inRoute(c, k) && requests.latency_ms[j] !== null ? [requests.latency_ms[j]!] : []
    );
  });
  const routeOfCategory = new Map(categoryIndex.map((c, k) => [c, plan[k].option]));
  const best = outcomes.get(scope.recommendation.best!)!;
  const routed: Outcomes = Uint8Array.from(keep, (k, c) => {
    const option = k ? routeOfCategory.get(suite.case_categories[c]) : undefined;
    return option ? outcomes.get(option)![c] : 0;
  });
  const d = pairedCounts(routed, best, keep);
  return routingOutcome(scope, plan, {
    routes,
    latency: {p95: quantile(latencies, 0.95), n: latencies.length},
    paired: {shared: d.shared, both: d.both, routed_only: d.aOnly, best_only: d.bOnly}
  });
}
export type SlicedBakeoff = ReturnType<typeof sliceBakeoff>;

/** The slice of the named suite, or null when the cases file does not hold it. */
export function sliceOf(
  cases: BakeoffCasesPage,
  suite: {suite: string; margin: number | null; budget: PageBudget},
  filter: BakeoffFilter
) {
  const s = cases.suites.find((x) => x.suite === suite.suite);
  const category = filter.category === ALL ? null : filter.category;
  return s ? sliceBakeoff(s, bakeoffMask(s, filter), suite.margin, suite.budget, category) : null;
}

const sub = (text: string) => html`<div class="muted" style="font-size:12px">${text}</div>`;

/** Each option's cost and p95 on the slice, with the download of every figure of the slice. */
export function sliceCostTable(slice: SlicedBakeoff, filter: BakeoffFilter, suite: string): HTMLElement {
  const table = html`<div style="overflow-x:auto"><table class="report" style="max-width:none" data-testid="slice-cost-table">
    <thead><tr><th>Option</th><th class="num">Pass rate</th><th class="num">Cost per request</th><th class="num">Latency p95</th></tr></thead>
    <tbody>${slice.options.map(
      (o) => html`<tr data-option=${o.option}>
        <td><strong>${o.option}</strong></td>
        <td class="num">${fmtPct(o.pass.rate)}${sub(`n = ${fmtInt(o.pass.n)}`)}</td>
        <td class="num">${o.cost.mean === null ? "unknown" : fmtCost(o.cost.mean)}${sub(`n = ${fmtInt(o.cost.n)}`)}</td>
        <td class="num">${fmtMs(o.latency.p95)}${sub(`n = ${fmtInt(o.latency.n)}`)}</td>
      </tr>`
    )}</tbody></table></div>`;
  const name = csvFilename("bakeoff", suite).replace(/\.csv$/, `${filterSuffix(filter)}.csv`);
  return withCsv(table, slice.options, name);
}

/**
 * What the page shows of a slice beside the build's views: the note on what it covers, the table of
 * cost and latency, and eval against production (the filter's category's traffic, else all of the
 * feature's, since requests carry no eval tag), each with its download; null when the cases file does
 * not hold the suite. Here rather than in bakeoffFilters.ts so the unfiltered page does not load it.
 */
export function slicedViews(cases: BakeoffCasesPage, suite: BakeoffSuite, filter: BakeoffFilter) {
  const slice = sliceOf(cases, suite, filter);
  if (!slice) return null;
  const scope = {...suite, options: slice.options};
  const where = filter.category === ALL ? "" : html` in category <strong>${filter.category}</strong>`;
  const after = ` Eval: the filtered cases.${filter.category === ALL ? " Traced requests carry no eval tag, so production is all of the feature's traffic." : ""}`;
  return {
    slice,
    note: sliceNote(slice, filter),
    costTable: sliceCostTable(slice, filter, suite.suite),
    production: bakeoffCsv(
      productionTable(scope, {where, after}),
      productionRows(scope),
      `production${filterSuffix(filter)}`,
      suite
    )
  };
}

/** What the recomputed figures cover: the filter in words and the number of cases kept. */
export function sliceNote(slice: SlicedBakeoff, filter: BakeoffFilter): HTMLElement {
  const scope = BAKEOFF_FILTER_KEYS.filter((k) => filter[k] !== ALL)
    .map((k) => `${LABELS[k].toLowerCase()} ${filter[k]}`)
    .join(" · ");
  return html`<p class="muted" data-testid="bakeoff-slice-note">Filtered to ${scope}: ${fmtInt(slice.cases)} ${slice.cases === 1 ? "case" : "cases"}. Best on this slice: <strong>${slice.recommendation.best ?? "none"}</strong>.</p>`;
}

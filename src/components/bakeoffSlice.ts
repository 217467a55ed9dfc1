// The bake-off recomputed on a slice of the cases (a category, a tag), in the browser, from
// loaders/queries/bakeoffCases.ts (per case the verdicts and scores, per request the latency, and the
// other figures summed per cell of cases sharing a category and tag set), with the build's definitions:
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
import {unpackBits, unpackDistinct, unpackSortedGaps} from "../lib/packedBits.js";
import type {BakeoffCasesPage} from "../../loaders/queries/bakeoffCases.js";
import {bakeoffCsv, productionRows} from "./bakeoffDownloads.js";
import {productionTable, type BakeoffSuite} from "./bakeoffViews.js";
import {csvFilename, withCsv} from "./csvDownload.js";
import {filterSuffix} from "./pageFilters.js";
import {fmtCost} from "./evalFormat.js";
import {fmtInt, fmtMs, fmtPct} from "./format.js";

export type CasesSuite = BakeoffCasesPage["suites"][number];
type CasesOption = CasesSuite["options"][number];

import {BAKEOFF_FILTER_KEYS, LABELS, type BakeoffFilter} from "./bakeoffFilters.js";

/** Which cells of the suite (a category and a tag set) the filter keeps. */
function cellMask(suite: CasesSuite, filter: BakeoffFilter): boolean[] {
  const category = suite.categories.indexOf(filter.category);
  const tag = suite.tags.indexOf(filter.tag);
  return suite.cells.map(
    (c) => (filter.category === ALL || c.category === category) && (filter.tag === ALL || c.tags.includes(tag))
  );
}

/** Which cases of the suite the filter keeps, in its case order. */
export function bakeoffMask(suite: CasesSuite, filter: BakeoffFilter): boolean[] {
  const cells = cellMask(suite, filter);
  return Array.from(unpacked(suite).caseCells, (c) => cells[c]);
}

/** An option's figures, unpacked: verdicts and scores per case, latencies per cell. */
interface OptionCases {
  outcomes: Outcomes;
  scores: (number | null)[];
  /** Each cell's requests' latencies (ms), ascending. */
  latencies: number[][];
}

const unpackedSuites = new WeakMap<CasesSuite, {caseCells: Uint32Array; options: Map<string, OptionCases>}>();
/** A suite's packed figures, unpacked once: the page keeps the cases file across filter changes. */
function unpacked(suite: CasesSuite) {
  let u = unpackedSuites.get(suite);
  if (!u) {
    const options = suite.options.map((o): [string, OptionCases] => {
      const {latencies, latency_n} = o.requests.cells;
      return [
        o.option,
        {
          outcomes: unpackOutcomes(o.outcomes, suite.cases),
          scores: unpackDistinct(suite.scores.values, o.scores, suite.cases, suite.scores.bits),
          latencies: latencies.map((packed, c) =>
            Array.from(unpackSortedGaps(packed, latency_n[c]), (k) => suite.latencies[k])
          )
        }
      ];
    });
    u = {caseCells: unpackBits(suite.case_cells, suite.cases, suite.cell_bits), options: new Map(options)};
    unpackedSuites.set(suite, u);
  }
  return u;
}

/**
 * Cases kept, and the cells they make up: the options' sums and counts are per cell, so a scope must
 * keep or drop each cell whole (any filter of categories and tags does).
 */
interface Scope {
  cases: readonly boolean[];
  cells: readonly boolean[];
}

function scopeOf(suite: CasesSuite, keep: readonly boolean[]): Scope {
  const {caseCells} = unpacked(suite);
  const kept = suite.cells.map((): boolean | undefined => undefined);
  keep.forEach((k, i) => {
    const c = caseCells[i];
    if (kept[c] !== undefined && kept[c] !== k)
      throw new Error(`bake-off: the slice splits the cases of one category and tag set (cell ${c}), summed whole`);
    kept[c] = k;
  });
  return {cases: keep, cells: kept.map((k) => k === true)};
}

/** The scope's cases and cells in one category (an index into the suite's categories). */
function inCategory(suite: CasesSuite, scope: Scope, category: number): Scope {
  const {caseCells} = unpacked(suite);
  const cells = scope.cells.map((k, c) => k && suite.cells[c].category === category);
  return {cases: scope.cases.map((_, i) => cells[caseCells[i]]), cells};
}

/** The sum of one of an option's per-cell figures over the scope's cells. */
const cellSum = (values: readonly number[], scope: Scope) =>
  values.reduce((sum, v, c) => (scope.cells[c] ? sum + v : sum), 0);

/** The latencies of the scope's requests (its cells'), unknown ones left out. */
const latenciesIn = (o: OptionCases, scope: Scope): number[] =>
  o.latencies.flatMap((l, c) => (scope.cells[c] ? l : []));

const rate = (passes: number, n: number) => {
  const r = wilsonInterval(passes, n);
  return {rate: round(r.rate, 4), low: round(r.low, 4), high: round(r.high, 4), n};
};

function optionFigures(o: CasesOption, u: OptionCases, scope: Scope) {
  const keep = scope.cases;
  const n = u.outcomes.filter((x, i) => x !== 0 && keep[i]).length;
  const passes = u.outcomes.filter((x, i) => x === 2 && keep[i]).length;
  const cells = o.requests.cells;
  const requests = cellSum(cells.requests, scope);
  const costN = cellSum(cells.cost_n, scope);
  const reportedZero = cellSum(cells.reported_zero, scope);
  const cost = reportedZero === 0 && costN ? cellSum(cells.cost_sum, scope) / costN : null;
  const latencies = latenciesIn(u, scope);
  return {
    n,
    passes,
    requests,
    cost,
    costN,
    costUnknown: costUnknownWhy({cost_mean: cost, cost_n: costN, cost_reported_zero: reportedZero, requests}),
    latencyP95: quantile(latencies, 0.95),
    latencyN: latencies.length
  };
}

const present = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
const meanOf = (sum: number, n: number) => (n ? sum / n : null);

/**
 * The rest of an option's row in the table of quality, cost and latency, over the kept cases and their
 * requests, as loaders/queries/bakeoff.ts reads eval_option_request and eval_case: the mean score's
 * interval on the kept cases' scores in case order (the bootstrap's draws depend on the order), p50
 * and p99 over the latencies, errors over requests and refusals over the requests that say, passes
 * counted per result, mean tokens, and the cost's source ("mixed" when the requests' sources differ).
 */
function tableFigures(o: CasesOption, u: OptionCases, scope: Scope) {
  const cells = o.requests.cells;
  const requests = cellSum(cells.requests, scope);
  const score = meanInterval(present(u.scores.filter((_, i) => scope.cases[i])), {bounds: {lower: 0, upper: 1}});
  const latencies = latenciesIn(u, scope);
  const sources = new Set(cells.cost_sources.flatMap((s, c) => (scope.cells[c] ? s : [])));
  const inputN = cellSum(cells.input_tokens_n, scope);
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
    refusals: rate(cellSum(cells.refused, scope), requests - cellSum(cells.refusal_unknown, scope)),
    errors: rate(cellSum(cells.errored, scope), requests),
    // Cases as the build's eval_case counts them (every case the run answered), not the graded ones.
    result_pass: perResultPass(cellSum(cells.cases, scope), requests, requests - cellSum(cells.not_passed, scope)),
    tokens: {
      input_mean: round(meanOf(cellSum(cells.input_tokens_sum, scope), inputN), 1),
      output_mean: round(meanOf(cellSum(cells.output_tokens_sum, scope), cellSum(cells.output_tokens_n, scope)), 1),
      n: inputN
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
  scope: Scope,
  margin: number | null,
  budget: Budget,
  production?: {feature: string; rows: CasesSuite["production"]; budget: PageBudget}
) {
  const {options} = unpacked(suite);
  const figures = suite.options.map((o) => ({o, f: optionFigures(o, options.get(o.option)!, scope)}));
  const evidence: OptionEvidence[] = figures.map(({o, f}) => ({
    key: o.option,
    n: f.n,
    passes: f.passes,
    cost: f.cost,
    costUnknown: f.costUnknown,
    latencyP95: f.latencyP95
  }));
  const discordant = (x: string, y: string) =>
    pairedCounts(options.get(x)!.outcomes, options.get(y)!.outcomes, scope.cases);
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
      .map(({o, f}) => ({o, f, t: production ? tableFigures(o, options.get(o.option)!, scope) : null}))
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
  const slice = scopeOf(suite, keep);
  const limits: Budget = {
    cost: budget.cost_per_request_usd ?? undefined,
    latencyP95: budget.latency_p95_ms ?? undefined
  };
  const whole = scopeBakeoff(suite, slice, margin, limits, {
    feature: suite.feature,
    rows: suite.production.filter((p) => p.category === productionCategory),
    budget
  });
  const categories = suite.categories
    .map((category, c) => ({category, scope: inCategory(suite, slice, c)}))
    .filter((c) => c.scope.cells.some(Boolean))
    .map((c) => {
      const scope = scopeBakeoff(suite, c.scope, margin, limits);
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
    routing: sliceRouting(suite, slice, scope)
  };
}

/**
 * The slice's per-category recommendations replayed as a routing plan: for each route, the routed
 * option's cases, passes and costs in the category (as optionFigures counts them for the grid); the
 * p95 over every request the plan sends; and each kept case's routed verdict paired with the best's.
 */
function sliceRouting(suite: CasesSuite, slice: Scope, scope: Parameters<typeof routingPlan>[0]) {
  const plan = routingPlan(scope);
  if (!plan) return null;
  const {caseCells, options} = unpacked(suite);
  const optionOf = new Map(suite.options.map((o) => [o.option, o]));
  const routeScopes = plan.map((r) => inCategory(suite, slice, suite.categories.indexOf(r.category)));
  const routes = plan.map((r, k) => {
    const f = optionFigures(optionOf.get(r.option)!, options.get(r.option)!, routeScopes[k]);
    return {n: f.n, passes: f.passes, cost_n: f.costN, cost_mean: f.cost};
  });
  const latencies = plan.flatMap((r, k) => latenciesIn(options.get(r.option)!, routeScopes[k]));
  const routeOfCategory = new Map(plan.map((r) => [suite.categories.indexOf(r.category), r.option]));
  const best = options.get(scope.recommendation.best!)!.outcomes;
  const routed: Outcomes = Uint8Array.from(slice.cases, (k, c) => {
    const option = k ? routeOfCategory.get(suite.cells[caseCells[c]].category) : undefined;
    return option ? options.get(option)!.outcomes[c] : 0;
  });
  const d = pairedCounts(routed, best, slice.cases);
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

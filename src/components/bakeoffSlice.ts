// The bake-off recomputed on a slice of the cases (a category, a tag), in the browser, from the per-case
// verdicts and per-request figures of loaders/queries/bakeoffCases.ts, with the build's definitions:
// pass rate over cases (epochs reduced to a majority) with a Wilson interval; the best option by
// bestOption; each other option's paired difference from it (Newcombe, pairedProportionDifference)
// with its exact McNemar p and, with a margin, the launch gates' verdict (nonInferiority); mean cost
// per request, unknown when any request reported $0 without a price (as eval_option_request); and p95
// latency over the requests (type 7, as quantile_cont); the recommendation by recommendOption with the
// feature's budgets; and all of it again per category, for the category grid and recommendations.
// Rounded as loaders/queries/bakeoff.ts rounds.
import {html} from "npm:htl";
import {round} from "../lib/format.js";
import {costUnknownWhy} from "../lib/costUnknown.js";
import {differenceFromBest, type OptionEvidence} from "../lib/metrics/nonInferiority.js";
import {recommendOption, type Budget} from "../lib/metrics/recommendOption.js";
import {quantile} from "../lib/metrics/quantile.js";
import {wilsonInterval} from "../lib/metrics/wilson.js";
import {ALL} from "../lib/all.js";
import {unpackOutcomes, type Outcomes} from "../lib/outcomes.js";
import type {BakeoffCasesPage} from "../../loaders/queries/bakeoffCases.js";
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
  budget: Budget
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
      .map(({o, f}) => ({
        option: o.option,
        model: o.model,
        run_id: o.run_id,
        pass: rate(f.passes, f.n),
        cost: {mean: round(f.cost, 7), n: f.costN, unknown: f.costUnknown ?? null},
        latency: {p95: round(f.latencyP95, 1), n: f.latencyN},
        requests: f.requests,
        vs_best: vsBest(o.option)
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
 * category grid and per-category recommendations read: the whole slice, then each category of it.
 */
export function sliceBakeoff(
  suite: CasesSuite,
  keep: readonly boolean[],
  margin: number | null,
  budget: PageBudget = NO_BUDGET
) {
  const outcomes = new Map(suite.options.map((o) => [o.option, unpackOutcomes(o.outcomes, suite.cases)]));
  const limits: Budget = {
    cost: budget.cost_per_request_usd ?? undefined,
    latencyP95: budget.latency_p95_ms ?? undefined
  };
  const whole = scopeBakeoff(suite, outcomes, keep, margin, limits);
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
  return {
    margin,
    budget,
    cases: keep.filter(Boolean).length,
    ...whole,
    categories
  };
}
export type SlicedBakeoff = ReturnType<typeof sliceBakeoff>;

/** The slice of the named suite, or null when the cases file does not hold it. */
export function sliceOf(
  cases: BakeoffCasesPage,
  suite: {suite: string; margin: number | null; budget: PageBudget},
  filter: BakeoffFilter
) {
  const s = cases.suites.find((x) => x.suite === suite.suite);
  return s ? sliceBakeoff(s, bakeoffMask(s, filter), suite.margin, suite.budget) : null;
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

/** What the recomputed figures cover: the filter in words and the number of cases kept. */
export function sliceNote(slice: SlicedBakeoff, filter: BakeoffFilter): HTMLElement {
  const scope = BAKEOFF_FILTER_KEYS.filter((k) => filter[k] !== ALL)
    .map((k) => `${LABELS[k].toLowerCase()} ${filter[k]}`)
    .join(" · ");
  return html`<p class="muted" data-testid="bakeoff-slice-note">Filtered to ${scope}: ${fmtInt(slice.cases)} ${slice.cases === 1 ? "case" : "cases"}. Best on this slice: <strong>${slice.recommendation.best ?? "none"}</strong>.</p>`;
}

// The bake-off page's data shaping and views beside its charts and tables: the headline cards of a
// suite, the recommendation note, the significant per-category gaps, and the options by cost.
import {html} from "npm:htl";
import type {BakeoffPage as Bakeoff} from "../../loaders/queries/bakeoff.js";
import {cards} from "./cards.js";
import {fmtCost, fmtPValue, fmtPts, fmtRange, verdictBadge} from "./evalFormat.js";
import {fmtDate, fmtInt, fmtMs, fmtPct} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";

export type BakeoffSuite = Bakeoff["suites"][number];

/** What the cards, the notes and the category views read: the build's suite, or the browser's filtered slice of it (bakeoffSlice.ts). */
export type SuiteScope = Pick<BakeoffSuite, "margin" | "budget" | "recommendation" | "categories"> & {
  options: readonly (Pick<BakeoffSuite["options"][number], "option" | "pass" | "vs_best"> & {
    cost: {mean: number | null};
    latency: {p95: number | null};
  })[];
};

/** A feature's recommendation, with its suite and how many options it weighed. */
export const tierRows = (tiers: Bakeoff["tiers"]) =>
  tiers.map((t) => ({
    scope: html`${t.feature}<div class="muted" style="font-size:12px">${t.suite} · ${t.options} option${t.options === 1 ? "" : "s"}</div>`,
    recommendation: t
  }));

export function suiteCards(suite: SuiteScope): HTMLElement {
  const best = suite.options.find((o) => o.option === suite.recommendation.best);
  const rec = suite.options.find((o) => o.option === suite.recommendation.recommended);
  const shared = Math.max(0, ...suite.options.map((o) => o.vs_best?.shared ?? 0));
  return cards([
    {
      label: "Options compared",
      value: fmtInt(suite.options.length),
      note: shared ? `paired on ${fmtInt(shared)} shared cases` : "latest run of each option"
    },
    {
      label: "Best pass rate",
      value: best ? fmtPct(best.pass.rate) : "—",
      note: best ? `${best.option} · 95% CI ${fmtRange(best.pass)} · n = ${fmtInt(best.pass.n)}` : ""
    },
    {
      label: "Recommended",
      value: rec ? rec.option : "none",
      note: rec
        ? `${fmtCost(rec.cost.mean)} per request · p95 ${fmtMs(rec.latency.p95)}`
        : suite.options.some((o) => o.cost.mean === null)
          ? "some costs are unknown: see why below"
          : "no option is as good as the best within budget",
      tone: rec ? "good" : "warn"
    },
    {
      label: "Budgets (from config)",
      value: suite.budget.cost_per_request_usd === null ? "none" : fmtCost(suite.budget.cost_per_request_usd),
      note:
        suite.budget.latency_p95_ms === null
          ? "no p95 latency budget"
          : `p95 latency ≤ ${fmtMs(suite.budget.latency_p95_ms)}`
    }
  ]);
}

export function recommendationNote(suite: SuiteScope): HTMLElement {
  return html`<div class="tip" role="status" data-testid="recommendation"><strong>${suite.recommendation.reason}</strong>${suite.recommendation.excluded.length ? html`<ul>${suite.recommendation.excluded.map((e) => html`<li>${e.key}: ${e.why}</li>`)}</ul>` : ""}</div>`;
}

export interface CategoryGap {
  category: string;
  option: string;
  /** The option's pass rate minus the category's best, negative. */
  gap: number;
  rate: BakeoffSuite["categories"][number]["rows"][number]["pass"];
  best: string;
  p: number;
}

/** Every option significantly behind its category's best (McNemar p < 0.05), the largest gap first. */
export function categoryGaps(suite: SuiteScope): CategoryGap[] {
  return suite.categories
    .flatMap((c) => {
      const best = c.rows.find((x) => x.option === c.recommendation.best);
      return c.rows
        .filter((r) => r.vs_best && r.vs_best.p_value !== null && r.vs_best.p_value < 0.05)
        .map((r) => ({
          category: c.category,
          option: r.option,
          gap: r.pass.rate! - best!.pass.rate!,
          rate: r.pass,
          best: c.recommendation.best!,
          p: r.vs_best!.p_value!
        }));
    })
    .sort((a, b) => a.gap - b.gap);
}

/** The four largest gaps in a sentence; the rest are starred in the chart. */
export function gapsSentence(gaps: readonly CategoryGap[]): HTMLElement {
  return html`<p>${gaps.length ? html`Significant gaps: ${gaps.slice(0, 4).map((g, i) => html`${i ? "; " : ""}<strong>${g.option}</strong> is ${fmtPts(g.gap).replace("−", "")} behind ${g.best} on <strong>${g.category}</strong> (${fmtPct(g.rate.rate)}, n = ${g.rate.n}, ${fmtPValue(g.p)})`)}${gaps.length > 4 ? html`; and ${gaps.length - 4} more (starred below)` : ""}.` : "No option is significantly behind the best in any category."}</p>`;
}

/** Option names from the cheapest to the dearest; unknown costs last. */
export const optionsByCost = (options: readonly {option: string; cost: {mean: number | null}}[]) =>
  [...options].sort((a, b) => (a.cost.mean ?? Infinity) - (b.cost.mean ?? Infinity)).map((o) => o.option);

const sub = (text: string) => html`<div class="muted" style="font-size:12px">${text}</div>`;
const nowrap = (text: string) => html`<span style="white-space:nowrap">${text}</span>`;
const ptsAbs = (x: number) => `${Math.abs(100 * x).toFixed(1)} pts`;

/** What the recommendation's "good enough" means: the stated margin, or what the shared cases cannot rule out. */
export function marginNote(suite: SuiteScope): HTMLElement | null {
  const {margin, minimum_detectable} = suite.recommendation;
  const shared = Math.max(0, ...suite.options.map((o) => o.vs_best?.shared ?? 0));
  if (margin !== null)
    return html`<p data-testid="margin-note"><strong>Margin ${ptsAbs(margin)}</strong> (from the config): an option may be up to ${ptsAbs(margin)} worse than the best; it qualifies when the lower bound of the 95% interval of its paired difference from the best clears −${ptsAbs(margin)}, as a launch gate with a margin does.</p>`;
  if (minimum_detectable !== null)
    return html`<p data-testid="margin-note"><strong>Not significantly worse is not equivalent.</strong> On ${fmtInt(shared)} shared cases, a difference from the best smaller than about ${ptsAbs(minimum_detectable)} would usually go unseen (80% power, α = 0.05). To decide how much worse a cheaper option may be, state a margin: <code>bakeoff.margin</code> in workbench.config.json.</p>`;
  return null;
}

const marginWords: Record<string, string> = {
  pass: "within the margin",
  fail: "more than the margin worse",
  inconclusive: "interval reaches past the margin"
};

/** Each option's paired difference from the best with its interval, and the margin's verdict when one is stated. */
export function differenceTable(
  suite: Pick<BakeoffSuite, "margin"> & {
    options: readonly Pick<BakeoffSuite["options"][number], "option" | "pass" | "vs_best">[];
  }
): HTMLElement {
  const margin = suite.margin;
  return html`<table class="report" style="max-width:none" data-testid="difference-table">
    <thead><tr><th>Option</th><th class="num">Pass rate</th><th class="num">Difference from the best [95% CI]</th><th>${margin === null ? "What n can rule out" : `Margin ${ptsAbs(margin)}`}</th></tr></thead>
    <tbody>${suite.options.map((o) => {
      const v = o.vs_best;
      return html`<tr>
        <td><strong>${o.option}</strong></td>
        <td class="num">${fmtPct(o.pass.rate)}${sub(`n = ${fmtInt(o.pass.n)}`)}</td>
        <td class="num">${v ? html`${fmtPts(v.difference.estimate)}${sub(`${fmtPts(v.difference.low)} to ${fmtPts(v.difference.high)} · ${fmtInt(v.shared)} shared`)}` : "best"}</td>
        <td>${!v ? "—" : v.within_margin ? html`${verdictBadge(v.within_margin)}${sub(marginWords[v.within_margin] ?? "")}` : v.difference.low !== null && v.difference.low < 0 ? sub(`a loss of up to ${ptsAbs(v.difference.low)} is not ruled out`) : sub("no loss in the interval")}</td>
      </tr>`;
    })}</tbody></table>`;
}

/** What the production table reads: the build's suite, or the filtered slice's options with the page suite's feature and budgets. */
export type ProductionScope = Pick<BakeoffSuite, "feature" | "budget"> & {
  options: readonly (Pick<BakeoffSuite["options"][number], "option"> &
    Partial<Pick<BakeoffSuite["options"][number], "production">> & {
      cost: {mean: number | null};
      latency: {p95: number | null; n: number};
    })[];
};

/**
 * Eval latency and cost beside the same model's production figures for the feature, flagging budgets kept
 * only on the eval; a filtered slice says which traffic (`where`) and what its eval covers (`after`).
 */
export function productionTable(suite: ProductionScope, {where = "" as Node | string, after = ""} = {}): HTMLElement {
  const withTraces = suite.options.filter((o) => o.production);
  const first = withTraces.map((o) => o.production!.first_at).sort()[0];
  const last = withTraces
    .map((o) => o.production!.last_at)
    .sort()
    .at(-1);
  const budget = suite.budget;
  return html`<div data-testid="production-table">
    <p class="muted">Production: every traced request of <strong>${suite.feature}</strong>${where} served by the same model${first ? `, ${fmtDate(first)} to ${fmtDate(last)} (the whole trace period)` : ""}.${after} Budgets: p95 ${budget.latency_p95_ms === null ? "none" : `≤ ${fmtMs(budget.latency_p95_ms)}`}, cost ${budget.cost_per_request_usd === null ? "none" : `≤ ${fmtCost(budget.cost_per_request_usd)}`} per request.</p>
    ${stackOnPhone(html`<table class="report" style="max-width:none">
    <thead><tr><th>Option</th><th class="num">p95 eval</th><th class="num">p95 production</th><th class="num">Cost eval</th><th class="num">Cost production</th></tr></thead>
    <tbody>${suite.options.map((o) => {
      const p = o.production;
      const over = p?.over_in_production ?? [];
      return html`<tr data-option=${o.option}>
        <td><strong>${o.option}</strong>${over.length ? html`<div class="warn-text" style="font-size:12px;font-weight:600" data-testid="over-in-production">within budget on evals, over in production (${over.join(", ")})</div>` : ""}</td>
        <td class="num">${nowrap(fmtMs(o.latency.p95))}${sub(`n = ${fmtInt(o.latency.n)}`)}</td>
        <td class="num">${p ? html`${nowrap(fmtMs(p.latency_p95))}${sub(`${fmtInt(p.requests)} requests`)}` : sub("no traces of this model")}</td>
        <td class="num">${o.cost.mean === null ? "unknown" : fmtCost(o.cost.mean)}</td>
        <td class="num">${p ? html`${p.cost_mean === null ? "unknown" : fmtCost(p.cost_mean)}${sub(`n = ${fmtInt(p.cost_n)}`)}` : "—"}</td>
      </tr>`;
    })}</tbody></table>`)}</div>`;
}

type Routing = NonNullable<BakeoffSuite["routing"]>;

const nOptions = (n: number) => `${n} option${n > 1 ? "s" : ""}`;

/** The routing plan replayed on the test set, in one sentence with its verdict against the best option. */
export function routingSummary(routing: Routing): HTMLElement {
  const v = routing.versus;
  const d = v.difference;
  const sameAsBest = routing.options_used === 1 && routing.routes.every((r) => r.option === v.option);
  const verdict =
    d.high !== null && d.high < 0
      ? `significantly worse than ${v.option} alone`
      : d.low !== null && d.low > 0
        ? `significantly better than ${v.option} alone`
        : `not significantly different from ${v.option} alone (a loss of up to ${ptsAbs(Math.min(0, d.low ?? 0))} is not ruled out)`;
  return html`<p data-testid="routing-summary">${
    sameAsBest
      ? html`Every category is routed to <strong>${v.option}</strong>, the best single option: the plan is that option.`
      : html`Routing each category to its recommendation uses <strong>${nOptions(routing.options_used)}</strong> and passes <strong>${fmtPct(routing.pass.rate)}</strong> of ${fmtInt(routing.pass.n)} cases (95% CI ${fmtRange(routing.pass)}) at ${routing.cost_mean === null ? "an unknown cost" : `${fmtCost(routing.cost_mean)} per request`}, p95 ${fmtMs(routing.latency_p95)}: <strong>${verdict}</strong> (${fmtPts(d.estimate)}, 95% CI ${fmtPts(d.low)} to ${fmtPts(d.high)}, ${fmtPValue(v.p_value)} on ${fmtInt(v.shared)} shared cases).`
  }${routing.routes.some((r) => r.fallback) ? " Categories where no option qualified go to their best option." : ""}</p>`;
}

/** The plan and the best single option side by side. */
export function routingTable(routing: Routing): HTMLElement {
  const v = routing.versus;
  const row = (
    label: HTMLElement | string,
    pass: {rate: number | null; low: number | null; high: number | null; n: number},
    cost: number | null,
    p95: number | null
  ) =>
    html`<tr><td>${label}</td><td class="num">${fmtPct(pass.rate)}${sub(`${fmtRange(pass)} · n = ${fmtInt(pass.n)}`)}</td><td class="num">${cost === null ? "unknown" : fmtCost(cost)}</td><td class="num">${nowrap(fmtMs(p95))}</td></tr>`;
  return html`<table class="report" style="max-width:none" data-testid="routing-table">
    <thead><tr><th>System</th><th class="num">Pass rate</th><th class="num">Cost / request</th><th class="num">p95 latency</th></tr></thead>
    <tbody>
      ${row(html`<strong>Routing plan</strong>${sub(`${nOptions(routing.options_used)} by category`)}`, routing.pass, routing.cost_mean, routing.latency_p95)}
      ${row(html`${v.option}${sub("best single option")}`, v.pass, v.cost_mean, v.latency_p95)}
    </tbody></table>`;
}

// The bake-off page's data shaping and views beside its charts and tables: the headline cards of a
// suite, the recommendation note, the significant per-category gaps, and the options by cost.
import {html} from "htl";
import type {BakeoffPage as Bakeoff} from "../../loaders/queries/bakeoff.js";
import {cards} from "./cards.js";
import {fmtCost, fmtPValue, fmtPts, fmtRange} from "./evalFormat.js";
import {fmtInt, fmtMs, fmtPct} from "./format.js";

export type BakeoffSuite = Bakeoff["suites"][number];

/** A feature's recommendation, with its suite and how many options it weighed. */
export const tierRows = (tiers: Bakeoff["tiers"]) =>
  tiers.map((t) => ({
    scope: html`${t.feature}<div class="muted" style="font-size:12px">${t.suite} · ${t.options} option${t.options === 1 ? "" : "s"}</div>`,
    recommendation: t
  }));

export function suiteCards(suite: BakeoffSuite): HTMLElement {
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

export function recommendationNote(suite: BakeoffSuite): HTMLElement {
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
export function categoryGaps(suite: BakeoffSuite): CategoryGap[] {
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

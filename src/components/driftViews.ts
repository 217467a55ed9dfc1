// The drift page's data shaping and views: one quality metric of one feature week by week against its
// launch baseline, the verdict on the latest week, the shift cards, and the categories no test covers.
import {html} from "npm:htl";
import type {DriftPage as Drift} from "../../loaders/queries/drift.js";
import type {Deployment} from "../lib/driftQuality.js";
import {cards, type Card} from "./cards.js";
import {caseHref} from "./caseLinks.js";
import type {Baseline, Change, WeeklyQuality} from "./driftCharts.js";
import {fmtDate, fmtInt, fmtPct} from "./format.js";
import {fmtCI, fmtDiff, fmtPsi, fmtPValue, psiReading, type Difference} from "./productionFormat.js";
import {stackOnPhone} from "./stackedTable.js";

export type QualityMetric = "accepted" | "corrected" | "failed";
type Shift = Drift["categoryShift"][number];

/** The radio's labels: accepted is good when high, the other two when low. */
export const qualityMetrics: ReadonlyMap<string, QualityMetric> = new Map([
  ["Outputs accepted as is", "accepted"],
  ["Outputs corrected (edited, rejected or escalated)", "corrected"],
  ["Failed requests", "failed"]
]);

/** A week against the baseline; better or worse only where the difference's interval excludes zero. */
export type QualityWeek = WeeklyQuality & {vs: Difference & {significant: boolean}};

export interface QualitySeries {
  weekly: QualityWeek[];
  baseline: Baseline | null;
  /** Model or prompt versions that began serving after the feature's start. */
  changes: Change[];
  label: string;
}

export function qualitySeries(
  quality: Drift["quality"],
  deployments: readonly Deployment[],
  feature: string,
  metric: QualityMetric
): QualitySeries {
  const higherIsWorse = metric !== "accepted";
  const weeks =
    metric === "failed"
      ? quality.failures
          .filter((w) => w.feature === feature)
          .map((w) => ({week: w.week, n: w.n, rate: w.failed, vs: w.failedVsBaseline}))
      : quality.weekly
          .filter((w) => w.feature === feature)
          .map((w) => ({
            week: w.week,
            n: w.n,
            rate: w[metric],
            vs: metric === "accepted" ? w.acceptedVsBaseline : w.correctedVsBaseline
          }));
  const weekly = weeks.map((w) => ({
    ...w,
    significant: w.vs.significant,
    direction: !w.vs.significant ? null : w.vs.value! > 0 === higherIsWorse ? ("worse" as const) : ("better" as const)
  }));
  const base =
    metric === "failed"
      ? quality.failureBaseline
          .filter((b) => b.feature === feature)
          .map((b) => ({from: b.from, to: b.to, rate: b.failed}))[0]
      : quality.baseline
          .filter((b) => b.feature === feature)
          .map((b) => ({from: b.from, to: b.to, rate: b[metric]}))[0];
  return {
    weekly,
    baseline: base ?? null,
    changes: deployments
      .filter((c) => c.feature === feature && !c.at_start)
      .map((c) => ({
        first_at: c.first_at,
        label: `${[c.model, c.prompt_version].filter(Boolean).join(" · ")} from ${fmtDate(c.first_at)}`
      })),
    label: [...qualityMetrics].find(([, v]) => v === metric)![0]
  };
}

/** The latest week against the baseline, in a sentence. */
export function qualityVerdict({weekly, baseline}: QualitySeries): HTMLElement | null {
  const last = weekly.at(-1);
  if (!last || !baseline) return null;
  return html`<p id="quality-verdict">Latest week (${last.week}): ${fmtCI(last.rate)} against the baseline's ${fmtCI(baseline.rate)}: ${fmtDiff(last.vs)}${last.significant ? html`, <strong>significantly ${last.direction}</strong>` : ", within what chance explains"}.</p>`;
}

const psiTone = (level: string | null | undefined): Card["tone"] =>
  level === "major" ? "bad" : level === "moderate" ? "warn" : "good";

/**
 * Two cards per measure, each naming its scope: the whole period (production's requests since the
 * first week against the eval set) and the latest week, the figure the brief quotes, so a PSI read on
 * the brief is found on this page under the same words.
 */
function shiftCardPair(name: string, s: Shift | undefined): Card[] {
  if (!s)
    return [{label: name, value: "—", note: "needs categories (or input lengths) on both eval results and traces"}];
  const [first, last] = [s.weekly[0], s.weekly.at(-1)];
  const whole: Card = {
    label: `${name} · whole period`,
    value: fmtPsi(s.psi),
    note: `${first ? `weeks of ${first.week} to ${last!.week} · ` : ""}PSI: ${psiReading(s.level)} · χ² = ${s.chiSquare.statistic!.toFixed(1)}, df = ${s.chiSquare.df}, ${fmtPValue(s.chiSquare.pValue)} · ${fmtInt(s.evalN)} eval cases vs ${fmtInt(s.prodN)} requests`,
    tone: psiTone(s.level)
  };
  if (!last) return [whole];
  return [
    whole,
    {
      label: `${name} · latest week`,
      value: fmtPsi(last.psi),
      note: `week of ${last.week} · PSI: ${psiReading(last.level)} · ${fmtInt(last.n)} requests`,
      tone: psiTone(last.level)
    }
  ];
}

export function shiftCards(category: Shift | undefined, length: Shift | undefined): HTMLElement {
  return html`<div id="shift-cards">${cards([...shiftCardPair("Category mix", category), ...shiftCardPair("Input length", length)])}</div>`;
}

export function newCategoriesTable(fresh: readonly Drift["newCategories"][number][]): HTMLElement {
  return stackOnPhone(html`<table class="report" id="new-categories" style="max-width: none">
  <thead><tr><th>Category</th><th>First seen</th><th>Requests · share of the feature [95% CI]</th><th>Share in the latest week</th><th>Accepted as is</th><th>vs the rest of the feature</th><th>Escalated</th><th>Failed requests (rest)</th></tr></thead>
  <tbody>${fresh.map(
    (c) => html`<tr>
    <td><strong>${c.category}</strong><br><a href=${caseHref({kind: "list", table: "requests", where: {feature: c.feature, category: c.category}})}>example requests</a></td><td>${fmtDate(c.firstSeen)}</td><td>${fmtCI(c.share)}</td>
    <td>${c.weekly.length ? fmtCI(c.weekly.at(-1)!.share) : "—"}</td>
    <td>${c.corrections ? fmtCI(c.corrections.accepted) : "no corrections logged"}</td>
    <td>${c.acceptedVsRest ? html`${fmtDiff(c.acceptedVsRest)}${c.acceptedVsRest.significant ? html` <strong>significant</strong>` : ""}` : "—"}</td>
    <td>${c.corrections ? fmtCI(c.corrections.escalated) : "—"}</td>
    <td>${fmtPct(c.failed.rate)} (${fmtPct(c.failedRest.rate)})</td></tr>`
  )}</tbody></table>`);
}

// Any two runs of a suite compared in the browser from their packed per-case outcomes
// (loaders/queries/triageOutcomes.ts): the same paired comparison as the precomputed pairs — cases
// both graded, regressed and improved, exact McNemar — overall and per category.
import {html} from "htl";
import {exactMcNemar} from "../lib/metrics/mcnemar.js";
import {wilsonInterval} from "../lib/metrics/wilson.js";
import {unpackOutcomes} from "../lib/outcomes.js";
import type {triageOutcomes} from "../../loaders/queries/triageOutcomes.js";
import {caseHref} from "./caseLinks.js";
import {cards} from "./cards.js";
import {csvFilename, withCsv} from "./csvDownload.js";
import {fmtPValue, fmtPts, fmtRange} from "./evalFormat.js";
import {fmtInt, fmtPct} from "./format.js";

export type OutcomeSuite = Awaited<ReturnType<typeof triageOutcomes>>["suites"][number];

export interface PairCounts {
  shared: number;
  before_passes: number;
  after_passes: number;
  regressed: number;
  improved: number;
}

/** A case whose verdict flipped between the two runs. */
export interface ChangedOutcome {
  case_id: string;
  category: string;
}

export interface ChosenComparison extends PairCounts {
  p_value: number;
  categories: (PairCounts & {category: string; p_value: number})[];
  /** Every case that passed in the baseline and failed in the candidate, in the suite's case order. */
  regressed_cases: ChangedOutcome[];
  /** Every case that failed in the baseline and passed in the candidate, in the suite's case order. */
  improved_cases: ChangedOutcome[];
}

const empty = (): PairCounts => ({shared: 0, before_passes: 0, after_passes: 0, regressed: 0, improved: 0});

/** Baseline against candidate on the cases both graded. */
export function compareRuns(suite: OutcomeSuite, baseline: string, candidate: string): ChosenComparison {
  const runOf = (id: string) => {
    const r = suite.runs.find((x) => x.run_id === id);
    if (!r) throw new Error(`compareRuns: run ${id} is not in suite ${suite.suite}`);
    return unpackOutcomes(r.outcomes, suite.cases);
  };
  const [a, b] = [runOf(baseline), runOf(candidate)];
  const total = empty();
  const byCategory = suite.categories.map(empty);
  const regressed_cases: ChangedOutcome[] = [];
  const improved_cases: ChangedOutcome[] = [];
  const changed = (i: number) => ({case_id: suite.case_ids[i], category: suite.categories[suite.case_categories[i]]});
  a.forEach((x, i) => {
    const y = b[i];
    if (x === 0 || y === 0) return;
    if (x === 2 && y === 1) regressed_cases.push(changed(i));
    if (x === 1 && y === 2) improved_cases.push(changed(i));
    for (const c of [total, byCategory[suite.case_categories[i]]]) {
      c.shared++;
      if (x === 2) c.before_passes++;
      if (y === 2) c.after_passes++;
      if (x === 2 && y === 1) c.regressed++;
      if (x === 1 && y === 2) c.improved++;
    }
  });
  const p = (c: PairCounts) => exactMcNemar(c.regressed, c.improved).pValue;
  return {
    ...total,
    p_value: p(total),
    categories: suite.categories
      .map((category, i) => ({category, ...byCategory[i], p_value: p(byCategory[i])}))
      .filter((c) => c.shared > 0),
    regressed_cases,
    improved_cases
  };
}

const rateOf = (k: number, n: number) => wilsonInterval(k, n);
const delta = (c: PairCounts) => (c.shared ? (c.after_passes - c.before_passes) / c.shared : null);

/** The chosen pair's headline: both rates on the shared cases, the change and its paired test. */
export function chosenCards(c: ChosenComparison): HTMLElement {
  const before = rateOf(c.before_passes, c.shared);
  const after = rateOf(c.after_passes, c.shared);
  const significant = c.p_value < 0.05;
  return html`<div data-testid="chosen-comparison">${cards([
    {
      label: "Baseline",
      value: fmtPct(before.rate),
      note: `95% CI ${fmtRange(before)} · n = ${fmtInt(c.shared)} shared`
    },
    {label: "Candidate", value: fmtPct(after.rate), note: `95% CI ${fmtRange(after)} · n = ${fmtInt(c.shared)} shared`},
    {
      label: "Change",
      value: fmtPts(delta(c)),
      note: `${fmtInt(c.regressed)} regressed · ${fmtInt(c.improved)} improved · McNemar ${fmtPValue(c.p_value)}`,
      tone: significant ? ((delta(c) ?? 0) < 0 ? "warn" : "good") : undefined
    }
  ])}</div>`;
}

/** Per category, the largest drop first. */
export function chosenCategoryTable(c: ChosenComparison): HTMLElement {
  const rows = [...c.categories].sort((x, y) => (delta(x) ?? 0) - (delta(y) ?? 0));
  return html`<table class="report" style="max-width:none" data-testid="chosen-categories">
    <thead><tr><th>Category</th><th class="num">Baseline</th><th class="num">Candidate</th><th class="num">Change</th><th class="num">Regressed · improved</th><th class="num">Paired test</th></tr></thead>
    <tbody>${rows.map(
      (r) =>
        html`<tr><td>${r.category}</td><td class="num">${fmtPct(r.before_passes / r.shared)}</td><td class="num">${fmtPct(r.after_passes / r.shared)}</td><td class="num">${fmtPts(delta(r))}</td><td class="num">${fmtInt(r.regressed)} · ${fmtInt(r.improved)}</td><td class="num">${fmtPValue(r.p_value)}${html`<div class="muted" style="font-size:12px">n = ${fmtInt(r.shared)}</div>`}</td></tr>`
    )}</tbody></table>`;
}

/** How many changed cases a list shows; the CSV under it holds them all. */
export const CHANGED_CASES_SHOWN = 50;

/**
 * The cases of one direction (regressed or improved) of the chosen pair, each linked to the case view
 * with both runs side by side. The packed outcomes carry no scores or outputs, so the list is in case
 * order rather than by score change; the outputs are one click away.
 */
export function chosenCaseList(
  cases: readonly ChangedOutcome[],
  {what, baseline, candidate}: {what: "regressed" | "improved"; baseline: string; candidate: string}
): HTMLElement {
  const shown = cases.slice(0, CHANGED_CASES_SHOWN);
  const body = cases.length
    ? html`<div>
    <table class="report" style="max-width:none">
      <thead><tr><th>Case</th><th>Category</th></tr></thead>
      <tbody>${shown.map(
        (c) =>
          html`<tr><td style="white-space:nowrap"><a href=${caseHref({kind: "eval", case_id: c.case_id, before: baseline, after: candidate})}><code>${c.case_id}</code></a></td><td>${c.category}</td></tr>`
      )}</tbody></table>
    ${cases.length > shown.length ? html`<p class="muted">Showing the first ${fmtInt(shown.length)} of ${fmtInt(cases.length)} ${what} cases, in case order; the download holds them all.</p>` : ""}
  </div>`
    : html`<p class="muted">No ${what} cases.</p>`;
  const rows = cases.map((c) => ({...c, baseline_run: baseline, candidate_run: candidate}));
  return html`<div data-testid=${`chosen-${what}`}><h3 style="margin-top:2rem">${what === "regressed" ? "Regressed" : "Improved"}: ${fmtInt(cases.length)} ${cases.length === 1 ? "case" : "cases"}</h3>${cases.length ? withCsv(body, rows, csvFilename(`triage-chosen-${what}`, baseline, candidate)) : body}</div>`;
}

/** The chosen pair's cards, its table by category and its changed cases, computed from the packed outcomes. */
export function chosenComparison(suite: OutcomeSuite, baseline: string, candidate: string): HTMLElement {
  const c = compareRuns(suite, baseline, candidate);
  const runs = {baseline, candidate};
  return html`<div>${chosenCards(c)}${chosenCategoryTable(c)}${chosenCaseList(c.regressed_cases, {what: "regressed", ...runs})}${chosenCaseList(c.improved_cases, {what: "improved", ...runs})}</div>`;
}

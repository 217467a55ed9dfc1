// Any two runs of a suite compared in the browser from their packed per-case outcomes
// (loaders/queries/triageOutcomes.ts): the same paired comparison as the precomputed pairs — cases
// both graded, regressed and improved, exact McNemar — overall and per category.
import {html} from "npm:htl";
import {exactMcNemar} from "../lib/metrics/mcnemar.js";
import {wilsonInterval} from "../lib/metrics/wilson.js";
import {unpackOutcomes} from "../lib/outcomes.js";
import type {triageOutcomes} from "../../loaders/queries/triageOutcomes.js";
import {caseHref} from "./caseLinks.js";
import {cards} from "./cards.js";
import {csvFilename, withCsv} from "./csvDownload.js";
import {fmtPValue, fmtPts, fmtRange} from "./evalFormat.js";
import {fmtInt, fmtPct} from "./format.js";
import {noFilter} from "./pageFilters.js";
import {stackOnPhone} from "./stackedTable.js";
import {
  caseMask,
  describeTriageFilter,
  TRIAGE_FILTER_KEYS,
  triageFilterSuffix,
  type TriageFilter
} from "./triageFilters.js";

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

/** Baseline against candidate on the cases both graded (of those `keep` marks, when a filter is set). */
export function compareRuns(
  suite: OutcomeSuite,
  baseline: string,
  candidate: string,
  keep: readonly boolean[] | null = null
): ChosenComparison {
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
  // A loop over every case of the suite, on every filter change: no closure or array per case.
  const count = (c: PairCounts, x: number, y: number) => {
    c.shared++;
    if (x === 2) c.before_passes++;
    if (y === 2) c.after_passes++;
    if (x === 2 && y === 1) c.regressed++;
    if (x === 1 && y === 2) c.improved++;
  };
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === 0 || y === 0 || (keep && !keep[i])) continue;
    if (x === 2 && y === 1) regressed_cases.push(changed(i));
    if (x === 1 && y === 2) improved_cases.push(changed(i));
    count(total, x, y);
    count(byCategory[suite.case_categories[i]], x, y);
  }
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
  return html`<div style="overflow-x:auto">${stackOnPhone(html`<table class="report" style="max-width:none" data-testid="chosen-categories">
    <thead><tr><th>Category</th><th class="num">Baseline</th><th class="num">Candidate</th><th class="num">Change</th><th class="num">Regressed · improved</th><th class="num">Paired test</th></tr></thead>
    <tbody>${rows.map(
      (r) =>
        html`<tr><td>${r.category}</td><td class="num">${fmtPct(r.before_passes / r.shared)}</td><td class="num">${fmtPct(r.after_passes / r.shared)}</td><td class="num">${fmtPts(delta(r))}</td><td class="num">${fmtInt(r.regressed)} · ${fmtInt(r.improved)}</td><td class="num">${fmtPValue(r.p_value)}${html`<div class="muted" style="font-size:12px">n = ${fmtInt(r.shared)}</div>`}</td></tr>`
    )}</tbody></table>`)}</div>`;
}

/** The rows of the category table as the download holds them: counts, rates and the paired test. */
export const categoryCsvRows = (c: ChosenComparison) =>
  [...c.categories]
    .sort((x, y) => (delta(x) ?? 0) - (delta(y) ?? 0))
    .map((r) => ({
      ...r,
      baseline_rate: r.before_passes / r.shared,
      candidate_rate: r.after_passes / r.shared,
      change: delta(r)
    }));

/** How many changed cases a list shows; the CSV under it holds them all. */
export const CHANGED_CASES_SHOWN = 50;

/**
 * One changed case's row: its id, linked to the case view, and its category. Built with the DOM rather
 * than a template: both lists are drawn again on every filter change, up to 100 rows, and a template
 * per row parsed its HTML anew each time: about a fifth of the page's script time on a filter change
 * at 1M eval results. Text is set as text, as a template inserts it.
 */
function changedRow(c: ChangedOutcome, href: string): HTMLTableRowElement {
  const row = document.createElement("tr");
  const id = row.insertCell();
  id.style.whiteSpace = "nowrap";
  const link = id.appendChild(document.createElement("a"));
  link.setAttribute("href", href);
  link.appendChild(document.createElement("code")).textContent = c.case_id;
  row.insertCell().textContent = c.category;
  return row;
}

/**
 * The cases of one direction (regressed or improved) of the chosen pair, each linked to the case view
 * with both runs side by side. The packed outcomes carry no scores or outputs, so the list is in case
 * order rather than by score change; the outputs are one click away.
 */
export function chosenCaseList(
  cases: readonly ChangedOutcome[],
  {
    what,
    baseline,
    candidate,
    suffix = ""
  }: {what: "regressed" | "improved"; baseline: string; candidate: string; suffix?: string}
): HTMLElement {
  const shown = cases.slice(0, CHANGED_CASES_SHOWN);
  const body = cases.length
    ? html`<div>
    <table class="report" style="max-width:none">
      <thead><tr><th>Case</th><th>Category</th></tr></thead>
      <tbody>${shown.map((c) => changedRow(c, caseHref({kind: "eval", case_id: c.case_id, before: baseline, after: candidate})))}</tbody></table>
    ${cases.length > shown.length ? html`<p class="muted">Showing the first ${fmtInt(shown.length)} of ${fmtInt(cases.length)} ${what} cases, in case order; the download holds them all.</p>` : ""}
  </div>`
    : html`<p class="muted">No ${what} cases.</p>`;
  const rows = cases.map((c) => ({...c, baseline_run: baseline, candidate_run: candidate}));
  return html`<div data-testid=${`chosen-${what}`}><h3 style="margin-top:2rem">${what === "regressed" ? "Regressed" : "Improved"}: ${fmtInt(cases.length)} ${cases.length === 1 ? "case" : "cases"}</h3>${cases.length ? withCsv(body, rows, csvFilename(`triage-chosen-${what}`, baseline, candidate).replace(/\.csv$/, `${suffix}.csv`)) : body}</div>`;
}

/**
 * The chosen pair's cards, its table by category and its changed cases, computed from the packed
 * outcomes, on the cases the filter keeps; every download under them holds the filtered rows.
 */
export function chosenComparison(
  suite: OutcomeSuite,
  baseline: string,
  candidate: string,
  {
    filter = noFilter(TRIAGE_FILTER_KEYS),
    lengthBuckets = []
  }: {filter?: TriageFilter; lengthBuckets?: readonly string[]} = {}
): HTMLElement {
  const c = compareRuns(suite, baseline, candidate, caseMask(suite, filter, lengthBuckets));
  const suffix = triageFilterSuffix(filter);
  // csvFilename ends in .csv; the filter's part goes before it.
  const named = (name: string) => csvFilename(name, baseline, candidate).replace(/\.csv$/, `${suffix}.csv`);
  const runs = {baseline, candidate};
  const scope = describeTriageFilter(filter);
  const note = scope
    ? html`<p class="muted" data-testid="chosen-filter-note">Filtered to ${scope}: ${fmtInt(c.shared)} shared cases.</p>`
    : "";
  if (!c.shared)
    return html`<div>${note}<p class="muted" data-testid="chosen-comparison">No case of this slice was graded by both runs.</p></div>`;
  return html`<div>${note}${chosenCards(c)}${withCsv(chosenCategoryTable(c), categoryCsvRows(c), named("triage-chosen-categories"))}${chosenCaseList(c.regressed_cases, {what: "regressed", ...runs, suffix})}${chosenCaseList(c.improved_cases, {what: "improved", ...runs, suffix})}</div>`;
}

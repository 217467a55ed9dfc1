// Tables of the eval pages: runs, changed cases, bake-off options and recommendations. Every rate is
// shown with its interval and n; every comparison with its paired test.
import {html} from "npm:htl";
import {fmtCI, fmtCost, fmtPValue, fmtPts, fmtRange, fmtScore, systemLabel, type Interval} from "./evalFormat.js";
import {fmtDate, fmtInt, fmtMeanTokens, fmtMs, fmtPct} from "./format.js";
import type {BakeoffPage} from "../../loaders/queries/bakeoff.js";
import type {EvalTriagePage} from "../../loaders/queries/evalTriage.js";

type RunRow = EvalTriagePage["runs"][number];
type SideBySideEval = EvalTriagePage["evals"][number];
type ChangedCase = EvalTriagePage["comparisons"][number]["regressed_cases"][number];
/** promptfoo's own pass rate of a run that repeated its cases: every result (case × repeat) counted. */
type ResultPass = RunRow["result_pass"];
type Option = BakeoffPage["suites"][number]["options"][number];
type CategoryRec = BakeoffPage["suites"][number]["categories"][number];
type Rec = BakeoffPage["suites"][number]["recommendation"];
import {caseHref} from "./caseLinks.js";
import {stackOnPhone} from "./stackedTable.js";

interface MeanLike {
  mean: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

const fmtMean = (m: MeanLike) =>
  m.mean === null ? "—" : `${fmtScore(m.mean)} [${fmtScore(m.low)}–${fmtScore(m.high)}]`;

const erroredTitle =
  "Results that ended in an error: each case × repeat (epoch) counts, so a case that errored in two repeats counts twice. With repeats, the note gives all results and the cases with an error.";

export function runsTable(runs: readonly RunRow[], {highlight = [] as readonly string[]} = {}): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width:none">
    <thead><tr><th>Run</th><th>Option</th><th>Dataset</th><th class="num">Pass rate [95% CI] n</th><th class="num">Mean score [95% CI]</th><th class="num" title=${erroredTitle}>Errored results</th></tr></thead>
    <tbody>${[...runs].reverse().map(
      (r) => html`<tr style=${highlight.includes(r.run_id) ? "font-weight:600" : ""}>
      <td>${fmtDate(r.started_at)} <span class="muted">${r.run_id}</span>${r.status ? html` <span class="warn-text">(${r.status})</span>` : ""}</td>
      <td>${systemLabel(r)}</td><td>${r.dataset_version ?? "—"}</td>
      <td class="num">${fmtCI(r.pass)}${resultPassNote(r.pass, r.result_pass)}</td><td class="num">${fmtMean(r.score)}</td><td class="num">${fmtInt(r.errored_results)}${r.results > r.pass.n ? html`<div class="muted" style="font-size:12px">of ${fmtInt(r.results)} · in ${fmtInt(r.errored_cases)} ${r.errored_cases === 1 ? "case" : "cases"}</div>` : ""}</td></tr>`
    )}
    </tbody></table>`);
}

/** The options one eval graded on the same cases (promptfoo's provider × prompt columns), best first:
 * read across, not as a run after a run. */
export function sideBySideTable(e: SideBySideEval): HTMLElement {
  return html`<table class="report" style="max-width:none" data-testid="side-by-side">
    <thead><tr><th>Option</th><th class="num">Pass rate [95% CI] n cases</th><th class="num">Cases with an error</th></tr></thead>
    <tbody>${e.options.map(
      (o) => html`<tr>
      <td title=${`run ${o.run_id}`}><strong>${o.option}</strong></td>
      <td class="num">${fmtCI(o.pass)}${resultPassNote(o.pass, o.result_pass)}</td><td class="num">${fmtInt(o.errored)}</td></tr>`
    )}
    </tbody></table>`;
}

export function casesTable(
  cases: readonly ChangedCase[],
  {total = cases.length, what = "cases", runs = null as {before: string; after: string} | null} = {}
): HTMLElement {
  if (!cases.length) return html`<p class="muted">No ${what}.</p>`;
  return html`<div>
    ${stackOnPhone(html`<table class="report" style="max-width:none">
      <thead><tr><th>Case</th><th>Category</th><th class="num">Input chars</th><th class="num">Score before → after</th><th>Output after (redacted)</th></tr></thead>
      <tbody>${cases.map(
        (c) => html`<tr>
        <td style="white-space:nowrap">${runs ? html`<a href=${caseHref({kind: "eval", case_id: c.case_id, ...runs})}><code>${c.case_id}</code></a>` : html`<code>${c.case_id}</code>`}</td><td>${c.category}</td><td class="num">${c.input_chars === null ? "—" : fmtInt(c.input_chars)}</td>
        <td class="num">${fmtScore(c.before_score)} → ${fmtScore(c.after_score)}</td>
        <td style="max-width:420px">${c.error ? html`<span class="warn-text">error: ${c.error}</span> ` : ""}${c.excerpt ?? html`<span class="muted">(no excerpt recorded)</span>`}${c.reason ? html`<div class="muted" style="font-size:12px">grader: ${c.reason}</div>` : ""}</td></tr>`
      )}
      </tbody></table>`)}
    ${total > cases.length ? html`<p class="muted">Showing the ${cases.length} biggest score changes of ${fmtInt(total)} ${what}.</p>` : ""}
  </div>`;
}

/** A missing cost is unknown, never free: "$0.00" would rank it cheapest. */
const costOrUnknown = (x: number | null | undefined) => (x == null ? "cost unknown" : fmtCost(x));

/** The per-result rate under the per-case one, only where the two differ. */
export const resultPassNote = (pass: Interval, r: ResultPass | null | undefined) =>
  r && r.rate !== pass.rate
    ? html`<div class="muted" style="font-size:12px;white-space:nowrap" title="promptfoo counts every result (case × repeat); the workbench counts each case once, passed when a strict majority of its repeats passed">per result ${fmtPct(r.rate)} (${fmtInt(r.passes)}/${fmtInt(r.n)})</div>`
    : "";

/**
 * A cell's second line (interval, n, source), kept on one line unless the table is too wide for it (wrap).
 * Wrapped, it breaks only between its " · " parts: a browser may break after a dash, which split a score
 * interval as "0.764–" over "0.893".
 */
const sub = (text: unknown, {wrap = false} = {}) =>
  html`<div class="muted" style=${`font-size:12px;white-space:${wrap ? "normal" : "nowrap"}`}>${
    wrap && typeof text === "string"
      ? text.split(" · ").map((part, i) => html`${i ? " · " : ""}<span style="white-space:nowrap">${part}</span>`)
      : text
  }</div>`;

export function optionsTable(
  options: readonly Option[],
  {best = null as string | null, recommended = null as string | null} = {}
): HTMLElement {
  // Seven columns of figures overran a laptop's column (about 830 px against 704): their second lines
  // wrap here, so the table fits; on a phone each option is a block. The paired counts under "vs best"
  // are parts of their own: at 1M results "p < 0.001 (591 vs 1858)" was one unbreakable line and the
  // table 754 px wide.
  const sub_ = (text: unknown) => sub(text, {wrap: true});
  const bestRate = options.find((o) => o.option === best)?.pass.rate ?? null;
  return html`<div style="overflow-x:auto">${stackOnPhone(html`<table class="report" style="max-width:none" data-testid="options-table">
    <thead><tr><th>Option</th><th class="num">Pass rate</th><th class="num">vs best</th><th class="num">Mean score</th><th class="num">Cost / request</th><th class="num">Latency p50 · p95 · p99</th><th class="num">Errors</th></tr></thead>
    <tbody>${options.map(
      (o) => html`<tr data-option=${o.option}>
      <td title=${`run ${o.run_id} of ${fmtDate(o.started_at)}`}><strong>${o.option}</strong>${o.option === best ? sub_("best pass rate") : ""}${o.option === recommended ? html`<div style="font-size:12px;color:var(--wb-good);font-weight:600">recommended</div>` : ""}</td>
      <td class="num"><strong>${fmtPct(o.pass.rate)}</strong>${sub_(`${fmtRange(o.pass)} · n = ${fmtInt(o.pass.n)}`)}${resultPassNote(o.pass, o.result_pass)}</td>
      <td class="num">${o.vs_best ? html`${fmtPts(o.pass.rate !== null && bestRate !== null ? o.pass.rate - bestRate : null)}${sub_(`${fmtPValue(o.vs_best.p_value)} · ${fmtInt(o.vs_best.only_this)} won · ${fmtInt(o.vs_best.only_best)} lost`)}` : "—"}</td>
      <td class="num">${fmtScore(o.score.mean)}${sub_(o.score.mean === null ? "" : `${fmtScore(o.score.low)}–${fmtScore(o.score.high)}`)}</td>
      <td class="num">${o.cost.mean === null ? html`<span title=${o.cost.unknown ?? ""}>cost unknown</span>${o.cost.unknown ? sub_("left out of cost ranking") : ""}` : html`${fmtCost(o.cost.mean)}${o.cost.source === "computed" ? sub_("from token prices") : o.cost.source === "mixed" ? sub_("partly from token prices") : ""}`}${o.tokens?.n ? sub_(`${fmtMeanTokens(o.tokens.input_mean)} in · ${fmtMeanTokens(o.tokens.output_mean)} out tokens`) : ""}</td>
      <td class="num" style="white-space:nowrap">${fmtMs(o.latency.p50)} · ${fmtMs(o.latency.p95)} · ${fmtMs(o.latency.p99)}</td>
      <td class="num">${fmtPct(o.errors.rate)}${sub_(`n = ${fmtInt(o.errors.n)}`)}</td></tr>`
    )}
    </tbody></table>`)}</div>`;
}

/**
 * Per category: the recommended option, how it compares with the category's best, and what it saves.
 * On a phone each category is a block: as six columns it cut the best option and the saving off at 390 px.
 */
export function categoryRecommendationsTable(categories: readonly CategoryRec[]): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width:none" data-testid="category-recommendations">
    <thead><tr><th>Category</th><th>Recommended</th><th class="num">Its pass rate</th><th>Best in category</th><th class="num">Paired test</th><th class="num">Cost vs best</th></tr></thead>
    <tbody>${categories.map((c) => {
      const rec = c.rows.find((r) => r.option === c.recommendation.recommended);
      const best = c.rows.find((r) => r.option === c.recommendation.best);
      const saving =
        rec && best && rec.cost !== null && best.cost !== null && best.cost > 0 ? 1 - rec.cost / best.cost : null;
      return html`<tr>
        <td>${c.category}</td>
        <td><strong title=${c.recommendation.recommended ? "" : c.recommendation.reason}>${c.recommendation.recommended ?? "none"}</strong></td>
        <td class="num">${rec ? html`${fmtPct(rec.pass.rate)}${sub(`${fmtRange(rec.pass)} · n = ${fmtInt(rec.pass.n)}`)}` : "—"}</td>
        <td>${best ? html`${best.option}${sub(fmtPct(best.pass.rate))}` : "—"}</td>
        <td class="num">${rec && rec !== best && rec.vs_best ? `${fmtPValue(rec.vs_best.p_value)}` : rec === best ? "is the best" : "—"}</td>
        <td class="num">${rec && rec !== best ? html`${costOrUnknown(rec.cost)} vs ${costOrUnknown(best?.cost)}${saving !== null && saving > 0 ? sub(`${Math.round(saving * 100)}% cheaper`) : ""}` : "—"}</td></tr>`;
    })}
    </tbody></table>`);
}

export function recommendationsTable(
  rows: readonly {scope: string; recommendation: Rec}[],
  {scopeLabel = "Scope"} = {}
): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width:none" data-testid="recommendations">
    <thead><tr><th>${scopeLabel}</th><th>Recommended</th><th>Best pass rate</th><th>Why</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
      <td>${r.scope}</td>
      <td><strong>${r.recommendation.recommended ?? "none"}</strong></td>
      <td>${r.recommendation.best ?? "—"}</td>
      <td style="max-width:520px">${r.recommendation.reason}</td></tr>`
    )}
    </tbody></table>`);
}

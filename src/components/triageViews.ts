// The eval-triage page's views: the suites at a glance, the headline cards of a run pair, the
// explanation of what changed, and the note on an eval whose options ran side by side.
import {html} from "npm:htl";
import type {evalTriage} from "../../loaders/queries/evalTriage.js";
import {cards} from "./cards.js";
import {fmtPValue, fmtPts, fmtRange, fmtScore, runLabel, systemLabel} from "./evalFormat.js";
import {sideBySideTable} from "./evalTables.js";
import type {OutcomeSuite} from "./triageCompare.js";
import {fmtDate, fmtInt, fmtPct} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";

type Triage = Awaited<ReturnType<typeof evalTriage>>;
type Suite = Triage["suites"][number];
type Run = Triage["runs"][number];
type Comparison = Triage["comparisons"][number];
type RunsById = ReadonlyMap<string, Run>;

const significant = (p: number | null) => p !== null && p < 0.05;

/** bad: a significant drop; good: a significant gain; muted: no pair, or within noise. */
export function changeTone(latest: {p_value: number | null; delta: number | null} | null): "bad" | "good" | "muted" {
  if (!latest || !significant(latest.p_value)) return "muted";
  return (latest.delta ?? 0) < 0 ? "bad" : "good";
}

const toneColor = {bad: "var(--wb-bad)", good: "var(--wb-good)", muted: "inherit"};
const bakeoffLink = (suite: string) => `./bakeoff.html?suite=${encodeURIComponent(suite)}`;

/** `runs`: the runs the suites' latest pairs name (eval-triage.json's). */
export function suitesTable(suites: readonly Suite[], runs: readonly Run[]): HTMLElement {
  const runById: RunsById = new Map(runs.map((r) => [r.run_id, r]));
  return stackOnPhone(html`<table class="report" style="max-width:none" data-testid="suites">
  <thead><tr><th>Suite</th><th>Latest run vs the one before</th><th class="num">Change</th><th>What the paired test says</th></tr></thead>
  <tbody>${suites.map(
    (s) => html`<tr>
    <td><strong>${s.suite}</strong><div class="muted" style="font-size:12px">${s.feature} · ${s.runs} run${s.runs === 1 ? "" : "s"}${s.evals !== s.runs ? ` in ${s.evals} eval${s.evals === 1 ? "" : "s"}` : ""}</div></td>
    <td>${s.latest ? html`${runLabel(runById.get(s.latest.before)!)} →<br>${runLabel(runById.get(s.latest.after)!)}` : s.side_by_side ? html`<span class="muted">one eval of ${s.side_by_side.options} options side by side: <a href=${bakeoffLink(s.suite)}>compare them on Model bake-off</a></span>` : html`<span class="muted">single run</span>`}</td>
    <td class="num" style=${`white-space:nowrap;font-weight:600;color:${toneColor[changeTone(s.latest)]}`}>${s.latest ? fmtPts(s.latest.delta) : "—"}</td>
    <td style="max-width:460px">${s.latest ? s.latest.text : ""}</td></tr>`
  )}
  </tbody></table>`);
}

export function singleRunNote(suite: Suite): HTMLElement {
  return html`<div class="note" role="status">Suite <strong>${suite.suite}</strong> has ${suite.side_by_side ? "a single eval, whose options are listed below" : "a single run"}: there is no earlier run to compare with yet.</div>`;
}

/** The suite's latest eval as sideBySideView shows it, or nothing when its options did not run side by side. */
export function latestSideBySide(evals: Triage["evals"], suite: string): HTMLElement {
  const latest = evals.filter((e) => e.suite === suite).slice(-1)[0];
  // An empty element, not html`` (which is null, and which the page's display() prints as "null").
  return latest ? sideBySideView(latest) : (html`<div></div>` as HTMLElement);
}

/** The latest eval of the suite, when its options ran side by side. */
export function sideBySideView(sideBySide: Triage["evals"][number]): HTMLElement {
  return html`<h3>Options of one eval, side by side</h3>
  <p class="muted">Eval <code>${sideBySide.eval_id}</code> of ${fmtDate(sideBySide.started_at)} graded ${sideBySide.options.length} options on the same cases. Each is compared with its own earlier run (when an earlier eval had it), not with its neighbour; to compare them with each other case by case, see <a href=${bakeoffLink(sideBySide.suite)}>Model bake-off</a>. Where cases were repeated (promptfoo's --repeat), "per result" is promptfoo's own pass rate, counting every repeat; the workbench's rate counts each case once, passed when a strict majority of its repeats passed.</p>
  ${sideBySideTable(sideBySide)}`;
}

const runCard = (label: string, run: Run) => ({
  label,
  value: fmtPct(run.pass.rate),
  note: `${fmtDate(run.started_at)} · ${systemLabel(run)} · 95% CI ${fmtRange(run.pass)} · n = ${fmtInt(run.pass.n)}`
});

export function pairCards(pair: Comparison, runById: RunsById): HTMLElement {
  const before = runById.get(pair.before)!;
  const after = runById.get(pair.after)!;
  return cards([
    runCard("Pass rate before", before),
    runCard("Pass rate after", after),
    {
      label: "Change on shared cases",
      value: fmtPts(pair.delta),
      note: `${fmtInt(pair.regressed)} regressed, ${fmtInt(pair.improved)} improved of ${fmtInt(pair.shared)} · McNemar ${fmtPValue(pair.p_value)}`,
      tone: significant(pair.p_value) ? ((pair.delta ?? 0) < 0 ? "bad" : "good") : undefined
    },
    {
      label: "Mean score",
      value: `${fmtScore(before.score.mean)} → ${fmtScore(after.score.mean)}`,
      note: `95% t intervals [${fmtScore(before.score.low)}–${fmtScore(before.score.high)}] → [${fmtScore(after.score.low)}–${fmtScore(after.score.high)}]`
    }
  ]);
}

/** "model gpt-4o → gpt-4o-mini": each run attribute that differs between the two runs. */
export function runChanges(changed: Comparison["changed"]): string[] {
  return Object.entries(changed)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k.replace("_", " ")} ${v!.from ?? "—"} → ${v!.to ?? "—"}`);
}

export function pairExplanation(pair: Comparison): HTMLElement {
  const changes = runChanges(pair.changed);
  return html`<div class=${pair.explanation.kind === "no-change" ? "note" : pair.explanation.direction === "drop" ? "warning" : "tip"} role="status" data-testid="explanation">
  <strong>${pair.explanation.text}</strong>
  ${changes.length ? html`<br>What changed between the runs: ${changes.join("; ")}.` : html`<br>Same model, prompt and dataset version in both runs.`}
  ${pair.only_before || pair.only_after ? html`<br><span class="muted">${fmtInt(pair.only_before)} cases only in the earlier run and ${fmtInt(pair.only_after)} only in the later one are left out of the paired comparison.</span>` : ""}
</div>`;
}

/**
 * The consecutive pair as the page shows it: the build's pair, or, when the case filter keeps a slice,
 * the pair recomputed on it (its cards, explanation, slices and counts of changed cases).
 */
export async function pairSection(
  suite: OutcomeSuite | null,
  pair: Comparison | null,
  keep: readonly boolean[] | null,
  lengthBuckets: readonly string[],
  runById: RunsById,
  scope: string
) {
  // The slice's code (and the shared pair shaping it imports) loads once a filter keeps a slice: an
  // unfiltered page does not fetch it (#14: a page without exploration transfers no more than before).
  const slicing = suite && pair && keep ? await import("./triageSlice.js") : null;
  const sliced = slicing && suite && pair && keep ? slicing.slicedPair(suite, pair, keep, lengthBuckets) : null;
  const shown =
    pair && sliced
      ? {
          ...pair,
          explanation: sliced.explanation,
          slices: sliced.slices,
          shared: sliced.overall.n,
          regressed: sliced.regressed,
          improved: sliced.improved,
          only_before: sliced.only_before,
          only_after: sliced.only_after
        }
      : pair;
  const nodes =
    pair && shown
      ? [slicing && sliced ? slicing.slicedPairCards(sliced, scope) : pairCards(pair, runById), pairExplanation(shown)]
      : [];
  return {shown, nodes};
}

// The launch-gate page's views beside the gates: the summary of every candidate, one candidate's
// verdict with its evidence and rollout, and the paired comparison with its baseline.
import {html} from "npm:htl";
import type {LaunchGatePage} from "../../loaders/queries/launchGate.js";
import {caseHref} from "./caseLinks.js";
import {stackOnPhone} from "./stackedTable.js";
import {fmtPValue, systemLabel, verdictBadge} from "./evalFormat.js";
import {fmtDate, fmtInt, fmtPct} from "./format.js";

type Launch = LaunchGatePage["launches"][number];

/** The candidate as the pages name a system: its option, or model · prompt version. */
export const candidateLabel = (l: Launch) =>
  systemLabel({
    model: l.candidate.model,
    prompt_version: l.candidate.prompt_version ?? null,
    option: l.candidate.option ?? null
  });

/** One row per launch; on a phone each row is a block, since five columns cut its evidence off at 390 px. */
export function launchSummaryTable(launches: readonly Launch[]): HTMLElement {
  return stackOnPhone(html`<table class="report" style="max-width:none" data-testid="launch-summary">
  <thead><tr><th>Feature</th><th>Candidate</th><th>Suite</th><th>Evidence</th><th>Verdict</th></tr></thead>
  <tbody>${launches.map(
    (l) => html`<tr>
    <td><strong>${l.feature}</strong></td>
    <td>${candidateLabel(l)}</td>
    <td>${l.suite}</td>
    <td>${l.evidence ? `${fmtDate(l.evidence.started_at)} · n = ${fmtInt(l.evidence.n)}` : "no run yet"}</td>
    <td>${verdictBadge(l.verdict)}</td></tr>`
  )}
  </tbody></table>`);
}

export function launchVerdictCard(launch: Launch): HTMLElement {
  return html`<div class="card" data-testid="launch-verdict" style="max-width:none">
  <div style="display:flex;gap:16px;align-items:center;flex-wrap:wrap">${verdictBadge(launch.verdict, {big: true})}<span style="font-size:18px">${launch.summary}</span></div>
  <p style="margin-bottom:0"><strong>Staged rollout:</strong> ${launch.rollout}</p>
  <p class="muted" style="margin-bottom:0">Evidence: ${launch.evidence ? html`run <code>${launch.evidence.run_id}</code> (<a href=${caseHref({kind: "list", table: "eval_results", where: {run_id: launch.evidence.run_id, passed: false}})}>its failing cases</a>) of ${fmtDate(launch.evidence.started_at)} on suite <strong>${launch.suite}</strong>${launch.evidence.dataset_version ? ` (dataset ${launch.evidence.dataset_version})` : ""} — ${launch.evidence.option ? `option ${launch.evidence.option}, ` : ""}model ${launch.evidence.model}, prompt ${launch.evidence.prompt_version ?? "—"}, ${fmtInt(launch.evidence.n)} cases.` : `no eval run of ${launch.candidate.model} on ${launch.suite}.`}</p>
</div>`;
}

/** The candidate against its baseline on the cases both graded, or why there is no such comparison. */
export function pairedView(launch: Launch): HTMLElement {
  const {paired, baseline_evidence} = launch;
  if (!paired || !baseline_evidence)
    return html`<p class="muted">${launch.baseline ? `No eval run of the baseline ${launch.baseline.model} on this suite to compare with.` : "The config names no baseline for this launch."}</p>`;
  return html`<p data-testid="paired">On the ${fmtInt(paired.shared)} cases both graded, the candidate passes ${fmtPct(paired.candidate_passes / paired.shared)} and the baseline (${systemLabel(baseline_evidence)}) ${fmtPct(paired.baseline_passes / paired.shared)}: the candidate alone passes ${fmtInt(paired.candidate_only)}, the baseline alone ${fmtInt(paired.baseline_only)} (exact McNemar ${fmtPValue(paired.p_value)}${paired.p_value !== null && paired.p_value < 0.05 ? "" : `: no significant difference, which is not equivalence${paired.minimum_detectable === null ? "" : ` — ${fmtInt(paired.shared)} cases detect a difference of ${(paired.minimum_detectable * 100).toFixed(1)} points or more, and rule out none smaller`}`}).</p>`;
}

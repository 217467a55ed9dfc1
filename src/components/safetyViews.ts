// The safety page's data shaping and views: the totals of the flags a feature and status pick, the
// headline cards, the decisions taken, and the open items.
import {html} from "npm:htl";
import {cards} from "./cards.js";
import {caseHref} from "./caseLinks.js";
import {withCsv} from "./csvDownload.js";
import {fmtInt, fmtPct} from "./format.js";
import {ALL, allLabel} from "./productionFormat.js";
import type {DecisionCount, FlagGroup as Group, OpenFlagRow} from "../../loaders/queries/safety.js";
import {flagRowId} from "./safetyFindings.js";
import {severityClass} from "./palette.js";
import {stackOnPhone} from "./stackedTable.js";

/** The groups of the feature (ALL: every feature) and status (ALL: open and resolved). */
export const groupsOf = <G extends Group>(groups: readonly G[], feature: string, status: string): G[] =>
  groups.filter((g) => (feature === ALL || g.feature === feature) && (status === ALL || g.status === status));

const sum = (groups: readonly {n: number}[]) => groups.reduce((t, g) => t + g.n, 0);

export interface SafetyTotals {
  /** Flags in the picked slice. */
  total: number;
  /** Open flags of the feature, whatever status is picked, and how many of them are high or critical. */
  open: number;
  severe: number;
  byCause: {prompt: number; capability: number; policy: number; unknown: number};
}

export function safetyTotals(groups: readonly Group[], feature: string, status: string): SafetyTotals {
  const picked = groupsOf(groups, feature, status);
  const open = groupsOf(groups, feature, "open");
  const cause = (c: string) => sum(picked.filter((g) => g.root_cause === c));
  return {
    total: sum(picked),
    open: sum(open),
    severe: sum(open.filter((g) => g.severity === "critical" || g.severity === "high")),
    byCause: {
      prompt: cause("prompt"),
      capability: cause("capability"),
      policy: cause("policy"),
      unknown: cause("unknown")
    }
  };
}

export function safetyCards(
  {total, open, severe, byCause}: SafetyTotals,
  feature: string,
  status: string
): HTMLElement {
  const share = (k: number) => (total ? k / total : null);
  return html`<div id="safety-cards">${cards([
    {
      label: "Flags",
      value: fmtInt(total),
      note: `${allLabel(feature, "all features")} · ${status === ALL ? "open and resolved" : status}`
    },
    {
      label: "Open",
      value: fmtInt(open),
      note: `${fmtInt(severe)} of them high or critical`,
      tone: severe ? "bad" : open ? "warn" : "good"
    },
    {
      label: "Prompt failures",
      value: fmtPct(share(byCause.prompt)),
      note: `${fmtInt(byCause.prompt)} of ${fmtInt(total)}: fixable in the prompt`
    },
    {
      label: "Capability and policy gaps",
      value: fmtPct(share(byCause.capability + byCause.policy)),
      // n first, as on the prompt failures' card: the share alone did not say of how many flags.
      note: `${fmtInt(byCause.capability + byCause.policy)} of ${fmtInt(total)}: ${fmtInt(byCause.capability)} capability · ${fmtInt(byCause.policy)} policy; ${fmtInt(byCause.unknown)} not yet known`
    }
  ])}</div>`;
}

export interface DecisionTotal {
  decision: string;
  n: number;
  /** The root causes of the flags it closed, in order of first appearance. */
  causes: string;
}

/** Flags closed per decision, most first (ties keep the order the decisions first appear in). */
export function decisionTotals(
  decisions: readonly Pick<DecisionCount, "decision" | "root_cause" | "n">[]
): DecisionTotal[] {
  const byDecision = new Map<string, {n: number; causes: Set<string>}>();
  for (const d of decisions) {
    const t = byDecision.get(d.decision) ?? {n: 0, causes: new Set<string>()};
    t.n += d.n;
    t.causes.add(d.root_cause);
    byDecision.set(d.decision, t);
  }
  return [...byDecision]
    .map(([decision, t]) => ({decision, n: t.n, causes: [...t.causes].join(", ")}))
    .sort((a, b) => b.n - a.n);
}

/** Flags closed per decision, with the download of those rows (`filename`) when there are any. */
export function decisionsTable(totals: readonly DecisionTotal[], filename: string): HTMLElement {
  if (!totals.length) return html`<p class="muted">No decision recorded yet.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report"><thead><tr><th>Decision</th><th class="num">Flags closed</th><th>Root causes</th></tr></thead>
  <tbody>${totals.map((v) => html`<tr><td>${v.decision}</td><td class="num">${fmtInt(v.n)}</td><td class="muted">${v.causes}</td></tr>`)}</tbody></table>`),
    totals,
    filename
  );
}

export type OpenFlag = Pick<
  OpenFlagRow,
  | "flag_id"
  | "severity"
  | "category"
  | "root_cause"
  | "feature"
  | "model"
  | "prompt_version"
  | "prompt_source"
  | "trace_id"
  | "age_days"
  | "excerpt"
>;

/**
 * The open flags, most severe and oldest first, with the download of them (`filename`) when there are
 * any. Each row names the model and prompt version the flag came from and its trace, and has an id home
 * and findings link to.
 */
export function openFlagsTable(open: readonly OpenFlag[], filename: string): HTMLElement {
  if (!open.length) return html`<p>No open flags.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report" id="open-flags" style="max-width: none"><thead><tr><th>Flag</th><th>Severity</th><th>Category</th><th>Root cause</th><th>Feature · model · prompt</th><th>Trace</th><th class="num">Age (days)</th><th>Excerpt</th></tr></thead>
  <tbody>${open.map(
    (
      r
    ) => html`<tr id=${flagRowId(r.flag_id)}><td><a href=${caseHref({kind: "flag", flag_id: r.flag_id})}><code>${r.flag_id}</code></a></td><td class=${severityClass(r.severity)}>${r.severity}</td><td>${r.category}</td><td>${r.root_cause}</td>
    <td>${r.feature}${r.model ? ` · ${r.model}` : ""}${r.prompt_version ? html` · ${r.prompt_version}${r.prompt_source === "live then" ? html` <span class="muted">(live then)</span>` : ""}` : ""}</td>
    <td>${r.trace_id ? html`<a class="trace-id" data-trace-id=${r.trace_id} href=${caseHref({kind: "trace", trace_id: r.trace_id})}><code>${r.trace_id.slice(0, 12)}</code></a>` : html`<span class="muted">—</span>`}</td>
    <td class="num">${fmtInt(r.age_days)}</td><td>${r.excerpt ?? ""}</td></tr>`
  )}</tbody></table>`),
    open,
    filename
  );
}

// A page's findings: one sentence each that states the conclusion, with the scope of its figures
// (which days they cover) written next to it, evidence where a sentence needs it, and a link to the
// row or chart it rests on. Pages compute them with pure functions (safetyFindings, correctionFindings).
import {html} from "npm:htl";

export interface Evidence {
  label: string;
  value: string;
  /** Marks the first entry after a boundary, e.g. the week a version began serving. */
  boundary?: string;
}

export interface Finding {
  /** Stable id: the list item's element id, for links from home and the brief. */
  id: string;
  text: string;
  /** What the figures cover, e.g. "whole period, 2026-09-12 to 2026-11-20". */
  scope: string;
  tone?: "bad" | "warn" | "good";
  href?: string;
  evidence?: readonly Evidence[];
  evidenceLabel?: string;
}

export function findingsList(findings: readonly Finding[], id: string): HTMLElement {
  return html`<ul class="findings" id=${id}>${findings.map(
    (f) => html`<li id=${f.id} class=${f.tone ? `tone-${f.tone}` : ""}>
      <strong>${f.text}</strong> <span class="scope">(${f.scope})</span>
      ${f.href ? html` <a href=${f.href}>Show →</a>` : ""}
      ${f.evidence?.length ? evidenceLine(f.evidenceLabel ?? "Evidence", f.evidence) : ""}
    </li>`
  )}</ul>`;
}

function evidenceLine(label: string, evidence: readonly Evidence[]): HTMLElement {
  return html`<div class="evidence muted">${label}: ${evidence.map(
    (e, i) =>
      html`${e.boundary ? html`<span class="boundary">▍${e.boundary}</span> ` : ""}<span class="nowrap">${e.label} <strong>${e.value}</strong></span>${i < evidence.length - 1 ? " · " : ""}`
  )}</div>`;
}

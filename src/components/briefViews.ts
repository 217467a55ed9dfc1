// The capability brief's views: a portfolio page and one page per feature, each sized to print on one
// A4 or Letter sheet. Numbers come as fact links (briefText.ts); charts are drawn at a fixed width
// that fits the printable page, never resized after layout.
import * as Plot from "@observablehq/plot";
import {html} from "npm:htl";
import type {Brief, FeatureBrief} from "../../loaders/brief/assemble.js";
import type {GateRow} from "../../loaders/brief/quality.js";
import type {BriefDraftPage} from "../../loaders/queries/briefDraft.js";
import {prose, type BriefFact} from "./briefText.js";
import {TONE} from "./palette.js";
import {stackOnPhone} from "./stackedTable.js";

export type {Brief, FeatureBrief, GateRow};
/** What the drafting step produced (src/data/brief-draft.json): model prose, or why the facts' own text is used. */
export type Draft = BriefDraftPage;

type Decision = FeatureBrief["decision"];

const RISKS_SHOWN = 3;

const decisionStyle: Record<string, [string, string]> = {
  hold: ["HOLD", "var(--wb-bad)"],
  investigate: ["INVESTIGATE", "var(--theme-yellow)"],
  go: ["GO", "var(--wb-good)"]
};

export function decisionBadge(decision: Decision): HTMLElement {
  const [text, color] = decision ? decisionStyle[decision] : ["NO DECISION PENDING", "var(--theme-foreground-faint)"];
  return html`<span class=${`decision decision-${decision ?? "none"}`} style=${`--decision:${color}`}>${text}</span>`;
}

const capitalize = (s: string) => s.replace(/^./, (ch) => ch.toUpperCase());
/** Capitalizes a leading word, but not a leading name such as "gpt-4.1-mini". */
const sentenceCase = (s: string) => s.replace(/^[a-z]+(?=[\s,])/, capitalize);
const date = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

/** A gate's 95% interval against its threshold at sparkline size: passing side shaded, threshold dashed. */
export function gateStrip(g: GateRow, {width = 110, height = 20} = {}) {
  const values = [g.threshold, g.estimate, g.low, g.high].filter((v): v is number => v !== null);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(g.threshold) || 1) * 0.25;
  const domain: [number, number] = [Math.max(0, lo - pad), g.unit === "rate" ? Math.min(1, hi + pad) : hi + pad];
  const color = g.verdict === "pass" ? TONE.good : g.verdict === "fail" ? TONE.bad : "#e6a700";
  return Plot.plot({
    width,
    height,
    margin: 4,
    x: {domain, axis: null},
    y: {axis: null, domain: [0, 1]},
    marks: [
      Plot.rectX([0], {
        x1: g.direction === "min" ? g.threshold : domain[0],
        x2: g.direction === "min" ? domain[1] : g.threshold,
        y1: 0,
        y2: 1,
        fill: TONE.good,
        fillOpacity: 0.12
      }),
      Plot.ruleX([g.threshold], {stroke: "currentColor", strokeDasharray: "3,2"}),
      g.estimate === null
        ? null
        : Plot.ruleY([0.5], {
            x1: g.low ?? domain[0],
            x2: g.high ?? domain[1],
            stroke: color,
            strokeWidth: 5,
            strokeOpacity: 0.55
          }),
      g.estimate === null
        ? null
        : Plot.dot([g.estimate], {x: (d: number) => d, y: 0.5, r: 4, fill: color, stroke: "white"})
    ]
  });
}

const verdictWord: Record<string, string> = {
  pass: "pass",
  fail: "fail",
  inconclusive: "not yet conclusive",
  "no-data": "no data"
};

function gateTable(gates: readonly GateRow[], facts: ReadonlyMap<string, BriefFact>): HTMLElement {
  const text = (id: string | null, full = false) => (id ? prose(`{{${id}${full ? ":full" : ""}}}`, facts) : "no data");
  return stackOnPhone(html`<table class="brief-table" data-testid="brief-gates">
    <thead><tr><th>Gate</th><th>Measured [95% interval] n</th><th>Threshold</th><th>Verdict</th><th class="strip-cell">vs threshold</th></tr></thead>
    <tbody>${gates.map(
      (g) => html`<tr>
      <td class="nowrap">${g.label}</td><td class="nowrap">${text(g.fact, true)}</td><td class="nowrap">${g.direction === "min" ? "≥" : "≤"} ${text(g.threshold_fact)}</td>
      <td class=${`nowrap verdict-${g.verdict}`}>${verdictWord[g.verdict] ?? g.verdict}</td><td class="strip-cell">${gateStrip(g)}</td></tr>`
    )}</tbody></table>`);
}

function budgetTable(rows: FeatureBrief["budget"], facts: ReadonlyMap<string, BriefFact>): HTMLElement {
  if (!rows.length) return html`<p class="muted">No traced production requests for this feature.</p>`;
  return stackOnPhone(html`<table class="brief-table" data-testid="brief-budget">
    <thead><tr><th>In production</th><th>Measured</th><th>Budget</th><th></th></tr></thead>
    <tbody>${rows.map(
      (
        r
      ) => html`<tr><td>${r.label}</td><td>${prose(r.measured, facts)}</td><td>${r.budget ? prose(r.budget, facts) : "—"}</td>
      <td class=${`budget-${r.status.replace(" ", "-")}`}>${r.status === "over" ? "over budget" : r.status === "within" ? "within" : "no budget set"}</td></tr>`
    )}</tbody></table>`);
}

const block = (title: string, body: unknown, testid: string) =>
  html`<div class="brief-block" data-testid=${testid}><h3>${title}</h3>${body}</div>`;
const bullets = (lines: readonly string[], facts: ReadonlyMap<string, BriefFact>) =>
  html`<ul>${lines.map((l) => html`<li>${prose(l, facts)}</li>`)}</ul>`;

export function featureSection(
  f: FeatureBrief,
  facts: ReadonlyMap<string, BriefFact>,
  drafted?: {headline: string; summary: string}
): HTMLElement {
  const text = drafted ?? f;
  const launch = f.quality.launch;
  const risks = f.risks.slice(0, RISKS_SHOWN);
  const more = f.risks.slice(RISKS_SHOWN).map((r) => r.title);
  return html`<section class="brief-section" id=${f.anchor} data-feature=${f.feature}>
    <header class="brief-head"><h2>${f.feature}</h2>${decisionBadge(f.decision)}</header>
    <p class="brief-headline" data-testid="brief-headline">${prose(text.headline, facts)}</p>
    <p class="brief-summary">${prose(text.summary, facts)}</p>
    ${block("What changed since the last review", bullets(f.changed, facts), "brief-changed")}
    ${block(
      "Quality against the launch gates",
      launch
        ? html`<p class="muted">${prose(launch.evidence, facts)}</p>${gateTable(launch.gates, facts)}${launch.comparison ? html`<p>${prose(launch.comparison, facts)}</p>` : ""}`
        : html`<p>${prose(f.quality.lines.join(" "), facts)}</p>`,
      "brief-quality"
    )}
    ${block("Cost and latency against budget", budgetTable(f.budget, facts), "brief-cost")}
    ${block(
      "Top risks",
      risks.length
        ? html`<ol class="brief-risks">${risks.map((r) => html`<li data-risk=${r.kind}><strong>${capitalize(r.title)}.</strong> ${prose(r.text, facts)}</li>`)}</ol>${more.length ? html`<p class="muted">Also: ${more.join("; ")}.</p>` : ""}`
        : html`<p>None found in the evals, traces, corrections or flags.</p>`,
      "brief-risks"
    )}
    ${block("Decisions", html`${f.decisions.taken.length ? bullets(f.decisions.taken, facts) : html`<p class="muted">None recorded.</p>`}<p><strong>Still open:</strong> ${prose(f.decisions.open, facts)}</p>`, "brief-decisions")}
    ${block("The metric to watch next week", html`<p>${prose(f.watch, facts)}</p>`, "brief-watch")}
  </section>`;
}

export function portfolioSection(brief: Brief, facts: ReadonlyMap<string, BriefFact>, draft: Draft): HTMLElement {
  const text = draft.mode === "drafted" && draft.portfolio ? draft.portfolio : brief.portfolio;
  const headline = (f: string, fallback: string) =>
    draft.mode === "drafted" ? (draft.features?.[f]?.headline ?? fallback) : fallback;
  return html`<section class="brief-section brief-portfolio" id="portfolio">
    <p class="brief-headline" data-testid="portfolio-headline">${prose(text.headline, facts)}</p>
    <p class="brief-summary">${prose(text.summary, facts)}</p>
    ${stackOnPhone(html`<table class="brief-table brief-portfolio-table" data-testid="portfolio">
      <thead><tr><th>Feature</th><th>Recommendation</th><th>Why</th><th>Metric to watch next week</th></tr></thead>
      <tbody>${brief.portfolio.rows.map(
        (r) => html`<tr>
        <td><a href=${`#${r.anchor}`}><strong>${r.feature}</strong></a></td><td>${decisionBadge(r.decision)}</td>
        <td>${prose(sentenceCase(headline(r.feature, r.headline).replace(/^(Hold|Investigate|Go): /, "")), facts)}</td><td>${prose(r.watch, facts)}</td></tr>`
      )}</tbody>
    </table>`)}
    <div class="brief-block"><h3>How the recommendation is decided</h3>
      <ol class="brief-rules">${brief.rules.map((r) => html`<li>${r.text}</li>`)}</ol>
      <p class="muted">Every figure links to the page that shows it, computed from the same data. The review period is the ${brief.reviewDays === 7 ? "week" : `${brief.reviewDays} days`} up to the newest record.</p>
    </div>
  </section>`;
}

/** Where the brief comes from: the data's span, the review period, the build time and who wrote the prose. */
export function stampLine(brief: Brief, draft: Draft, builtAt: string): HTMLElement {
  const author =
    draft.mode === "drafted"
      ? `prose drafted by ${draft.model} and checked against the facts`
      : `prose composed from the facts${draft.reason ? ` (a model draft was rejected: ${draft.reason})` : ""}`;
  return html`<p class="brief-stamp" data-testid="brief-stamp">Data from <strong>${date(brief.period.dataFrom)}</strong> to <strong>${date(brief.period.dataTo)}</strong> · review period ${date(brief.period.from)} → ${date(brief.period.to)} · built ${builtAt.slice(0, 16).replace("T", " ")} UTC · ${author}.</p>`;
}

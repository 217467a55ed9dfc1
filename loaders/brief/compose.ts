// The brief's prose, composed deterministically from its sections: for each feature a headline that
// states the recommendation and the fact it rests on, and a short summary; for the portfolio, the
// recommendations in one line and the one open decision. This is the default text, and the text a
// model's draft must agree with.
import {list} from "./context.js";
import type {QualitySection} from "./quality.js";
import {decisionRank, type Decision, type Recommendation} from "./recommend.js";
import type {Risk} from "./risks.js";

export interface Prose {
  headline: string;
  summary: string;
}

export interface FeatureFindings {
  feature: string;
  recommendation: Recommendation;
  quality: QualitySection;
  risks: readonly Risk[];
}

const capitalize = (s: string) => s.replace(/^./, (ch) => ch.toUpperCase());
const sign = (direction: string) => (direction === "min" ? "≥" : "≤");

export function featureHeadline({recommendation: rec, quality, risks}: FeatureFindings): string {
  const gate = quality.open[0];
  const launch = quality.launch;
  switch (rec.rule) {
    case "gate-failed":
      return `Hold: ${launch!.candidate} fails its ${gate.gate.label.toLowerCase()} gate, ${gate.short} against ${sign(gate.gate.direction)} ${gate.threshold}.`;
    case "gate-open":
      return gate.short
        ? `Investigate: ${launch!.candidate} is not yet conclusive on ${gate.gate.label.toLowerCase()}, ${gate.short} against ${sign(gate.gate.direction)} ${gate.threshold}.`
        : `Investigate: ${launch!.candidate} has no data for its ${gate.gate.label.toLowerCase()} gate.`;
    case "coverage":
      return `Investigate: every gate of ${launch!.candidate} passes, but ${(risks.find((r) => r.kind === "untested-category" || r.kind === "input-shift") ?? risks[0]).short}.`;
    case "gates-pass":
      return `Go: ${launch!.candidate} clears every gate.`;
    case "no-gates-risk":
      return `Investigate: ${risks[0].short}.`;
    default:
      return "No launch pending and nothing flagged.";
  }
}

/** What would settle an open gate, and the top risk; the gates and the comparison with today's system have their own block. */
export function featureSummary({recommendation: rec, quality, risks}: FeatureFindings): string {
  const parts: string[] = [];
  const settle = quality.open.find((r) => r.cases);
  if (rec.rule === "gate-open" && settle)
    parts.push(`About ${settle.cases} more cases would settle ${settle.gate.label.toLowerCase()} if it holds.`);
  // The headline of a feature without gates already states its top risk.
  if (rec.rule === "no-gates-risk")
    parts.push("No launch gates are configured for this feature, so the call rests on production evidence.");
  if (rec.rule === "no-gates") parts.push(...quality.lines);
  const top = rec.rule === "no-gates-risk" ? risks[1] : risks[0];
  if (top) parts.push(`${rec.rule === "no-gates-risk" ? "Next" : "Top risk"}: ${top.short}.`);
  return parts.join(" ");
}

export function composeFeature(findings: FeatureFindings): Prose {
  return {headline: featureHeadline(findings), summary: featureSummary(findings)};
}

export interface PortfolioEntry {
  feature: string;
  decision: Decision | null;
  open: string;
  risks: readonly Risk[];
}

const verbs: Record<Decision, string> = {hold: "hold", investigate: "investigate", go: "go with"};

/** "Hold ticket-summarization; investigate support-chat and autocomplete." */
export function portfolioHeadline(entries: readonly PortfolioEntry[]): string {
  const groups = (["hold", "investigate", "go"] as const)
    .map((d) => ({d, features: entries.filter((e) => e.decision === d).map((e) => e.feature)}))
    .filter((g) => g.features.length);
  const idle = entries.filter((e) => e.decision === null).map((e) => e.feature);
  if (!groups.length)
    return entries.length ? `No decision pending for ${list(idle)}.` : "No features in this workspace yet.";
  return `${capitalize(groups.map((g) => `${verbs[g.d]} ${list(g.features)}`).join("; "))}${idle.length ? `; nothing pending for ${list(idle)}` : ""}.`;
}

/** The most pressing feature's open decision, and the top risk of each feature. */
export function portfolioSummary(entries: readonly PortfolioEntry[]): string {
  const ordered = [...entries].sort((a, b) => decisionRank(a.decision) - decisionRank(b.decision));
  const first = ordered.find((e) => e.decision !== null);
  const risks = ordered.filter((e) => e.risks.length).map((e) => `${e.feature}: ${e.risks[0].short}`);
  return [
    first ? `The open decision that matters most is on ${first.feature}: ${first.open}` : "",
    risks.length ? `Top risk per feature: ${risks.join("; ")}.` : ""
  ]
    .filter(Boolean)
    .join(" ");
}

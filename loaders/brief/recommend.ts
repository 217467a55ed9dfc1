// The brief's recommendation follows from the launch gate, never from prose: a pure function of the
// gate verdict, whether the eval set still represents production, and the risks production shows.
// The rules are written out once here and printed on the brief, so a reader can check the call.
import type {LaunchVerdict} from "../../src/lib/metrics/gateVerdict.js";

export type Decision = "go" | "hold" | "investigate";

/** An untested category at or above this share of a week's traffic means the gates no longer speak for production. */
export const UNTESTED_SHARE = 0.05;

export const RULES = {
  "gate-failed":
    "Any gate fails (its whole 95% interval is on the wrong side of the threshold) → hold: fix it before any rollout, and roll back if the candidate already serves traffic.",
  "gate-open":
    "Otherwise, any gate is not yet conclusive (its interval straddles the threshold) or has no data → investigate: gather the cases the gate needs; a limited canary at most.",
  coverage:
    `Otherwise, every gate passes but the eval set no longer represents production (a category no eval case covers is ${UNTESTED_SHARE * 100}% ` +
    `or more of the latest week's traffic, or the category mix shifted by a PSI above 0.25) → investigate: add those cases and re-run the gates.`,
  "gates-pass": "Otherwise, every gate passes → go: a staged rollout, watching the production pages before widening.",
  "no-gates-risk":
    "A feature without launch gates in the config has no launch decision; it is investigate when production shows a risk (a significant " +
    "regression, drift, a correction hot spot, a budget overrun, open high-severity flags).",
  "no-gates": "A feature without launch gates and without risks has no decision pending."
} as const;

export type Rule = keyof typeof RULES;

export interface RecommendationInput {
  /** The candidate's launch verdict, or null when the config has no launch for the feature. */
  launch: LaunchVerdict | null;
  /** A category no eval case covers carries UNTESTED_SHARE or more of the latest week, or the category PSI is major. */
  coverageGap: boolean;
  /** Risks production evidence shows for the feature. */
  risks: number;
}

export interface Recommendation {
  decision: Decision | null;
  rule: Rule;
}

export function recommend({launch, coverageGap, risks}: RecommendationInput): Recommendation {
  if (launch === "no-go") return {decision: "hold", rule: "gate-failed"};
  if (launch === "inconclusive") return {decision: "investigate", rule: "gate-open"};
  if (launch === "go")
    return coverageGap ? {decision: "investigate", rule: "coverage"} : {decision: "go", rule: "gates-pass"};
  return risks > 0 ? {decision: "investigate", rule: "no-gates-risk"} : {decision: null, rule: "no-gates"};
}

/** Hold first, then investigate, then go, then nothing pending: the order features appear in. */
export const decisionRank = (d: Decision | null) => (d === "hold" ? 0 : d === "investigate" ? 1 : d === "go" ? 2 : 3);

// A two-feature brief built by hand through the real FactTable: one feature whose candidate is not yet
// conclusive on its pass-rate gate (investigate), one whose gate fails (hold). Small enough to read.
import type {Brief, FeatureBrief} from "../../../../loaders/brief/assemble.js";
import {FactTable, pageHref} from "../../../../loaders/brief/facts.js";
import {RULES, type Decision, type Rule} from "../../../../loaders/brief/recommend.js";

export function tinyBrief(): Brief {
  const t = new FactTable();
  const href = pageHref("launch-gate", {feature: "support-chat"}, "gates");
  const pass = t.full({
    id: "support-chat.gate.pass_rate",
    feature: "support-chat",
    label: "Pass rate of claude-sonnet-4 · chat-v7",
    value: 0.865,
    unit: "rate",
    n: 400,
    low: 0.828,
    high: 0.895,
    href
  });
  const threshold = t.ref({
    id: "support-chat.gate.pass_rate.threshold",
    feature: "support-chat",
    label: "Pass rate gate: at least",
    value: 0.85,
    unit: "rate",
    href
  });
  const cases = t.ref({
    id: "support-chat.gate.pass_rate.cases-needed",
    feature: "support-chat",
    label: "More cases",
    value: 1777,
    unit: "count",
    href
  });
  const sumHref = pageHref("launch-gate", {feature: "ticket-summarization"}, "gates");
  const sumPass = t.ref({
    id: "ticket-summarization.gate.pass_rate",
    feature: "ticket-summarization",
    label: "Pass rate of gpt-4.1-mini · sum-v4",
    value: 0.8133,
    unit: "rate",
    n: 300,
    low: 0.7654,
    high: 0.8534,
    href: sumHref
  });
  const sumThreshold = t.ref({
    id: "ticket-summarization.gate.pass_rate.threshold",
    feature: "ticket-summarization",
    label: "Pass rate gate: at least",
    value: 0.88,
    unit: "rate",
    href: sumHref
  });
  for (const name of [
    "claude-sonnet-4 · chat-v7",
    "gpt-4.1-mini · sum-v4",
    "support-chat",
    "ticket-summarization",
    "2026-11-16"
  ])
    t.name(name);
  const feature = (
    name: string,
    decision: Decision,
    rule: Rule,
    verdict: string,
    headline: string,
    summary: string
  ): FeatureBrief => ({
    feature: name,
    anchor: `feature-${name}`,
    decision,
    rule,
    headline,
    summary,
    changed: [],
    quality: {
      launch: {
        candidate: "x",
        baseline: null,
        suite: "s",
        verdict: verdict as never,
        gates: [],
        evidence: "",
        comparison: null
      },
      lines: []
    },
    budget: [],
    risks: [],
    decisions: {taken: [], open: ""},
    watch: ""
  });
  const features = [
    feature(
      "ticket-summarization",
      "hold",
      "gate-failed",
      "no-go",
      `Hold: gpt-4.1-mini · sum-v4 fails its pass rate gate, ${sumPass} against ≥ ${sumThreshold}.`,
      `Its pass rate is ${sumPass}.`
    ),
    feature(
      "support-chat",
      "investigate",
      "gate-open",
      "inconclusive",
      `Investigate: claude-sonnet-4 · chat-v7 is not yet conclusive on pass rate, ${pass} against ≥ ${threshold}.`,
      `About ${cases} more cases would settle it.`
    )
  ];
  return {
    product: "Support Copilot",
    period: {
      dataFrom: "2026-09-12T00:00:00.000Z",
      dataTo: "2026-11-20T00:00:00.000Z",
      from: "2026-11-13T00:00:00.000Z",
      to: "2026-11-20T00:00:00.000Z"
    },
    reviewDays: 7,
    rules: Object.entries(RULES).map(([id, text]) => ({id: id as Rule, text})),
    portfolio: {
      headline: "Hold ticket-summarization; investigate support-chat.",
      summary: `The pass rate of gpt-4.1-mini · sum-v4 is ${sumPass}.`,
      rows: []
    },
    features,
    facts: t.facts,
    names: [...t.names].sort()
  };
}

/** The brief's own prose as a model's structured answer: what a faithful model would return. */
export function faithfulDraft(brief: Brief) {
  return {
    portfolio: {headline: brief.portfolio.headline, summary: brief.portfolio.summary},
    features: brief.features.map((f) => ({
      feature: f.feature,
      recommendation: f.decision ?? "none",
      headline: f.headline,
      summary: f.summary
    }))
  };
}

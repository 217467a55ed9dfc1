// Decisions taken (systems put in front of users, decisions recorded on flagged outputs), the one still
// open, which follows from the recommendation's rule, and the one metric to watch next week.
import {deploymentOf, deploymentsOf, list, system, type FeatureContext} from "./context.js";
import {pageHref, slug} from "./facts.js";
import {fmtDate} from "./format.js";
import type {QualitySection} from "./quality.js";
import type {Recommendation} from "./recommend.js";
import type {Risk} from "./risks.js";

type SafetyDecision = {feature: string; root_cause: string; decision: string; n: number};

const DECISIONS_SHOWN = 2;

function served(c: FeatureContext, d: ReturnType<typeof deploymentsOf>[number]) {
  const name = system({model: d.model ?? "an unnamed model", prompt_version: d.prompt_version});
  const requests = c.t.ref({
    id: `${c.key}.deployed.${slug(name)}.requests`,
    feature: c.feature,
    label: "Traced requests it served since",
    value: d.requests,
    unit: "count",
    href: pageHref("traces", {feature: c.feature, model: d.model}, "volume")
  });
  return {name: c.t.name(name), since: c.t.name(fmtDate(d.first_at)), requests};
}

export function decisionsTaken(c: FeatureContext): string[] {
  const shipped = deploymentsOf(c)
    .filter((d) => !d.at_start)
    .map((d) => served(c, d))
    .map((s) => `${s.name} has served production since ${s.since} (${s.requests} traced requests).`);
  const href = pageHref("safety", {feature: c.feature}, "decisions-taken");
  const recorded = (c.inputs.safety.decisions as unknown as SafetyDecision[])
    .filter((d) => d.feature === c.feature)
    .slice(0, DECISIONS_SHOWN)
    .map((d, i) => {
      const n = c.t.ref({
        id: `${c.key}.decision.${i + 1}`,
        feature: c.feature,
        label: `Flagged outputs decided: ${d.decision}`,
        value: d.n,
        unit: "count",
        href
      });
      return `On flagged outputs (${d.root_cause} cause): ${d.decision}, for ${n} of them.`;
    });
  return [...shipped, ...recorded];
}

export function openDecision(
  c: FeatureContext,
  rec: Recommendation,
  quality: QualitySection,
  risks: readonly Risk[]
): string {
  const launch = quality.launch;
  const gates = list(quality.open.map((r) => r.gate.label.toLowerCase()));
  const deployed = launch ? deploymentOf(c, c.inputs.launches.find((l) => l.feature === c.feature)!.candidate) : null;
  const live = deployed && !deployed.at_start ? served(c, deployed) : null;
  const settle = quality.open.find((r) => r.cases);
  const cases = settle ? `: about ${settle.cases} more cases would settle ${settle.gate.label.toLowerCase()}` : "";
  switch (rec.rule) {
    case "gate-failed":
      return live
        ? `Roll ${launch!.candidate} back${launch!.baseline ? ` to ${launch!.baseline}` : ""}, or fix its ${gates} first? It fails its gate and has ` +
            `served production since ${live.since} (${live.requests} traced requests).`
        : `Fix ${gates} of ${launch!.candidate} before any rollout, or drop it?`;
    case "gate-open":
      return live
        ? `Widen the rollout of ${launch!.candidate} (in production since ${live.since}, ${live.requests} traced requests)? Not before ${gates} ` +
            `${quality.open.length > 1 ? "are" : "is"} settled${cases}.`
        : `Launch ${launch!.candidate}? Not decidable until ${gates} ${quality.open.length > 1 ? "are" : "is"} settled${cases}.`;
    case "coverage":
      return `Launch ${launch!.candidate} once the traffic the eval set lacks has cases and the gates are re-run?`;
    case "gates-pass":
      return `Start the staged rollout of ${launch!.candidate}?`;
    case "no-gates-risk":
      return `What to do about the ${risks[0].title}: no decision is recorded yet.`;
    default:
      return "None pending.";
  }
}

export function metricToWatch(
  c: FeatureContext,
  rec: Recommendation,
  quality: QualitySection,
  risks: readonly Risk[]
): string {
  const gate = quality.open[0];
  if ((rec.rule === "gate-failed" || rec.rule === "gate-open") && gate?.short && quality.launch) {
    return `${gate.gate.label} of ${quality.launch.candidate} on the next ${quality.launch.suite} run: ${gate.short} now, gate ${gate.gate.direction === "min" ? "≥" : "≤"} ${gate.threshold}.`;
  }
  const coverage = risks.find((r) => r.kind === "untested-category" || r.kind === "input-shift");
  if (rec.rule === "coverage" && coverage) return coverage.watch;
  return risks[0]?.watch ?? quality.lines.at(-1) ?? "Nothing flagged.";
}

// Where quality stands against its gates: every gate of the feature's launch candidate with its 95%
// interval, threshold and verdict (launchGate.ts), the paired comparison with the baseline, and, for
// a feature without gates, its latest eval run.
import type {LaunchVerdict} from "../../src/lib/metrics/gateVerdict.js";
import {launchOf, list, suitesOf, system, type FeatureContext, type Gate, type Launch} from "./context.js";
import {pageHref} from "./facts.js";
import {fmtDate, type Unit} from "./format.js";

export interface GateRefs {
  gate: Gate;
  /** Placeholders of the measured value (with interval and n, and alone), the threshold, and the cases that would settle it. */
  value: string | null;
  short: string | null;
  threshold: string;
  /** The gate's non-inferiority margin, when the config states one. */
  margin: string | null;
  cases: string | null;
}

/** A gate as the brief's table shows it: launchGate.ts's row and the ids of its facts. */
export type GateRow = Gate & {fact: string | null; threshold_fact: string; margin_fact: string | null};

export interface QualitySection {
  launch: {
    candidate: string;
    baseline: string | null;
    suite: string;
    verdict: LaunchVerdict;
    gates: GateRow[];
    /** Which run the gates were measured on. */
    evidence: string;
    /** The candidate against the system it would replace, on the same cases. */
    comparison: string | null;
  } | null;
  /** Everything above as sentences, for a summary and for a feature without gates. */
  lines: string[];
  /** The gates that do not pass, failing ones first. */
  open: GateRefs[];
}

const unitOf = (g: Gate): Unit => (g.unit === "rate" || g.unit === "ms" || g.unit === "usd" ? g.unit : "score");
const sign = (g: Gate) => (g.direction === "min" ? "≥" : "≤");

function gateRefs(c: FeatureContext, launch: Launch, g: Gate): GateRefs {
  const href = pageHref("launch-gate", {feature: c.feature}, "gates");
  const base = {feature: c.feature, unit: unitOf(g), href};
  const measured =
    g.estimate === null
      ? null
      : {
          ...base,
          id: `${c.key}.gate.${g.metric}`,
          label: `${g.label} of ${system(launch.candidate)} on ${launch.suite}`,
          value: g.estimate,
          n: g.n,
          low: g.low,
          high: g.high
        };
  return {
    gate: g,
    value: measured && c.t.full(measured),
    short: measured && c.t.ref(measured),
    threshold: c.t.ref({
      ...base,
      id: `${c.key}.gate.${g.metric}.threshold`,
      label: `${g.label} gate: ${g.direction === "min" ? "at least" : "at most"}`,
      value: g.threshold
    }),
    margin: g.margin
      ? c.t.ref({
          ...base,
          id: `${c.key}.gate.${g.metric}.margin`,
          label: `${g.label} gate: non-inferiority margin`,
          value: g.margin,
          unit: g.unit === "rate" ? "pts" : unitOf(g)
        })
      : null,
    cases:
      g.cases_needed === null
        ? null
        : c.t.ref({
            ...base,
            id: `${c.key}.gate.${g.metric}.cases-needed`,
            label: `More cases that would settle the ${g.label.toLowerCase()} gate if the rate holds`,
            value: g.cases_needed,
            unit: "count"
          })
  };
}

function gateLine(r: GateRefs): string {
  const {gate: g} = r;
  if (g.verdict === "no-data")
    return `${g.label}: no data on the candidate's latest run (gate ${sign(g)} ${r.threshold}).`;
  if (g.verdict === "fail")
    return `${g.label} ${r.value} fails its gate of ${sign(g)} ${r.threshold}: the whole interval is on the wrong side.`;
  return `${g.label} ${r.value} against a gate of ${sign(g)} ${r.threshold}: not yet conclusive${r.cases ? `; about ${r.cases} more cases would settle it if it holds` : ""}.`;
}

function baselineLine(c: FeatureContext, launch: Launch, refs: readonly GateRefs[]): string | null {
  const p = launch.paired;
  if (!p || p.p_value === null || !launch.baseline_evidence) return null;
  const href = pageHref("launch-gate", {feature: c.feature}, "against-the-baseline");
  const count = (id: string, label: string, value: number) =>
    c.t.ref({id: `${c.key}.paired.${id}`, feature: c.feature, label, value, unit: "count", href});
  const baseline = c.t.name(system(launch.baseline_evidence));
  const pValue = c.t.ref({
    id: `${c.key}.paired.p`,
    feature: c.feature,
    label: "Exact McNemar test, candidate vs baseline",
    value: p.p_value!,
    unit: "p",
    href
  });
  const cost = refs.find((r) => r.gate.metric === "cost_per_request_usd");
  const b = cost?.gate.baseline;
  const costs =
    cost?.short && b?.estimate != null
      ? `, at ${cost.short} per request against ` +
        c.t.ref({
          id: `${c.key}.baseline.cost_per_request_usd`,
          feature: c.feature,
          label: `Cost per request of ${baseline}`,
          value: b.estimate,
          unit: "usd",
          n: b.n,
          low: b.low,
          high: b.high,
          href: pageHref("launch-gate", {feature: c.feature}, "gates")
        })
      : "";
  return (
    `Against the current ${baseline} on the same ${count("shared", "Cases both graded", p.shared)} cases, the candidate passes ` +
    `${count("candidate-passes", "Cases the candidate passes", p.candidate_passes)} and the baseline ` +
    `${count("baseline-passes", "Cases the baseline passes", p.baseline_passes)} ` +
    `(${pValue}${p.p_value! < 0.05 ? "" : ": no significant difference"})${costs}.`
  );
}

function latestRunLine(c: FeatureContext): string {
  const suite = suitesOf(c)[0];
  const run = suite ? c.inputs.triage.runs.filter((r) => r.suite === suite).at(-1) : undefined;
  if (!suite || !run) return "No eval results for this feature, and no launch gates in the config.";
  const pass = c.t.full({
    id: `${c.key}.eval.pass-rate`,
    feature: c.feature,
    label: `Pass rate of the latest ${suite} run`,
    value: run.pass.rate ?? 0,
    unit: "rate",
    n: run.pass.n,
    low: run.pass.low,
    high: run.pass.high,
    href: pageHref("eval-triage", {suite}, "every-run-of-the-suite")
  });
  return `No launch gates in the config. The latest eval run of ${c.t.name(suite)} (${c.t.name(fmtDate(run.started_at))}, ${c.t.name(system(run))}) passes ${pass}.`;
}

export function qualitySection(c: FeatureContext): QualitySection {
  const launch = launchOf(c);
  if (!launch) return {launch: null, lines: [latestRunLine(c)], open: []};
  c.t.name(launch.suite);
  const candidate = c.t.name(system(launch.candidate));
  const refs = launch.gates.map((g) => gateRefs(c, launch, g));
  const open = [
    ...refs.filter((r) => r.gate.verdict === "fail"),
    ...refs.filter((r) => r.gate.verdict !== "fail" && r.gate.verdict !== "pass")
  ];
  const passing = refs
    .filter((r) => r.gate.verdict === "pass")
    .map((r) => `${r.gate.label.toLowerCase()} ${r.value} (${sign(r.gate)} ${r.threshold})`);
  const evidence = launch.evidence
    ? `${candidate} on ${launch.suite}, run of ${c.t.name(fmtDate(launch.evidence.started_at))}.`
    : `${candidate} has no run of ${launch.suite} yet.`;
  const comparison = baselineLine(c, launch, refs);
  const lines = [
    evidence,
    ...open.map(gateLine),
    ...(passing.length
      ? [`${list(passing).replace(/^./, (ch) => ch.toUpperCase())} ${passing.length > 1 ? "pass" : "passes"}.`]
      : []),
    ...(comparison ? [comparison] : [])
  ];
  const baseline = launch.baseline ? c.t.name(system(launch.baseline)) : null;
  const idOf = (placeholder: string | null) => placeholder?.match(/^\{\{([^:}]+)/)?.[1] ?? null;
  const gates = refs.map((r) => ({
    ...r.gate,
    fact: idOf(r.value),
    threshold_fact: idOf(r.threshold)!,
    margin_fact: idOf(r.margin)
  }));
  return {
    launch: {candidate, baseline, suite: launch.suite, verdict: launch.verdict, gates, evidence, comparison},
    lines,
    open
  };
}

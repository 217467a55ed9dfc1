// Per-arm model guardrails of an experiment, from the traces and corrections that carry its variant:
// p95 latency of the llm calls with its order-statistic interval, cost per request with Welch's
// interval on the difference, and failure, correction, ignore and flag rates with Wilson intervals
// and Newcombe's interval on the difference. A guardrail is breached when the treatment is worse and
// the difference's 95% interval is clear of zero (for p95, when the arms' intervals do not overlap:
// there is no closed-form interval on a difference of quantiles). These are request-level intervals:
// under user-level randomization one user's requests are correlated, so they are narrower than a
// unit-level analysis would give; the breach rule blocks shipping rather than ending the experiment.
import {tMeanInterval} from "../../../src/lib/metrics/meanInterval.js";
import {proportionDifference} from "../proportionDifference.js";
import type {QuantileInterval} from "../quantileInterval.js";
import {wilsonInterval} from "../../../src/lib/metrics/wilson.js";
import {meanDifference} from "./meanDifference.js";

/** What SQL hands over per arm: counts, the cost moments and the p95 latency's interval. */
export interface ArmTraffic {
  /** llm calls of traces that carry the variant. */
  requests: number;
  failed: number;
  /** llm calls whose cost is known (reported or priced). */
  costed: number;
  costMean: number | null;
  costVariance: number | null;
  latencyP95: QuantileInterval;
  /** Traces that carry the variant, and how many of them were flagged by trust & safety. */
  traces: number;
  flaggedTraces: number;
  /** Corrections (user actions) that carry the variant, themselves or through their trace. */
  actions: number;
  corrected: number;
  ignored: number;
}

export type ModelGuardrailName =
  "p95 latency" | "cost per request" | "failure rate" | "correction rate" | "ignore rate" | "flags per 1k requests";

export interface ArmValue {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
}

export interface ModelGuardrail {
  name: ModelGuardrailName;
  unit: "ms" | "usd" | "rate" | "per1k";
  control: ArmValue;
  treatment: ArmValue;
  /** treatment − control with its 95% interval; null where the method has none (p95) or data are missing. */
  difference: {estimate: number; low: number | null; high: number | null} | null;
  /** The treatment is worse (every one of these is better lower) with its interval clear of no difference. */
  breached: boolean;
}

export const MODEL_GUARDRAIL_RULE =
  "A model guardrail (from traces and corrections that carry the variant) is breached when the treatment is worse and the 95% interval of the " +
  "difference excludes zero; for p95 latency, when the treatment's interval lies wholly above the control's. Intervals are per " +
  "request, not per unit.";

export function modelGuardrails(control: ArmTraffic, treatment: ArmTraffic): ModelGuardrail[] {
  return [
    latencyGuardrail(control.latencyP95, treatment.latencyP95),
    costGuardrail(control, treatment),
    rateGuardrail("failure rate", control.failed, control.requests, treatment.failed, treatment.requests),
    rateGuardrail("correction rate", control.corrected, control.actions, treatment.corrected, treatment.actions),
    rateGuardrail("ignore rate", control.ignored, control.actions, treatment.ignored, treatment.actions),
    rateGuardrail(
      "flags per 1k requests",
      control.flaggedTraces,
      control.traces,
      treatment.flaggedTraces,
      treatment.traces,
      1000
    )
  ];
}

function latencyGuardrail(c: QuantileInterval, t: QuantileInterval): ModelGuardrail {
  const arm = (q: QuantileInterval): ArmValue => ({value: q.estimate, low: q.low, high: q.high, n: q.n});
  const difference =
    t.estimate !== null && c.estimate !== null ? {estimate: t.estimate - c.estimate, low: null, high: null} : null;
  return {
    name: "p95 latency",
    unit: "ms",
    control: arm(c),
    treatment: arm(t),
    difference,
    breached: t.low !== null && c.high !== null && t.low > c.high
  };
}

function costGuardrail(c: ArmTraffic, t: ArmTraffic): ModelGuardrail {
  const arm = (a: ArmTraffic): ArmValue => {
    const m = tMeanInterval(a.costed, a.costMean, a.costVariance === null ? null : Math.sqrt(a.costVariance));
    return {value: m.mean, low: m.low, high: m.high, n: a.costed};
  };
  const measurable = (a: ArmTraffic) => a.costed > 1 && a.costMean !== null && a.costVariance !== null;
  if (!measurable(c) || !measurable(t))
    return {
      name: "cost per request",
      unit: "usd",
      control: arm(c),
      treatment: arm(t),
      difference: null,
      breached: false
    };
  const d = meanDifference(
    {n: t.costed, mean: t.costMean!, variance: t.costVariance!},
    {n: c.costed, mean: c.costMean!, variance: c.costVariance!}
  ).absolute;
  return {
    name: "cost per request",
    unit: "usd",
    control: arm(c),
    treatment: arm(t),
    difference: {estimate: d.estimate, low: d.low, high: d.high},
    breached: d.low > 0
  };
}

function rateGuardrail(
  name: ModelGuardrailName,
  cK: number,
  cN: number,
  tK: number,
  tN: number,
  scale = 1
): ModelGuardrail {
  const arm = (k: number, n: number): ArmValue => {
    const w = wilsonInterval(k, n);
    return {
      value: w.rate === null ? null : w.rate * scale,
      low: w.low === null ? null : w.low * scale,
      high: w.high === null ? null : w.high * scale,
      n
    };
  };
  const d = proportionDifference(tK, tN, cK, cN);
  const difference =
    d.difference === null ? null : {estimate: d.difference * scale, low: d.low! * scale, high: d.high! * scale};
  return {
    name,
    unit: scale === 1 ? "rate" : "per1k",
    control: arm(cK, cN),
    treatment: arm(tK, tN),
    difference,
    breached: difference !== null && difference.low! > 0
  };
}

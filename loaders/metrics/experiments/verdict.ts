// The verdict an experiment supports, from rules stated once here and printed on the page
// (VERDICT_RULES), checked in this order. Decisions read the always-valid intervals, so a verdict
// reached on any day's look keeps its error rate; segment harms use Benjamini–Hochberg q-values.
import type {MetricEffect} from "./metricEffect.js";

export type Verdict = "ship" | "don't ship" | "keep running" | "invalid";
export type ExperimentStatus = "running" | "ready to decide" | "stopped";

export const VERDICT_RULES: readonly {verdict: Verdict; rule: string}[] = [
  {
    verdict: "invalid",
    rule: "The sample-ratio check fails (χ² p < 0.001 against the configured split): assignment or logging is broken, so no metric is read."
  },
  {
    verdict: "don't ship",
    rule: "The primary metric's always-valid 95% interval lies wholly on the harmful side, or any guardrail's does."
  },
  {
    verdict: "don't ship",
    rule: "The primary metric improves, but a segment's effect on some metric is harmful with a Benjamini–Hochberg q < 0.05: understand it (or exclude the segment and test again) before shipping."
  },
  {
    verdict: "don't ship",
    rule:
      "The primary metric improves, but a model guardrail from the traces and corrections that carry the variant (p95 latency, cost per request, " +
      "failure, correction, ignore or flag rate) is breached: fix the treatment's model behaviour first. A breach while the primary metric is " +
      "inconclusive is named in the keep-running verdict."
  },
  {
    verdict: "ship",
    rule: "The primary metric's always-valid 95% interval lies wholly on the improving side, and no guardrail, model guardrail or segment is harmed."
  },
  {
    verdict: "keep running",
    rule: "Otherwise, while the experiment runs: the interval still spans no effect; the power section says how many more days the configured minimum effect needs."
  },
  {
    verdict: "don't ship",
    rule: "Otherwise, once the planned end or sample size is reached or the experiment was stopped: no effect was shown."
  }
];

export interface SegmentHarm {
  metric: string;
  attribute: string;
  level: string;
  relative: number | null;
  q: number;
}

export interface VerdictInput {
  status: ExperimentStatus;
  sampleRatioMismatch: boolean;
  sampleRatioP: number;
  primary: MetricEffect | null;
  guardrails: readonly MetricEffect[];
  segmentHarms: readonly SegmentHarm[];
  daysToMinimumEffect: number | null;
  /** Days (from the start) on which the fixed-horizon test alone would have been significant. */
  naiveSignificantDays: readonly number[];
  /** Names of the breached model guardrails (modelGuardrails.ts); none when no trace carries the variant. */
  modelGuardrailBreaches?: readonly string[];
}

export interface ExperimentVerdict {
  verdict: Verdict;
  reason: string;
}

const pct = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);

export function experimentVerdict(input: VerdictInput): ExperimentVerdict {
  const {primary} = input;
  const breaches = input.modelGuardrailBreaches ?? [];
  const fromTraces = " (from the traces and corrections that carry the variant)";
  if (input.sampleRatioMismatch)
    return {
      verdict: "invalid",
      reason:
        `Sample-ratio mismatch (χ² p = ${input.sampleRatioP.toExponential(1)}): the variants did not receive their planned shares, so the readout ` +
        `is blocked. Look for a logging or assignment bug.`
    };
  if (!primary)
    return {verdict: "keep running", reason: "Not enough units in each arm to compare the primary metric yet."};
  if (primary.direction === "worse")
    return {
      verdict: "don't ship",
      reason: `${primary.name} is worse (${pct(primary.relative?.estimate ?? null)}, always-valid interval on the harmful side).`
    };
  const harmed = input.guardrails.filter((g) => g.direction === "worse");
  if (harmed.length)
    return {
      verdict: "don't ship",
      reason: `Guardrail harmed: ${harmed.map((g) => `${g.name} ${pct(g.relative?.estimate ?? null)}`).join(", ")}.`
    };
  if (primary.direction === "better") {
    if (input.segmentHarms.length) {
      const h = input.segmentHarms[0];
      return {
        verdict: "don't ship",
        reason:
          `${primary.name} improves overall (${pct(primary.relative?.estimate ?? null)}), but ${h.metric} falls for ${h.attribute} = ${h.level} ` +
          `(${pct(h.relative)}, BH q = ${h.q.toPrecision(2)}); understand it before shipping.`
      };
    }
    if (breaches.length)
      return {
        verdict: "don't ship",
        reason: `${primary.name} improves (${pct(primary.relative?.estimate ?? null)}), but the treatment's model breaches ${breaches.join(", ")}${fromTraces}; fix that before shipping.`
      };
    return {
      verdict: "ship",
      reason: `${primary.name} improves (${pct(primary.relative?.estimate ?? null)}, always-valid interval above no effect) and no guardrail or segment is harmed.`
    };
  }
  const breached = breaches.length
    ? ` Model guardrail breached${fromTraces}: ${breaches.join(", ")}; it blocks shipping whatever ${primary.name} does.`
    : "";
  const peeked = input.naiveSignificantDays.length
    ? ` A fixed-horizon test looked significant on day ${input.naiveSignificantDays[0]}: peeking then would have shipped it.`
    : "";
  if (input.status === "running") {
    const days =
      input.daysToMinimumEffect === null
        ? ""
        : input.daysToMinimumEffect === 0
          ? " It has the units to detect the minimum effect; the interval has to settle."
          : ` About ${input.daysToMinimumEffect} more days at current traffic to be powered for the minimum effect.`;
    return {
      verdict: "keep running",
      reason: `No conclusive effect on ${primary.name} yet (${pct(primary.relative?.estimate ?? null)}).${days}${peeked}${breached}`
    };
  }
  return {
    verdict: "don't ship",
    reason:
      `No effect on ${primary.name} shown by the ${input.status === "stopped" ? "time it was stopped" : "planned end"} ` +
      `(${pct(primary.relative?.estimate ?? null)}, always-valid interval spans no effect).${peeked}${breached}`
  };
}

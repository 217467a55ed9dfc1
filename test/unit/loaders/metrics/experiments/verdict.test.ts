import {describe, expect, test} from "vitest";
import type {MetricEffect} from "../../../../../loaders/metrics/experiments/metricEffect.js";
import {
  experimentVerdict,
  VERDICT_RULES,
  type VerdictInput
} from "../../../../../loaders/metrics/experiments/verdict.js";

const effect = (name: string, direction: MetricEffect["direction"]): MetricEffect => ({
  name,
  kind: "binary",
  better: "higher",
  control: {n: 1000, value: 0.4},
  treatment: {n: 1000, value: 0.44},
  absolute: {estimate: 0.04, low: 0.01, high: 0.07, standardError: 0.015, pValue: 0.01},
  relative: {estimate: 0.1, low: 0.02, high: 0.18, standardError: 0.04, pValue: 0.01},
  method: "Welch t (per unit)",
  cuped: null,
  alwaysValid: {low: 0.001, high: 0.08, pValue: 0.03},
  direction
});
const base: VerdictInput = {
  status: "running",
  sampleRatioMismatch: false,
  sampleRatioP: 0.5,
  primary: effect("task_completed", "better"),
  guardrails: [],
  segmentHarms: [],
  daysToMinimumEffect: 4,
  naiveSignificantDays: []
};

describe("experimentVerdict(input), rule by rule in VERDICT_RULES' order", () => {
  test("a sample-ratio mismatch makes it invalid whatever the metrics say", () => {
    expect(experimentVerdict({...base, sampleRatioMismatch: true, sampleRatioP: 1e-6}).verdict).toBe("invalid");
  });
  test("a primary win ships; a harmed guardrail or a harmed segment stops it", () => {
    expect(experimentVerdict(base).verdict).toBe("ship");
    expect(experimentVerdict({...base, guardrails: [effect("retained_7d", "worse")]})).toMatchObject({
      verdict: "don't ship",
      reason: expect.stringMatching(/retained_7d/)
    });
    expect(
      experimentVerdict({
        ...base,
        segmentHarms: [{metric: "retained_7d", attribute: "segment", level: "enterprise", relative: -0.2, q: 0.001}]
      }).reason
    ).toMatch(/segment = enterprise/);
  });
  test("a primary loss is don't ship; no effect is keep running while running and don't ship at the end", () => {
    expect(experimentVerdict({...base, primary: effect("task_completed", "worse")}).verdict).toBe("don't ship");
    const unclear = {...base, primary: effect("task_completed", "unclear")};
    expect(experimentVerdict(unclear)).toMatchObject({
      verdict: "keep running",
      reason: expect.stringMatching(/About 4 more days/)
    });
    expect(experimentVerdict({...unclear, status: "ready to decide", naiveSignificantDays: [3, 4]})).toMatchObject({
      verdict: "don't ship",
      reason: expect.stringMatching(/significant on day 3/)
    });
    expect(experimentVerdict({...unclear, status: "stopped"}).reason).toMatch(/time it was stopped/);
  });
  test("a breached model guardrail stops a primary win, and is named while the primary is inconclusive", () => {
    expect(experimentVerdict({...base, modelGuardrailBreaches: ["p95 latency", "correction rate"]})).toMatchObject({
      verdict: "don't ship",
      reason: expect.stringMatching(/breaches p95 latency, correction rate/)
    });
    const unclear = {...base, primary: effect("task_completed", "unclear"), modelGuardrailBreaches: ["p95 latency"]};
    expect(experimentVerdict(unclear)).toMatchObject({
      verdict: "keep running",
      reason: expect.stringMatching(/About 4 more days.*Model guardrail breached.*p95 latency; it blocks shipping/)
    });
    expect(experimentVerdict({...unclear, status: "ready to decide"}).reason).toMatch(
      /No effect on task_completed .*Model guardrail breached/
    );
    // A segment harm is reported before a model breach: it is the unit-level evidence.
    expect(
      experimentVerdict({
        ...base,
        modelGuardrailBreaches: ["p95 latency"],
        segmentHarms: [{metric: "retained_7d", attribute: "segment", level: "enterprise", relative: -0.2, q: 0.001}]
      }).reason
    ).toMatch(/segment = enterprise/);
    expect(VERDICT_RULES.some((r) => r.verdict === "don't ship" && /model guardrail/.test(r.rule))).toBe(true);
  });
  test("every verdict has a printed rule", () => {
    expect(new Set(VERDICT_RULES.map((r) => r.verdict))).toEqual(
      new Set(["invalid", "don't ship", "ship", "keep running"])
    );
  });
});

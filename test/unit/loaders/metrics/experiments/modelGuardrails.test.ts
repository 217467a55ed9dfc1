// modelGuardrails(control, treatment) against independent computations: Wilson and Newcombe's
// interval written out here, Welch's interval recorded from SciPy, and the p95 breach read from
// intervals that do or do not overlap.
import {describe, expect, test} from "vitest";
import {modelGuardrails, type ArmTraffic} from "../../../../../loaders/metrics/experiments/modelGuardrails.js";
import {quantileInterval} from "../../../../../loaders/metrics/quantileInterval.js";

const z = 1.959963984540054;
function wilson(k: number, n: number): [number, number] {
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [k === 0 ? 0 : centre - half, k === n ? 1 : centre + half];
}
/** Newcombe (1998) method 10 for p1 − p2. */
function newcombe(k1: number, n1: number, k2: number, n2: number): [number, number] {
  const [l1, u1] = wilson(k1, n1);
  const [l2, u2] = wilson(k2, n2);
  const d = k1 / n1 - k2 / n2;
  return [
    d - Math.sqrt((k1 / n1 - l1) ** 2 + (u2 - k2 / n2) ** 2),
    d + Math.sqrt((u1 - k1 / n1) ** 2 + (k2 / n2 - l2) ** 2)
  ];
}

const latencies = (n: number, scale: number) => Float64Array.from({length: n}, (_, i) => scale * (100 + i)).sort();
const arm = (over: Partial<ArmTraffic>): ArmTraffic => ({
  requests: 200,
  failed: 4,
  costed: 50,
  costMean: 0.0056,
  costVariance: 0.0009 ** 2,
  latencyP95: quantileInterval(latencies(200, 1), 0.95),
  traces: 200,
  flaggedTraces: 1,
  actions: 120,
  corrected: 40,
  ignored: 6,
  ...over
});
const byName = (control: ArmTraffic, treatment: ArmTraffic) =>
  Object.fromEntries(modelGuardrails(control, treatment).map((g) => [g.name, g]));

describe("modelGuardrails(control, treatment)", () => {
  test("rates: Wilson per arm, Newcombe on the difference, breached only when the treatment is worse beyond its interval", () => {
    const g = byName(
      arm({}),
      arm({requests: 210, failed: 18, actions: 130, corrected: 70, ignored: 5, traces: 210, flaggedTraces: 2})
    );
    expect([g["failure rate"].control.low, g["failure rate"].control.high]).toEqual(
      wilson(4, 200).map((x) => expect.closeTo(x, 12))
    );
    expect([g["failure rate"].difference!.low, g["failure rate"].difference!.high]).toEqual(
      newcombe(18, 210, 4, 200).map((x) => expect.closeTo(x, 12))
    );
    expect(newcombe(18, 210, 4, 200)[0]).toBeGreaterThan(0);
    expect(g["failure rate"].breached).toBe(true);
    expect(newcombe(70, 130, 40, 120)[0]).toBeGreaterThan(0);
    expect(g["correction rate"].breached).toBe(true);
    expect(g["ignore rate"].breached).toBe(false);
    // Flags per 1k requests: the flagged share of traces, scaled.
    expect(g["flags per 1k requests"].treatment.value).toBeCloseTo((2 / 210) * 1000, 10);
    expect(g["flags per 1k requests"].difference!.high).toBeCloseTo(newcombe(2, 210, 1, 200)[1] * 1000, 10);
    expect(g["flags per 1k requests"].breached).toBe(false);
  });

  test("a treatment better on a rate is never breached, however clear", () => {
    expect(byName(arm({failed: 40}), arm({failed: 0}))["failure rate"].breached).toBe(false);
  });

  test("cost per request: Welch's interval on the difference, as scipy.stats computes it", () => {
    // scipy: t.ppf(0.975, Welch df)·se around 0.0062 − 0.0056 for n = 40 (sd 0.0011) and n = 50 (sd 0.0009).
    const g = byName(arm({}), arm({costed: 40, costMean: 0.0062, costVariance: 0.0011 ** 2}))["cost per request"];
    expect(g.difference!.low).toBeCloseTo(0.00017064444077706504, 12);
    expect(g.difference!.high).toBeCloseTo(0.0010293555592229347, 12);
    expect(g.breached).toBe(true);
    // The arm's own interval: t.ppf(0.975, 39)·0.0011/√40 = 0.0003517970670421721.
    expect(g.treatment.high! - 0.0062).toBeCloseTo(0.0003517970670421721, 12);
  });

  test("p95 latency: breached when the treatment's interval lies wholly above the control's, not when they overlap", () => {
    const slower = byName(arm({}), arm({latencyP95: quantileInterval(latencies(200, 1.3), 0.95)}))["p95 latency"];
    expect(slower.treatment.low!).toBeGreaterThan(slower.control.high!);
    expect(slower.breached).toBe(true);
    expect(slower.difference!.estimate).toBeCloseTo(slower.treatment.value! - slower.control.value!, 10);
    const alike = byName(arm({}), arm({latencyP95: quantileInterval(latencies(200, 1.02), 0.95)}))["p95 latency"];
    expect(alike.treatment.low!).toBeLessThanOrEqual(alike.control.high!);
    expect(alike.breached).toBe(false);
  });

  test("an arm without traffic gives no rate and no breach", () => {
    const none = arm({
      requests: 0,
      failed: 0,
      costed: 0,
      costMean: null,
      costVariance: null,
      latencyP95: quantileInterval([], 0.95),
      traces: 0,
      flaggedTraces: 0,
      actions: 0,
      corrected: 0,
      ignored: 0
    });
    for (const g of modelGuardrails(arm({}), none)) {
      expect(g.treatment.value, g.name).toBeNull();
      expect(g.breached, g.name).toBe(false);
    }
  });
});

import {describe, expect, it} from "vitest";
import type {Deployment} from "../../../../src/lib/driftQuality.js";
import {qualitySeries} from "../../../../src/components/driftViews.js";

const r = (rate: number, n: number) => ({
  rate,
  low: rate - 0.05,
  high: rate + 0.05,
  n,
  successes: Math.round(rate * n)
});
const vs = (value: number, significant: boolean) => ({value, low: value - 0.1, high: value + 0.1, significant});
const quality = {
  baseline: [
    {feature: "chat", from: "2026-01-01", to: "2026-01-14", n: 100, accepted: r(0.8, 100), corrected: r(0.2, 100)}
  ],
  weekly: [
    {
      feature: "chat",
      week: "2026-01-05",
      n: 50,
      accepted: r(0.7, 50),
      corrected: r(0.3, 50),
      acceptedVsBaseline: vs(-0.1, true),
      correctedVsBaseline: vs(0.1, true)
    },
    {
      feature: "chat",
      week: "2026-01-12",
      n: 40,
      accepted: r(0.82, 40),
      corrected: r(0.18, 40),
      acceptedVsBaseline: vs(0.02, false),
      correctedVsBaseline: vs(-0.02, false)
    },
    {
      feature: "search",
      week: "2026-01-05",
      n: 9,
      accepted: r(0.5, 9),
      corrected: r(0.5, 9),
      acceptedVsBaseline: vs(0, false),
      correctedVsBaseline: vs(0, false)
    }
  ],
  failureBaseline: [{feature: "chat", from: "2026-01-02", to: "2026-01-15", n: 200, failed: r(0.05, 200)}],
  failures: [{feature: "chat", week: "2026-01-05", n: 80, failed: r(0.02, 80), failedVsBaseline: vs(-0.03, true)}]
};
const deployments: Deployment[] = [
  {
    feature: "chat",
    model: "gpt-4o",
    prompt_version: null,
    first_at: "2026-01-01T00:00:00Z",
    requests: 10,
    at_start: true
  },
  {
    feature: "chat",
    model: "gpt-4o-mini",
    prompt_version: "v2",
    first_at: "2026-01-09T10:00:00Z",
    requests: 10,
    at_start: false
  },
  {
    feature: "search",
    model: "gpt-4o",
    prompt_version: null,
    first_at: "2026-01-10T00:00:00Z",
    requests: 10,
    at_start: false
  }
];

describe("qualitySeries(quality, deployments, feature, metric)", () => {
  it("reads a significant drop in acceptance as worse, and a non-significant week as neither", () => {
    const s = qualitySeries(quality, deployments, "chat", "accepted");
    expect(s.weekly.map((w) => [w.week, w.rate.rate, w.significant, w.direction])).toEqual([
      ["2026-01-05", 0.7, true, "worse"],
      ["2026-01-12", 0.82, false, null]
    ]);
    expect(s.baseline).toEqual({from: "2026-01-01", to: "2026-01-14", rate: r(0.8, 100)});
    expect(s.label).toBe("Outputs accepted as is");
  });

  it("reads a rise in corrections as worse: higher is worse for every metric but acceptance", () => {
    expect(qualitySeries(quality, deployments, "chat", "corrected").weekly[0].direction).toBe("worse");
  });

  it("takes failures and their own baseline from the traces, a fall being better", () => {
    const s = qualitySeries(quality, deployments, "chat", "failed");
    expect(s.weekly).toEqual([
      {week: "2026-01-05", n: 80, rate: r(0.02, 80), vs: vs(-0.03, true), significant: true, direction: "better"}
    ]);
    expect(s.baseline?.rate).toEqual(r(0.05, 200));
  });

  it("marks only the feature's versions that came after its start, named with model and prompt", () => {
    expect(qualitySeries(quality, deployments, "chat", "accepted").changes).toEqual([
      {first_at: "2026-01-09T10:00:00Z", label: "gpt-4o-mini · v2 from 2026-01-09"}
    ]);
  });

  it("has no baseline and no weeks for a feature without data", () => {
    const s = qualitySeries(quality, deployments, "billing", "failed");
    expect(s.weekly).toEqual([]);
    expect(s.baseline).toBeNull();
  });
});

import {describe, expect, it} from "vitest";
import {
  budgetsFor,
  perModelRows,
  tracePickLabel,
  tracePicks,
  volumeSeries
} from "../../../../src/components/traceViews.js";

const A = "(all)";
const volume = [
  {bucket: "d1", feature: A, model: A, requests: 10},
  {bucket: "d1", feature: "chat", model: A, requests: 7},
  {bucket: "d1", feature: "search", model: A, requests: 3},
  {bucket: "d1", feature: "chat", model: "gpt-4o", requests: 5},
  {bucket: "d1", feature: "chat", model: "mini", requests: 2},
  {bucket: "d1", feature: A, model: "gpt-4o", requests: 5}
];

describe("volumeSeries(rows, feature, model)", () => {
  it("draws one series per feature when neither is picked", () => {
    const v = volumeSeries(volume, A, A);
    expect(v.seriesLabel).toBe("Feature");
    expect(v.rows.map((r) => [r.series, r.requests])).toEqual([
      ["chat", 7],
      ["search", 3]
    ]);
  });

  it("draws one series per model of a picked feature", () => {
    const v = volumeSeries(volume, "chat", A);
    expect(v.seriesLabel).toBe("Model");
    expect(v.rows.map((r) => [r.series, r.requests])).toEqual([
      ["gpt-4o", 5],
      ["mini", 2]
    ]);
  });

  it("draws the one cell when a model is picked", () => {
    expect(volumeSeries(volume, A, "gpt-4o").rows).toEqual([volume[5]]);
  });
});

describe("perModelRows(summary, feature, model)", () => {
  it("lists the feature's models by requests, most first, with all models together last", () => {
    const summary = [
      {feature: "chat", model: A, requests: 9},
      {feature: "chat", model: "mini", requests: 2},
      {feature: "chat", model: "gpt-4o", requests: 7},
      {feature: "search", model: "gpt-4o", requests: 50}
    ];
    expect(perModelRows(summary, "chat", A).map((r) => r.model)).toEqual(["gpt-4o", "mini", A]);
    expect(perModelRows(summary, "chat", "mini").map((r) => r.model)).toEqual(["mini"]);
  });
});

describe("budgetsFor(budgets, feature)", () => {
  const budgets = {latency_p95_ms: {chat: 2000}, cost_per_request_usd: {search: 0.01}};
  it("gives a feature's budgets, null where the config sets none and for all features", () => {
    expect(budgetsFor(budgets, "chat")).toEqual({latency: 2000, cost: null});
    expect(budgetsFor(budgets, "search")).toEqual({latency: null, cost: 0.01});
    expect(budgetsFor(budgets, A)).toEqual({latency: null, cost: null});
  });
});

describe("tracePicks(slowest, costliest)", () => {
  const t = (rank: number, trace_id: string, cost_usd: number | null) => ({
    rank,
    trace_id,
    feature: "chat",
    model: "m",
    start_time: "2026-01-01T00:00:00Z",
    duration_ms: 1500,
    cost_usd,
    cost_source: null,
    failed: false,
    spans: 3
  });
  it("lists the slowest first, then the most expensive, each labelled with its list and rank", () => {
    const picks = tracePicks([t(1, "aaaaaaaaaaaaaaaa", null)], [t(1, "bbbbbbbbbbbbbbbb", 0.0123)]);
    expect(picks.map(tracePickLabel)).toEqual([
      "slowest #1: 1.50 s · no cost · aaaaaaaaaaaa",
      "most expensive #1: 1.50 s · $0.0123 · bbbbbbbbbbbb"
    ]);
  });
});

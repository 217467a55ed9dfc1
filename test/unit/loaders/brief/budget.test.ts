import {describe, expect, test} from "vitest";
import {budgetSection} from "../../../../loaders/brief/budget.js";
import type {FeatureContext} from "../../../../loaders/brief/context.js";
import {FactTable} from "../../../../loaders/brief/facts.js";
import {ALL} from "../../../../src/lib/all.js";

function context(costMean: number, costBudget: number): FeatureContext {
  const traces = {
    summary: [{feature: "autocomplete", model: ALL, requests: 40, latency: {p95: null}, cost: {mean: costMean, n: 40}}],
    budgets: {latency_p95_ms: {}, cost_per_request_usd: {autocomplete: costBudget}},
    granularity: {trend: "day"},
    latency: []
  };
  return {
    feature: "autocomplete",
    key: "autocomplete",
    inputs: {traces} as never,
    period: {} as never,
    t: new FactTable()
  };
}

describe("budgetSection(c)", () => {
  // A price rise that puts cost over its budget quotes the budget twice (table row and overrun): one fact.
  test("a cost over its budget is one budget fact, linked to the cost section", () => {
    const c = context(0.005, 0.0005);
    const {rows, overruns} = budgetSection(c);
    expect(rows.map((r) => r.status)).toEqual(["over"]);
    expect(overruns.map((o) => o.kind)).toEqual(["cost-budget"]);
    const fact = c.t.get("autocomplete.budget.cost");
    expect(fact?.href).toMatch(/tokens-and-cost-per-request/);
  });

  test("a cost within its budget gives no overrun", () => {
    const {rows, overruns} = budgetSection(context(0.0004, 0.0005));
    expect(rows.map((r) => r.status)).toEqual(["within"]);
    expect(overruns).toEqual([]);
  });
});

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
    latency: [],
    totals: {requests: 40, spans: 80, first_at: "2026-09-12T08:00:00Z", last_at: "2026-11-20T17:30:00Z"}
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

  // The mean is over every request: the brief says so, in the words the traces page uses next to it.
  test("the cost names its scope, the whole period with its dates, in the row, the fact and the overrun", () => {
    const c = context(0.005, 0.0005);
    const {rows, overruns} = budgetSection(c);
    const scope = "whole period, 2026-09-12 to 2026-11-20";
    expect(rows[0].label).toBe(`Cost per request (mean), ${scope}`);
    expect(c.t.get("autocomplete.cost.mean")?.label).toBe(`Mean cost per production request, ${scope}`);
    expect(overruns[0].text).toBe(
      `Cost per request {{autocomplete.cost.mean:full}} over the ${scope}, above the budget of {{autocomplete.budget.cost}}.`
    );
    // The overrun quotes the mean with its n, as rates are quoted.
    expect(c.t.get("autocomplete.cost.mean")?.full).toBe("$0.005 n = 40");
    // The dates are names, so the prose check does not take them for unsourced numbers.
    expect([...c.t.names]).toEqual(expect.arrayContaining(["2026-09-12", "2026-11-20"]));
  });
});

import {describe, expect, it} from "vitest";
import {categoryGaps, optionsByCost, type BakeoffSuite} from "../../../../src/components/bakeoffViews.js";

const pass = (rate: number, n: number) => ({
  rate,
  low: rate - 0.1,
  high: rate + 0.1,
  n,
  successes: Math.round(rate * n)
});
const row = (option: string, rate: number, p: number | null) => ({
  option,
  pass: pass(rate, 50),
  cost: null,
  latency_p95: null,
  vs_best: p === null ? null : {shared: 50, only_this: 1, only_best: 9, p_value: p}
});
const category = (name: string, best: string, rows: ReturnType<typeof row>[]) => ({
  category: name,
  recommendation: {best, recommended: best, reason: "", excluded: []},
  rows
});

describe("categoryGaps(suite)", () => {
  it("lists only the options significantly behind their category's best, the largest gap first", () => {
    const suite = {
      categories: [
        category("billing", "big", [row("big", 0.9, null), row("small", 0.7, 0.01), row("mid", 0.85, 0.3)]),
        category("refunds", "mid", [row("mid", 0.8, null), row("small", 0.4, 0.001), row("big", 0.78, 0.049)])
      ]
    } as unknown as BakeoffSuite;
    const gaps = categoryGaps(suite).map((g) => [g.category, g.option, Number(g.gap.toFixed(2)), g.best, g.p]);
    expect(gaps).toEqual([
      ["refunds", "small", -0.4, "mid", 0.001],
      ["billing", "small", -0.2, "big", 0.01],
      ["refunds", "big", -0.02, "mid", 0.049]
    ]);
  });

  it("is empty without categories", () =>
    expect(categoryGaps({categories: []} as unknown as BakeoffSuite)).toEqual([]));
});

describe("optionsByCost(options)", () => {
  it("orders options from the cheapest to the dearest, unknown costs last in their own order", () => {
    const o = (option: string, mean: number | null) => ({option, cost: {mean}});
    expect(optionsByCost([o("a", null), o("b", 0.02), o("c", 0.001), o("d", null)])).toEqual(["c", "b", "a", "d"]);
  });
});

import {describe, expect, test} from "vitest";
import {explainChange, type Slice} from "../../../../src/lib/explainChange.js";

const slice = (
  dimension: string,
  value: string,
  n: number,
  before: number,
  after: number,
  regressed: number,
  improved: number
): Slice => ({dimension, value, n, before_passes: before, after_passes: after, regressed, improved});

describe("explainChange(overall, slices)", () => {
  test("calls a change that McNemar cannot tell from noise no change, naming a slice that did move", () => {
    const overall = slice("all", "all", 100, 80, 78, 6, 4);
    const slices = [slice("category", "x", 50, 40, 32, 8, 0), slice("category", "y", 50, 40, 46, 0, 6)];
    // 6 vs 4 discordant: p = 0.754; category x alone: 8 vs 0, p = 2/256 = 0.0078
    expect(explainChange(overall, slices).text).toBe(
      "No significant change: 80.0% → 78.0% on 100 cases (p = 0.75), though category x moved 80.0% → 64.0% on 50 cases (p = 0.008)."
    );
  });

  test("calls a significant drop spread over every slice broad", () => {
    const overall = slice("all", "all", 80, 72, 56, 16, 0);
    const slices = ["a", "b", "c", "d"].map((v) => slice("category", v, 20, 18, 14, 4, 0));
    expect(explainChange(overall, slices)).toMatchObject({
      kind: "broad",
      direction: "drop",
      text: "A broad drop: 90.0% → 70.0% on 80 cases (p < 0.001), not concentrated in one category or input length."
    });
  });

  test("finds where a gain is concentrated, in the dimension that explains most of it", () => {
    const overall = slice("all", "all", 60, 30, 42, 0, 12);
    const slices = [
      slice("category", "billing", 30, 10, 20, 0, 10),
      slice("category", "refunds", 30, 20, 22, 0, 2),
      slice("length", "< 500", 30, 15, 21, 0, 6),
      slice("length", "500–1k", 30, 15, 21, 0, 6)
    ];
    expect(explainChange(overall, slices, {category: (v) => `category ${v}`})).toEqual({
      kind: "concentrated",
      direction: "gain",
      dimension: "category",
      values: ["billing"],
      text: "The gain is concentrated in category billing: 33.3% → 66.7% on 30 cases (p = 0.002); elsewhere 66.7% → 73.3% on 30 cases."
    });
  });
});

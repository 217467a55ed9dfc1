import {describe, expect, it} from "vitest";
import {lengthBucketBounds, lengthBucketLabels} from "../../../../src/lib/lengthBuckets.js";
import {failingCasesOf} from "../../../../src/components/triageCaseLinks.js";

describe("lengthBucketBounds(label)", () => {
  it("gives each bucket's edges: min inclusive, max exclusive, open at the ends", () => {
    const labels = lengthBucketLabels([500, 1000, 20000]);
    expect(labels).toEqual(["< 500", "500–1k", "1k–20k", "≥ 20k"]);
    expect(labels.map((l) => lengthBucketBounds(l, [500, 1000, 20000]))).toEqual([
      {max: 500},
      {min: 500, max: 1000},
      {min: 1000, max: 20000},
      {min: 20000}
    ]);
  });
  it("knows no bucket of another label", () => expect(lengthBucketBounds("unknown length")).toBeNull());
});

describe("failingCasesOf(after, slice)", () => {
  it("lists the later run's failing cases of a length bucket", () =>
    expect(failingCasesOf("run-b", {dimension: "length", value: "10k–20k"})).toEqual({
      kind: "list",
      table: "eval_results",
      where: {run_id: "run-b", passed: false},
      min: {input_chars: 10000},
      max: {input_chars: 20000}
    }));
  it("lists a category by its name", () =>
    expect(failingCasesOf("run-b", {dimension: "category", value: "billing"})).toEqual({
      kind: "list",
      table: "eval_results",
      where: {run_id: "run-b", passed: false, category: "billing"}
    }));
  it("has nothing to list for an unknown length", () =>
    expect(failingCasesOf("run-b", {dimension: "length", value: "unknown length"})).toBeNull());
});

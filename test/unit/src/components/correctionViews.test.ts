import {describe, expect, it} from "vitest";
import {orderedSlices} from "../../../../src/components/correctionViews.js";

describe("orderedSlices(rows, dimension)", () => {
  const rows = [
    {value: "2026-01-05", n: 3},
    {value: "2026-01-12", n: 9},
    {value: "2026-01-19", n: 5}
  ];
  it("puts the largest slices first", () => expect(orderedSlices(rows, "segment").map((r) => r.n)).toEqual([9, 5, 3]));
  it("keeps weeks in time order", () => expect(orderedSlices(rows, "week").map((r) => r.n)).toEqual([3, 9, 5]));
  it("leaves its input as it was", () => {
    orderedSlices(rows, "segment");
    expect(rows.map((r) => r.n)).toEqual([3, 9, 5]);
  });
});

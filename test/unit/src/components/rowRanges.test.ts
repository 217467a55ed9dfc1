import {describe, expect, it} from "vitest";
import {groupStarts, rangesFor} from "../../../../src/components/rowRanges.js";

describe("rangesFor(indices, starts)", () => {
  const starts = groupStarts([100, 100, 50]);
  it("starts each row group where the previous ends", () => expect(starts).toEqual([0, 100, 200, 250]));
  it("reads one range per row group holding a wanted row, first to last", () => {
    expect(rangesFor([205, 3, 99, 100, 150], starts)).toEqual([
      [3, 100],
      [100, 151],
      [205, 206]
    ]);
  });
  it("reads nothing for no row", () => expect(rangesFor([], starts)).toEqual([]));
});

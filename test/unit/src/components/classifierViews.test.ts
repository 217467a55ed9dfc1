import {describe, expect, test} from "vitest";
import {defaultThreshold, type SliceView} from "../../../../src/components/classifierViews.js";

const view = (binary: boolean, threshold: number | null) =>
  ({binary, scored: {coverageAtTarget: threshold === null ? null : {threshold}}}) as unknown as SliceView;

describe("defaultThreshold(view)", () => {
  test("opens a multiclass slider at the threshold that reaches the target accuracy (rounded up to its 0.01 step), never at 0", () => {
    expect(defaultThreshold(view(false, 0.7349))).toBe(0.74);
    expect(defaultThreshold(view(false, 0.56))).toBe(0.56);
    expect(defaultThreshold(view(false, 0.7301))).toBe(0.74);
    expect(defaultThreshold(view(false, null))).toBe(0.5);
  });
  test("opens a binary score at 0.5, and with no slice at 0.5", () => {
    expect(defaultThreshold(view(true, 0.9))).toBe(0.5);
    expect(defaultThreshold(null)).toBe(0.5);
  });
});

import {describe, expect, test} from "vitest";
import {benjaminiHochberg} from "../../../../../loaders/metrics/experiments/benjaminiHochberg.js";
import {numbered, reference} from "./reference.js";

describe("benjaminiHochberg(pValues)", () => {
  test.each(numbered(reference.benjaminiHochberg))(
    "case %i matches statsmodels' multipletests(method='fdr_bh')",
    (_, c: any) => {
      const q = benjaminiHochberg(c.p);
      c.adjusted.forEach((expected: number, i: number) => expect(q[i]).toBeCloseTo(expected, 12));
    }
  );

  test("Benjamini & Hochberg's (1995) own 15 p-values: 4 discoveries at q = 0.05", () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1
    ];
    expect(benjaminiHochberg(p).filter((q) => q <= 0.05)).toHaveLength(4);
  });

  test("an empty list stays empty; a p-value outside [0, 1] is refused", () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});

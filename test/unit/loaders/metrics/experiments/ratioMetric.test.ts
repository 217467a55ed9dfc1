import {describe, expect, test} from "vitest";
import {ratioDifference, ratioEstimate} from "../../../../../loaders/metrics/experiments/ratioMetric.js";
import {numbered, reference, relativeError} from "./reference.js";

describe("ratioDifference(treatment, control) by the delta method over per-user sums", () => {
  test.each(numbered(reference.ratio))(
    "case %i matches the numerical delta method and user-clustered OLS",
    (_, c: any) => {
      const r = ratioDifference(c.treatment, c.control);
      expect(r.absolute.estimate).toBeCloseTo(c.difference, 12);
      expect(relativeError(r.absolute.standardError, c.standardError)).toBeLessThan(1e-6);
      expect(r.relative!.estimate).toBeCloseTo(c.relative.estimate, 12);
      expect(relativeError(r.relative!.standardError, c.relative.standardError)).toBeLessThan(1e-6);
      // The same quantity from another route: request-level OLS whose errors are clustered by user.
      // The sandwich divides by n where the delta method's sample variances divide by n − 1.
      expect(r.absolute.estimate).toBeCloseTo(c.clusteredOls.coefficient, 12);
      const n = Math.min(c.treatment.n, c.control.n);
      expect(relativeError(r.absolute.standardError, c.clusteredOls.standardError)).toBeLessThan(1 / n);
    }
  );

  test("a per-request t-test, treating requests as independent, understates the standard error", () => {
    for (const c of reference.ratio)
      expect(c.naivePerRequestStandardError).toBeLessThan(
        ratioDifference(c.treatment, c.control).absolute.standardError
      );
  });

  test("rejects a zero denominator", () => {
    expect(() => ratioEstimate({n: 3, meanX: 1, meanY: 0, varianceX: 1, varianceY: 0, covarianceXY: 0})).toThrow(
      /denominator/
    );
  });
});

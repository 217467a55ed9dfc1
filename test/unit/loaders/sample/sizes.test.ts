// The generator's sizes: scale alone sizes everything as before; a span count sizes the traffic apart.
import {describe, expect, test} from "vitest";
import {sampleSizes} from "../../../../loaders/sample/sizes.js";

describe("sampleSizes", () => {
  test("spans sizes the traffic on its own and leaves the eval results to scale", () => {
    const both = sampleSizes(1_000_000);
    const apart = sampleSizes(1_000_000, 2_000_000);
    expect(apart.caseMultiplier).toBe(both.caseMultiplier);
    // Every second request is traced, with at least 3 spans each: 2M spans need 2M × 2 / 3 requests.
    expect(apart.requests).toBe(Math.ceil((2_000_000 * 2) / 3));
    expect(both.requests).toBe(Math.ceil((1_000_000 * 2) / 3));
  });

  test("a span count that is not a positive integer is refused", () => {
    expect(() => sampleSizes(1000, 0)).toThrow(/spans must be a positive integer/);
    expect(() => sampleSizes(1000, 1.5)).toThrow(/spans must be a positive integer/);
  });
});

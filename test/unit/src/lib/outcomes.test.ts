import {describe, expect, test} from "vitest";
import {packOutcomes, unpackOutcomes, type Outcome} from "../../../../src/lib/outcomes.js";

describe("packOutcomes(outcomes) and unpackOutcomes(packed, cases)", () => {
  test.each([0, 1, 3, 4, 5, 11, 12, 13, 401])("round-trips %i cases", (n) => {
    const outcomes = Array.from({length: n}, (_, i) => ((i * 7 + (i >> 3)) % 3) as Outcome);
    expect(unpackOutcomes(packOutcomes(outcomes), n)).toEqual(outcomes);
  });

  test("packs four cases a byte, first case in the lowest bits, as standard base64", () => {
    // passed, failed, not graded, passed = 0b10_00_01_10 = 0x86; failed = 0x01.
    expect(packOutcomes([2, 1, 0, 2, 1])).toBe(Buffer.from([0x86, 0x01]).toString("base64"));
  });

  test("refuses a string too short for the cases", () => {
    expect(() => unpackOutcomes(packOutcomes([2, 2]), 9)).toThrow(/cannot hold 9 cases/);
  });
});

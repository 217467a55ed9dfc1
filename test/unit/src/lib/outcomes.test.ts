import {describe, expect, test} from "vitest";
import {packOutcomes, unpackOutcomes, type Outcome} from "../../../../src/lib/outcomes.js";

describe("packOutcomes(outcomes) and unpackOutcomes(packed, cases)", () => {
  test.each([0, 1, 3, 4, 5, 11, 12, 13, 401])("round-trips %i cases", (n) => {
    const outcomes = Array.from({length: n}, (_, i) => ((i * 7 + (i >> 3)) % 3) as Outcome);
    expect(unpackOutcomes(packOutcomes(outcomes), n)).toEqual(Uint8Array.from(outcomes));
  });

  test("packs four cases a byte, first case in the lowest bits, as standard base64", () => {
    // passed, failed, not graded, passed = 0b10_00_01_10 = 0x86; failed = 0x01.
    expect(packOutcomes([2, 1, 0, 2, 1])).toBe(Buffer.from([0x86, 0x01]).toString("base64"));
  });

  test("reads each case's two bits of the bytes Node's base64 decoder reads, at a 1M-result suite's size", () => {
    const n = 40_001;
    const outcomes = Array.from({length: n}, (_, i) => ((i * 7919 + (i >> 5)) % 3) as Outcome);
    const packed = packOutcomes(outcomes);
    const bytes = Buffer.from(packed, "base64");
    const reference = Uint8Array.from({length: n}, (_, i) => (bytes[i >> 2] >> ((i & 3) * 2)) & 3);
    expect(unpackOutcomes(packed, n)).toEqual(reference);
  });

  test("refuses a string too short for the cases", () => {
    expect(() => unpackOutcomes(packOutcomes([2, 2]), 9)).toThrow(/cannot hold 9 cases/);
  });
});

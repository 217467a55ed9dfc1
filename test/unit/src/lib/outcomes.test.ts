import {describe, expect, test} from "vitest";
import {packOutcomes, unpackOutcomes, type Outcome} from "../../../../src/lib/outcomes.js";
import {
  packBits,
  packDistinct,
  packSortedGaps,
  unpackBits,
  unpackDistinct,
  unpackSortedGaps
} from "../../../../src/lib/packedBits.js";

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

describe("packBits(values, bits) and unpackBits(packed, count, bits)", () => {
  /** Value i's bits read one by one from the bytes Node's base64 decoder reads, LSB first. */
  const reference = (packed: string, count: number, bits: number) => {
    const bytes = Buffer.from(packed, "base64");
    return Uint32Array.from({length: count}, (_, i) => {
      let v = 0;
      for (let b = 0; b < bits; b++) v |= ((bytes[(i * bits + b) >> 3] >> ((i * bits + b) & 7)) & 1) << b;
      return v;
    });
  };

  test.each([1, 2, 3, 7, 8, 9, 10, 13, 16, 17, 24])(
    "round-trips values of %i bits, as the bits read one by one",
    (bits) => {
      const n = 1001;
      const values = Array.from({length: n}, (_, i) => (i * 2654435761 + (i >> 3)) % 2 ** bits);
      const packed = packBits(values, bits);
      expect(Buffer.from(packed, "base64")).toHaveLength(Math.ceil((n * bits) / 8));
      expect(reference(packed, n, bits)).toEqual(Uint32Array.from(values));
      expect(unpackBits(packed, n, bits)).toEqual(Uint32Array.from(values));
    }
  );

  test("lays out two bits a value as packOutcomes does", () => {
    const outcomes = Array.from({length: 37}, (_, i) => (i % 3) as Outcome);
    expect(packBits(outcomes, 2)).toBe(packOutcomes(outcomes));
  });

  test("packs nothing for 0 bits (every value 0), and refuses a value that does not fit", () => {
    expect(packBits([0, 0, 0], 0)).toBe("");
    expect(unpackBits("", 3, 0)).toEqual(new Uint32Array(3));
    expect(() => packBits([0, 8], 3)).toThrow(/value 8 at 1 does not fit in 3 bits/);
    expect(() => unpackBits(packBits([1, 2], 10), 9, 10)).toThrow(/cannot hold 9 values of 10 bits/);
  });
});

describe("packDistinct(lists, what, key) and unpackDistinct(values, packed, count, bits)", () => {
  test("lists each distinct value once, in the order first seen across the lists, and round-trips every list with its nulls", () => {
    const lists = [
      [0.5, null, 1, 0.5],
      [1, 0.25, null],
      [null, null]
    ];
    const {values, bits, packed} = packDistinct(lists, "test");
    expect(values).toEqual([0.5, 1, 0.25]);
    // Three values and null: two bits an index, null as 0.
    expect(bits).toBe(2);
    expect(unpackBits(packed[0], 4, bits)).toEqual(Uint32Array.from([1, 0, 2, 1]));
    lists.forEach((list, k) => expect(unpackDistinct(values, packed[k], list.length, bits)).toEqual(list));
  });

  test("tells tuples apart by the key, and packs lists of nulls alone in no bits", () => {
    const pairs = [
      [
        [1, 2],
        [1, 2],
        [2, 1]
      ]
    ];
    const byText = packDistinct(pairs, "test", (v) => JSON.stringify(v));
    expect(byText.values).toEqual([
      [1, 2],
      [2, 1]
    ]);
    expect(unpackDistinct(byText.values, byText.packed[0], 3, byText.bits)).toEqual(pairs[0]);
    expect(packDistinct([[null, null]], "test")).toEqual({values: [], bits: 0, packed: [""]});
  });

  test("as many bits as the distinct values and null need, at a 1M-result suite's size", () => {
    const n = 40_001;
    const latencies = Array.from({length: n}, (_, i) => (i % 97 === 0 ? null : 100 + ((i * 7919) % 1000)));
    const {values, bits, packed} = packDistinct([latencies], "test");
    expect(values.length).toBe(1000);
    expect(bits).toBe(10);
    expect(unpackDistinct(values, packed[0], n, bits)).toEqual(latencies);
  });

  test("refuses an index past the values", () => {
    expect(() => unpackDistinct([7], packBits([0, 1, 3], 2), 3, 2)).toThrow(/index 3 at 2 is past the 1 values/);
  });
});

describe("packSortedGaps(values) and unpackSortedGaps(packed, count)", () => {
  // The bits as written, first bit first, in base64 (LSB first within each byte).
  const packedOf = (bits: string) =>
    Buffer.from(
      Array.from({length: Math.ceil(bits.length / 8)}, (_, i) =>
        [...bits.slice(i * 8, i * 8 + 8)].reduce((v, b, k) => v | (Number(b) << k), 0)
      )
    ).toString("base64");

  test("writes the order in 5 bits, then each gap as the Elias-gamma code of its high bits and its low bits", () => {
    // Gaps 0, 0, 1 cost 5 bits at order 0 (Elias-gamma: 1, 1, 010) and 6 at order 1: order 0.
    expect(packSortedGaps([0, 0, 1])).toBe(packedOf("00000" + "1" + "1" + "010"));
    // Gaps 0, 1, 3 cost 9 bits at order 0 (1, 010, 00100) and 8 at order 1: gamma of g >> 1, then g's low bit:
    // 0 → 1 0, 1 → 1 1, 3 → 010 1. Order 1 is 1 in 5 bits, lowest first.
    expect(packSortedGaps([0, 1, 4])).toBe(packedOf("10000" + "10" + "11" + "0101"));
  });

  // Spans' latencies at 2M are ranks some 70 apart: 13 bits each in Elias-gamma, 8 at order 5 (gamma of 70 >> 5 = 2, then 5 bits).
  test("takes the order that codes gaps of one size in fewest bits", () => {
    const values = Array.from({length: 1_000}, (_, i) => i * 70 + (i % 7));
    const packed = packSortedGaps(values);
    expect(Buffer.from(packed, "base64")[0] & 31).toBe(5);
    expect(Buffer.from(packed, "base64").length * 8).toBeLessThanOrEqual(5 + 8 * 1_000 + 7);
    expect(unpackSortedGaps(packed, values.length)).toEqual(Uint32Array.from(values));
  });

  test.each([0, 1, 2, 7, 1000])("round-trips %i sorted values with repeats and wide gaps", (n) => {
    const values = Array.from({length: n}, (_, i) => Math.floor(i / 3) * 5 + (i % 97 === 96 ? 100_000 : 0)).sort(
      (a, b) => a - b
    );
    expect(unpackSortedGaps(packSortedGaps(values), n)).toEqual(Uint32Array.from(values));
  });

  test("costs a few bits a value for many values from a short range", () => {
    const values = Array.from({length: 10_000}, (_, i) => Math.floor(i / 4));
    expect(Buffer.from(packSortedGaps(values), "base64").length).toBeLessThan(10_000 * 0.25);
  });

  test("round-trips the widest values, at every order", () => {
    const wide = [0, 5, 2 ** 31 - 2, 2 ** 31 - 1];
    expect(unpackSortedGaps(packSortedGaps(wide), 4)).toEqual(Uint32Array.from(wide));
    for (let step = 1; step < 2 ** 31 / 20; step *= 3) {
      const values = Array.from({length: 20}, (_, i) => i * step);
      expect(unpackSortedGaps(packSortedGaps(values), 20)).toEqual(Uint32Array.from(values));
    }
  });

  test("refuses values out of order, and a string too short for the count", () => {
    expect(() => packSortedGaps([3, 2])).toThrow(/value 2 at 1 is not an integer at or above 3/);
    expect(() => unpackSortedGaps(packSortedGaps([1, 2]), 40)).toThrow(/cannot hold 40 values/);
  });
});

import {ByteWriter} from "hyparquet-writer";
import {deltaBinaryPack} from "hyparquet-writer/src/delta.js";
import {describe, expect, test} from "vitest";
import {deltaBinaryPacked, deltaValueCount} from "../../../../src/lib/parquetDelta.js";

/** `values` as hyparquet-writer encodes an INT64 column DELTA_BINARY_PACKED (blocks of 128, miniblocks of 32). */
function packed(values: bigint[]): Uint8Array {
  const writer = new ByteWriter();
  deltaBinaryPack(writer, values, "INT64");
  return new Uint8Array(writer.getBuffer());
}

/** Decodes `bytes` whole, after a prefix and before a suffix of other bytes, as the page they lie in. */
function decoded(bytes: Uint8Array, count: number): {values: number[]; end: number} {
  const page = new Uint8Array(bytes.length + 7);
  page.set(bytes, 3);
  page.fill(0xff, 3 + bytes.length);
  const out = new Float64Array(count);
  const end = deltaBinaryPacked(page, 3, page.length, out);
  return {values: [...out], end: end < 0 ? end : end - 3};
}

const series = (n: number, value: (i: number) => number) => Array.from({length: n}, (_, i) => value(i));

describe("deltaBinaryPacked(bytes, at, end, out)", () => {
  test.each([
    ["no values", []],
    ["one value", [1_767_225_600_000_000]],
    [
      "sorted microsecond timestamps with repeats",
      series(1000, (i) => 1_767_225_600_000_000 + Math.floor(i / 3) * 1_234_567)
    ],
    ["negative values and deltas", series(300, (i) => -86_400_000_000 + (i % 2 ? -i : i) * 999_983)],
    ["a count a miniblock past a block (129) and one short (127)", series(129, (i) => i * i)],
    ["one short of a block", series(127, (i) => 7 - i)],
    ["deltas 24 bits wide", series(200, (i) => (i % 2) * (2 ** 24 - 1))],
    ["deltas 25 to 53 bits wide", series(400, (i) => (i % 2 ? 1 : -1) * (i % 4 ? 2 ** 51 - i : 2 ** 24 + i))],
    ["equal values (width 0)", series(260, () => 42)]
  ])("decodes %s as hyparquet-writer encoded them, and ends where they do", (_, values) => {
    const bytes = packed(values.map(BigInt));
    expect(deltaValueCount(bytes, 0, bytes.length)).toBe(values.length);
    expect(decoded(bytes, values.length)).toEqual({values, end: bytes.length});
  });

  test("refuses a page it cannot decode exactly: values past 2^53, a count not out's, bytes past the end", () => {
    expect(decoded(packed([0n, 2n ** 53n + 2n]), 2).end).toBe(-1);
    expect(decoded(packed([-(2n ** 60n), 0n]), 2).end).toBe(-1);
    // Narrow deltas (width 0) that carry a safe first value past 2^53.
    expect(decoded(packed([0n, 1n, 2n, 3n].map((k) => 2n ** 52n - 10n + k * 2n ** 51n)), 4).end).toBe(-1);
    const bytes = packed(series(100, (i) => i * 1000).map(BigInt));
    expect(decoded(bytes, 99).end).toBe(-1);
    const out = new Float64Array(100);
    expect(deltaBinaryPacked(bytes, 0, bytes.length - 1, out)).toBe(-1);
    expect(deltaBinaryPacked(bytes, 0, bytes.length, out)).toBe(bytes.length);
  });
});

// The listed cases' texts file: laid out by the build (textsFile) and read back by range (textsIndex,
// pairTexts) from the exact bytes the pipeline writes, JSON.stringify of the page data.
import {describe, expect, test} from "vitest";
import {pairLayout, pairTexts, textsFile, textsIndex, type CaseText} from "../../../../src/lib/triageTexts.js";

/** The file's bytes and a reader over them that records each read's range. */
function file(value: unknown) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const reads: [number, number][] = [];
  const read = async (start: number, end: number) => (reads.push([start, end]), bytes.slice(start, end));
  return {bytes, reads, read};
}

const ids = (n: number) => Array.from({length: n}, (_, i) => `case-${String(i).padStart(5, "0")}`);
const text = (id: string, i: number): CaseText => [
  id,
  ["billing", "login"][i % 2],
  i % 5 === 0 ? null : 100 + i,
  i % 3 === 0 ? null : `Output of ${id}: "quoted", naïve café ✓ 🚀 ${"x".repeat(i % 7)}`,
  `Reason\n${id}\\ with a backslash`,
  i % 4 === 0 ? `timeout ${"é".repeat(150)}` : null
];

describe("textsFile(pairs) read by textsIndex and pairTexts", () => {
  const caseIds = ids(40);
  // Pair a→b flipped the even cases, b→c every third, c→d none.
  const flippedAB = caseIds.map((_, i) => i).filter((i) => i % 2 === 0);
  const flippedBC = caseIds.map((_, i) => i).filter((i) => i % 3 === 0);
  const value = textsFile([
    {before: "a", after: "b", texts: flippedAB.map((i) => text(caseIds[i], i))},
    {before: "c", after: "d", texts: []},
    {before: "b", after: "c", texts: flippedBC.map((i) => text(caseIds[i], i + 1))}
  ]);

  test("gives back every pair's texts, byte for byte, with quotes, escapes, nulls and non-ASCII text", async () => {
    const {read} = file(value);
    const index = await textsIndex(read);
    const ab = await pairTexts(
      read,
      await pairLayout(read, index, {before: "a", after: "b"}),
      flippedAB,
      flippedAB,
      caseIds
    );
    expect([...ab.keys()]).toEqual(flippedAB);
    expect([...ab.values()]).toEqual(flippedAB.map((i) => text(caseIds[i], i)));
    const bc = await pairTexts(
      read,
      await pairLayout(read, index, {before: "b", after: "c"}),
      flippedBC,
      [39, 0, 21],
      caseIds
    );
    expect(bc).toEqual(
      new Map([
        [39, text(caseIds[39], 40)],
        [0, text(caseIds[0], 1)],
        [21, text(caseIds[21], 22)]
      ])
    );
    expect(await pairTexts(read, await pairLayout(read, index, {before: "c", after: "d"}), [], [], caseIds)).toEqual(
      new Map()
    );
  });

  test("refuses a file that does not match the case figures: another count, another case, another pair", async () => {
    const {read} = file(value);
    const index = await textsIndex(read);
    await expect(
      pairTexts(read, await pairLayout(read, index, {before: "a", after: "b"}), flippedBC, [0], caseIds)
    ).rejects.toThrow("the texts file has 20 cases of the pair, the case figures 14");
    const shifted = caseIds.map((_, i) => caseIds[(i + 1) % caseIds.length]);
    await expect(
      pairTexts(read, await pairLayout(read, index, {before: "a", after: "b"}), flippedAB, [2], shifted)
    ).rejects.toThrow("the texts file holds case-00002 where case case-00003 should be");
    await expect(
      pairTexts(read, await pairLayout(read, index, {before: "a", after: "b"}), flippedAB, [3], caseIds)
    ).rejects.toThrow("case case-00003 did not change in the pair");
    await expect(pairLayout(read, index, {before: "a", after: "c"})).rejects.toThrow(
      "the texts file has no pair a → c"
    );
  });

  test("reads a few texts of a big pair a few hundred bytes each, not the pair's block", async () => {
    const many = ids(5000);
    const flipped = many.map((_, i) => i);
    const long = (id: string, i: number): CaseText => [id, "billing", i, `${id} ${"y".repeat(400)}`, null, null];
    const {bytes, reads, read} = file(
      textsFile([{before: "a", after: "b", texts: flipped.map((i) => long(many[i], i))}])
    );
    const index = await textsIndex(read);
    const head = reads.length;
    const listed = [4321, 17, 2500, 18];
    const got = await pairTexts(read, await pairLayout(read, index, {before: "a", after: "b"}), flipped, listed, many);
    expect([...got.keys()].sort((x, y) => x - y)).toEqual([17, 18, 2500, 4321]);
    expect(got.get(2500)).toEqual(long(many[2500], 2500));
    // The header (5,000 lengths of 9 bits, about 7.5 kB), then one read for 17 and 18 (neighbours) and one each for the others.
    const texts = reads.slice(head + 1);
    expect(texts).toHaveLength(3);
    expect(texts.reduce((n, [a, b]) => n + b - a, 0)).toBeLessThan(4 * 460);
    expect(reads.reduce((n, [a, b]) => n + b - a, 0)).toBeLessThan(bytes.length / 100);
  });
});

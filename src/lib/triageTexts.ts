// The text of every case eval triage's filter can list (a case of a pair whose verdict flipped: any of
// them is among the 40 biggest changes of some slice), as the build's SQL gives it, in one page file
// that the browser reads by HTTP range requests, a few hundred bytes a listed case: at 1M eval results
// the file holds 77k texts (7.7 MB), far over what a page may fetch whole, and the Parquet export
// costs a listed row its row group's whole column chunks (about 2.8 MB). The file is a JSON array whose
// byte layout the build computes (the pipeline writes page data with JSON.stringify):
//   ["<blocks' start, 12 digits>", {pairs: TextPair[]}, header 1, text 1.1, text 1.2, …, header 2, …]
// A pair's texts are its flipped cases in the order the page picks them (changedPicks without a limit:
// direction, biggest score change, case order), so the browser knows a listed case's place among them
// from the case figures it already holds, and a slice's listed cases are the first kept ones of each
// direction, near each other. The pair's header holds the texts' byte lengths, packed (packedBits.ts).
// Each text carries its case id, checked on reading.
import {jsonByteLength, parseJsonBytes, type ReadBytes} from "./blocksFile.js";
import {packBits, unpackBits} from "./packedBits.js";
import type {ChangedCaseRow} from "./triageRuns.js";

/** A listed case's columns of ChangedCaseRow, the case's own (not the pair's): a text's fields, in this order. */
export const CASE_TEXT_COLUMNS = ["case_id", "category", "input_chars", "excerpt", "reason", "error"] as const;
type CaseColumns = Pick<ChangedCaseRow, (typeof CASE_TEXT_COLUMNS)[number]>;

/** A listed case's text as the build lists it: CASE_TEXT_COLUMNS' values. */
export type CaseText = [
  case_id: string,
  category: string,
  input_chars: number | null,
  excerpt: string | null,
  reason: string | null,
  error: string | null
];

/** A case's row (a ChangedCaseRow's) as its text. */
export const caseText = (row: CaseColumns): CaseText => CASE_TEXT_COLUMNS.map((c) => row[c]) as CaseText;

/** A text as the case's columns of a ChangedCaseRow. */
export const caseColumns = (text: CaseText): CaseColumns =>
  Object.fromEntries(CASE_TEXT_COLUMNS.map((c, k) => [c, text[k]])) as CaseColumns;

/**
 * A pair's place in the file: its header at `at` bytes after the blocks' start, `header` bytes long,
 * holding its `count` texts' byte lengths in `bits` bits each.
 */
export type TextPair = {before: string; after: string; at: number; header: number; count: number; bits: number};

const DIGITS = 12;
/** `["` + the start's digits + `",`: where the index begins. */
const INDEX_AT = DIGITS + 4;

/** The file's JSON value for the pairs' texts (each pair's in the order the page picks them). */
export function textsFile(pairs: readonly {before: string; after: string; texts: readonly CaseText[]}[]): unknown[] {
  const index: TextPair[] = [];
  const elements: unknown[] = [];
  let at = 0;
  for (const {before, after, texts} of pairs) {
    const lengths = texts.map(jsonByteLength);
    const bits = Math.ceil(Math.log2(lengths.reduce((m, n) => Math.max(m, n), 0) + 1));
    const header = packBits(lengths, bits);
    index.push({before, after, at, header: jsonByteLength(header), count: texts.length, bits});
    elements.push(header, ...texts);
    // Each element is followed by a comma (or the closing bracket).
    at += jsonByteLength(header) + 1 + lengths.reduce((sum, n) => sum + n + 1, 0);
  }
  const start = INDEX_AT + jsonByteLength({pairs: index}) + 1;
  if (String(start).length > DIGITS) throw new RangeError(`triage texts: an index of ${start} bytes`);
  return [String(start).padStart(DIGITS, "0"), {pairs: index}, ...elements];
}

/** The file's index: where the blocks start, and each pair's place. Two reads of the file's head. */
export async function textsIndex(read: ReadBytes): Promise<{start: number; pairs: TextPair[]}> {
  const start = Number(parseJsonBytes((await read(1, INDEX_AT - 1)) as Uint8Array));
  const {pairs} = parseJsonBytes(await read(INDEX_AT, start - 1)) as {pairs: TextPair[]};
  return {start, pairs};
}

/** Texts closer than this are read in one request: a request costs more than a few kB on any network. */
const GAP_BYTES = 4096;

/** Where a pair's texts are in the file: each one's first byte and length. */
export type PairLayout = {offsets: number[]; lengths: ArrayLike<number>};

/** The pair's layout, from its header: one read. */
export async function pairLayout(
  read: ReadBytes,
  index: {start: number; pairs: readonly TextPair[]},
  pair: {before: string; after: string}
): Promise<PairLayout> {
  const p = index.pairs.find((x) => x.before === pair.before && x.after === pair.after);
  if (!p) throw new Error(`eval triage: the texts file has no pair ${pair.before} → ${pair.after}`);
  const headerAt = index.start + p.at;
  const lengths = unpackBits(parseJsonBytes(await read(headerAt, headerAt + p.header)) as string, p.count, p.bits);
  const offsets = [headerAt + p.header + 1];
  for (let k = 0; k < p.count; k++) offsets.push(offsets[k] + lengths[k] + 1);
  return {offsets, lengths};
}

/**
 * The texts of the pair's listed cases: `flipped` are the pair's flipped cases (suite case indexes) in
 * the file's order, `listed` those to read, `caseIds` the suite's. One read per cluster of listed
 * texts. Throws when a text is not its case's (a file that does not match the case figures).
 */
export async function pairTexts(
  read: ReadBytes,
  {offsets, lengths}: PairLayout,
  flipped: readonly number[],
  listed: readonly number[],
  caseIds: readonly string[]
): Promise<Map<number, CaseText>> {
  const found = new Map<number, CaseText>();
  if (!listed.length) return found;
  if (lengths.length !== flipped.length)
    throw new Error(
      `eval triage: the texts file has ${lengths.length} cases of the pair, the case figures ${flipped.length}`
    );
  const rank = new Map(flipped.map((i, k) => [i, k]));
  const ranks = listed.map((i) => rank.get(i) ?? -1);
  const astray = ranks.indexOf(-1);
  if (astray >= 0) throw new Error(`eval triage: case ${caseIds[listed[astray]]} did not change in the pair`);
  const clusters: number[][] = [];
  for (const k of [...new Set(ranks)].sort((a, b) => a - b)) {
    const last = clusters.at(-1);
    if (last && offsets[k] - (offsets[last.at(-1)!] + lengths[last.at(-1)!]) <= GAP_BYTES) last.push(k);
    else clusters.push([k]);
  }
  await Promise.all(
    clusters.map(async (ks) => {
      const from = offsets[ks[0]];
      const bytes = await read(from, offsets[ks.at(-1)!] + lengths[ks.at(-1)!]);
      for (const k of ks) {
        const text = parseJsonBytes(bytes.subarray(offsets[k] - from, offsets[k] - from + lengths[k])) as CaseText;
        if (text[0] !== caseIds[flipped[k]])
          throw new Error(`eval triage: the texts file holds ${text[0]} where case ${caseIds[flipped[k]]} should be`);
        found.set(flipped[k], text);
      }
    })
  );
  return found;
}

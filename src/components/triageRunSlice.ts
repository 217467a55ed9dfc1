// Eval triage's runs and listed cases on a filtered slice, imported only once the case filter keeps a
// slice. Each run's pass rate, per-result rate and mean score, and which of the pair's cases changed
// verdict, are counted from the runs' case figures packed at build (loaders/queries/triageOutcomes.ts,
// eval-triage-cases.json) by the functions of src/lib/triageRuns.ts, so a slice reads as the build
// would read a warehouse holding only those cases; the listed cases' category, length and text are the
// build's own rows for them, read alone from eval-triage-texts.json (src/lib/triageTexts.ts).
import {changedCasesOf, changedPicks, runCountsOn, runFigures, type ChangedCaseRow} from "../lib/triageRuns.js";
import {unpackBits} from "../lib/packedBits.js";
import {rangeReader} from "./rangeReader.js";
import {remembered, rememberedByKey} from "../lib/remembered.js";
import type {ReadBytes} from "../lib/blocksFile.js";
import {caseColumns, pairLayout, pairTexts, textsIndex, type PairLayout} from "../lib/triageTexts.js";
import type {triageCaseFigures} from "../../loaders/queries/triageOutcomes.js";
import type {OutcomeSuite} from "./triageCompare.js";

/** A suite's runs' case figures: a block of the page data eval-triage-cases.json (loaders/queries/triageFiles.ts). */
export type CaseFigureSuite = Awaited<ReturnType<typeof triageCaseFigures>>["suites"][number];

/**
 * The texts file's reader, its index and its pairs' layouts, each read once a page visit: a read that
 * failed (a request dropped) is read again when next asked for (src/lib/remembered.ts).
 */
export type TextsSource = {
  read: ReadBytes;
  index: () => ReturnType<typeof textsIndex>;
  layouts: ReturnType<typeof rememberedByKey<string, PairLayout>>;
};

/** The texts file over `read`; its index is read at once. */
export function textsSource(read: ReadBytes): TextsSource {
  const kept = remembered<Awaited<ReturnType<typeof textsIndex>>>();
  const index = () => kept.get(() => textsIndex(read));
  index();
  return {read, index, layouts: rememberedByKey()};
}

/** The pair's layout in the texts file, read the first time it is asked for. */
function layoutOf(texts: TextsSource, pair: {before: string; after: string}): Promise<PairLayout> {
  return texts.layouts.get(`${pair.before}\u0000${pair.after}`, () =>
    texts.index().then((index) => pairLayout(texts.read, index, pair))
  );
}

/** A run as the page's data holds it (eval-triage.json `runs`): what the slice recomputes and what it keeps. */
export type Run = {
  run_id: string;
  started_at: string;
  n: number;
  errored_results: number;
  errored_cases: number;
} & ReturnType<typeof runFigures>;

/** Each run's cases of the suite, as indexes into the suite's case figures (0: not graded). */
function casesOf(suite: OutcomeSuite, caseFigures: CaseFigureSuite): (run: string) => Uint32Array {
  const packed = new Map(caseFigures.runs.map((r) => [r.run_id, r.cases]));
  return (run) => {
    const found = packed.get(run);
    if (found === undefined) throw new Error(`eval triage: no case figures of run ${run} in suite ${suite.suite}`);
    return unpackBits(found, suite.cases, caseFigures.bits);
  };
}

/**
 * The suite's runs on the kept cases, in the page data's order and shape (a run that graded none of
 * them is left out, as a slice-only warehouse would not hold it).
 */
export function slicedRuns<R extends Run>(
  suite: OutcomeSuite,
  caseFigures: CaseFigureSuite,
  runs: readonly R[],
  keep: readonly boolean[]
): R[] {
  const cases = casesOf(suite, caseFigures);
  return runs.flatMap((r) => {
    const c = runCountsOn(caseFigures.figures, cases(r.run_id), keep);
    if (!c) return [];
    const {n, errored_results, errored_cases} = c;
    return [{...r, n, errored_results, errored_cases, ...runFigures(c)}];
  });
}

/**
 * The pair's changed cases on the kept ones, picked from the case figures, with their category, length
 * and the later run's text read for the listed cases alone.
 */
export async function slicedChanged(
  texts: TextsSource,
  suite: OutcomeSuite,
  caseFigures: CaseFigureSuite,
  keep: readonly boolean[],
  pair: {before: string; after: string}
): Promise<ChangedCases> {
  const {figures} = caseFigures;
  const cases = casesOf(suite, caseFigures);
  const [before, after] = [cases(pair.before), cases(pair.after)];
  const picked = changedPicks(figures, before, after, keep);
  // The texts file holds every changed case of the pair in the order they are picked, so a slice's listed
  // cases are the first kept ones of each direction: near each other, read in a request or two.
  const order = () => changedPicks(figures, before, after, new Array(before.length).fill(true), Infinity);
  const listed = picked.length
    ? await pairTexts(
        texts.read,
        await layoutOf(texts, pair),
        order().map((p) => p.index),
        picked.map((p) => p.index),
        suite.case_ids
      )
    : new Map();
  const rows = picked.map(({change, index, before_score, after_score}): ChangedCaseRow => ({
    ...caseColumns(listed.get(index)!),
    before_run: pair.before,
    after_run: pair.after,
    change,
    before_score,
    after_score
  }));
  return changedCasesOf(rows, pair);
}

/** A pair's listed cases, as the build's pair and the slice's both hold them. */
export type ChangedCases = ReturnType<typeof changedCasesOf>;

/** The texts file, opened once (its index read) at the first filter, while the figures are fetched. */
let texts: TextsSource | undefined;

/**
 * The runs counted on the kept cases from the runs' case figures (`caseFigures`: the suite's block of
 * eval-triage-cases.json, fetched once a visit by the page, src/components/triageSuites.ts),
 * and, later (`listed`), the pair's changed cases, whose texts are read alone from `textsFile`
 * (eval-triage-texts.json). The runs do not wait for the listed cases: `listed` is a promise, which
 * Framework awaits for the page's blocks that read it.
 */
export async function slicedOnFigures<R extends Run>(
  suite: OutcomeSuite,
  caseFigures: (suite: string) => Promise<CaseFigureSuite | null>,
  textsFile: {href: string},
  runs: readonly R[],
  keep: readonly boolean[],
  pair: {before: string; after: string} | null
): Promise<{runs: readonly R[]; listed: Promise<ChangedCases | null>}> {
  texts ??= textsSource(rangeReader(textsFile.href));
  // The pair's layout is read while the figures are fetched: the listed cases need both.
  if (pair) layoutOf(texts, pair).catch(() => {});
  // A suite none of whose runs is its own (eval_run names each run's suite once) has no figures, and no runs.
  const caseSuite = (await caseFigures(suite.suite)) ?? {
    suite: suite.suite,
    figures: [],
    bits: 0,
    runs: []
  };
  return {
    runs: slicedRuns(suite, caseSuite, runs, keep),
    listed: pair ? slicedChanged(texts, suite, caseSuite, keep, pair) : Promise.resolve(null)
  };
}

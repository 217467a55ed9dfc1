// Eval triage's suites, each read when the page first shows it: eval-triage.json says where each
// suite's block lies in eval-triage-suites.json, and where its case figures lie in eval-triage-cases.json
// (loaders/queries/triageFiles.ts); one range request fetches either (a host that ignores ranges sends
// the whole file once, which is then kept).
import type {TriageOverview, TriageSuite, TriageSuiteBlock} from "../../loaders/queries/triageFiles.js";
import {readBlock, type BlockPlace} from "../lib/blocksFile.js";
import {fromColumns} from "../lib/columns.js";
import {rememberedByKey} from "../lib/remembered.js";
import {nothing} from "./emptyState.js";
import {failureMessage, loadedOrFailure} from "./filterFailure.js";
import {rangeReader} from "./rangeReader.js";
import type {CaseFigureSuite} from "./triageRunSlice.js";

/**
 * Each suite's block of `file`, fetched once per visit, or null for a suite the index does not name; a
 * failed fetch is forgotten, so asking again fetches again.
 */
function blocksBySuite<T extends {suite: string}>(
  places: readonly (BlockPlace & {suite: string})[],
  file: {href: string},
  name: string
): (suite: string) => Promise<T | null> {
  const read = rangeReader(file.href);
  const blocks = rememberedByKey<string, T | null>();
  return (suite) =>
    blocks.get(suite, async () => {
      const place = places.find((b) => b.suite === suite);
      if (!place) return null;
      const block = await readBlock<T>(read, place);
      // A block from another build's file (a cached file beside a new index) would show another suite.
      if (block.suite !== suite) throw new Error(`eval triage: the block of ${suite} in ${name} holds ${block.suite}`);
      return block;
    });
}

/** The suite a block of eval-triage-suites.json holds, its runs (written as columns) as rows again. */
export const suiteOf = (block: TriageSuiteBlock): TriageSuite => ({...block, runs: fromColumns(block.runs)});

/** The suite's runs, pairs and per-case outcomes (eval-triage-suites.json). */
export function suiteBlocks(
  overview: Pick<TriageOverview, "blocks">,
  file: {href: string}
): (suite: string) => Promise<TriageSuite> {
  const blocks = blocksBySuite<TriageSuiteBlock>(overview.blocks, file, "eval-triage-suites.json");
  const suites = new Map<TriageSuiteBlock, TriageSuite>();
  return async (suite) => {
    const block = await blocks(suite);
    if (!block) throw new Error(`eval triage: no suite ${suite} in eval-triage-suites.json`);
    // Once per block, so that the suite asked for again is the same object (its runs are not rebuilt).
    if (!suites.has(block)) suites.set(block, suiteOf(block));
    return suites.get(block)!;
  };
}

/**
 * The suite's runs' case figures (eval-triage-cases.json), which the first filter of the suite reads;
 * null for a suite none of whose runs is its own (eval_run names each run's suite once): no runs to count.
 */
export function caseFigureBlocks(
  overview: Pick<TriageOverview, "case_blocks">,
  file: {href: string}
): (suite: string) => Promise<CaseFigureSuite | null> {
  return blocksBySuite<CaseFigureSuite>(overview.case_blocks, file, "eval-triage-cases.json");
}

/** The page's two files read by suite: each suite's block, and its runs' case figures at its first filter. */
export function suiteFiles(
  overview: Pick<TriageOverview, "blocks" | "case_blocks">,
  suites: {href: string},
  cases: {href: string}
): {
  block: (suite: string) => Promise<TriageSuite>;
  caseFigures: (suite: string) => Promise<CaseFigureSuite | null>;
} {
  return {block: suiteBlocks(overview, suites), caseFigures: caseFigureBlocks(overview, cases)};
}

type Run = TriageSuite["runs"][number];

/**
 * The chosen suite as the page shows it: its block, its per-case outcomes (`chosen`, what the filters
 * read) and its runs by id; and the note to display at the picker, which is the message when the block
 * could not be fetched. Then the block is null and every section shows nothing: each always displays,
 * so none keeps the previous suite's figures (Framework keeps a cell's output until it displays again).
 */
export async function shownSuite(
  files: Pick<ReturnType<typeof suiteFiles>, "block">,
  suite: {suite: string} | null
): Promise<{
  block: TriageSuite | null;
  chosen: TriageSuite["outcomes"] | null;
  runById: Map<string, Run>;
  note: Node;
}> {
  const loaded = suite ? await loadedOrFailure(() => files.block(suite.suite), suiteFailure) : null;
  const block = loaded?.figures ?? null;
  return {
    block,
    chosen: block?.outcomes ?? null,
    runById: new Map((block?.runs ?? []).map((r) => [r.run_id, r])),
    note: loaded?.failure ?? nothing()
  };
}

/**
 * The message at the suite's picker when its block could not be fetched; the sections then show nothing.
 * A select fires no event for the value it holds, so the way to ask again is another suite, then this one.
 */
export const suiteFailure = (error: unknown): HTMLElement =>
  failureMessage(
    "The suite's runs could not be loaded",
    error,
    ". Choose another suite, then this one again, or reload the page."
  );

// Eval triage's suites, each read when the page first shows it: eval-triage.json says where each
// suite's block lies in eval-triage-suites.json (loaders/queries/triageFiles.ts), and one range request
// fetches it (a host that ignores ranges sends the whole file once, which is then kept).
import {html} from "npm:htl";
import type {TriageOverview, TriageSuiteBlock} from "../../loaders/queries/triageFiles.js";
import {readBlock} from "../lib/blocksFile.js";
import {rememberedByKey} from "../lib/remembered.js";
import {failureReason} from "./filterFailure.js";
import {rangeReader} from "./rangeReader.js";

/**
 * The suite's block, fetched once per visit; a failed fetch is forgotten, so choosing the suite again
 * asks again.
 */
export function suiteBlocks(
  overview: Pick<TriageOverview, "blocks">,
  file: {href: string}
): (suite: string) => Promise<TriageSuiteBlock> {
  const read = rangeReader(file.href);
  const blocks = rememberedByKey<string, TriageSuiteBlock>();
  return (suite) =>
    blocks.get(suite, async () => {
      const place = overview.blocks.find((b) => b.suite === suite);
      if (!place) throw new Error(`eval triage: no suite ${suite} in eval-triage-suites.json`);
      const block = await readBlock<TriageSuiteBlock>(read, place);
      // A block from another build's file (a cached file beside a new index) would show another suite.
      if (block.suite !== suite) throw new Error(`eval triage: the block of ${suite} holds ${block.suite}`);
      return block;
    });
}

/**
 * The message at the suite's picker when its block could not be fetched; the sections then show nothing.
 * A select fires no event for the value it holds, so the way to ask again is another suite, then this one.
 */
export function suiteFailure(error: unknown): HTMLElement {
  return html`<div class="warning filter-failure" role="alert">
    <strong>The suite's runs could not be loaded</strong> (${failureReason(error)}). Choose another suite,
    then this one again, or reload the page.
  </div>`;
}

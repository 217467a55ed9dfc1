// Eval triage's two page files: the overview and one block per suite, read by range requests. The
// split must keep every figure (the files joined give evalTriage's result back, which a build reads
// when the files are current) and give each suite exactly its own rows, at the byte places the index says.
import {afterEach, describe, expect, test, vi} from "vitest";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {joinTriage, splitTriage, triageFiles, type TriageSuiteBlock} from "../../../../loaders/queries/triageFiles.js";
import {triageCaseFigures, triageOutcomes} from "../../../../loaders/queries/triageOutcomes.js";
import {blocksLayout, readBlock} from "../../../../src/lib/blocksFile.js";
import {caseFigureBlocks, suiteBlocks, suiteOf} from "../../../../src/components/triageSuites.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  vi.unstubAllGlobals();
});

/** Three suites (one with a name in Greek, multi-byte in UTF-8), three runs each, a regression in "β-suite". */
function rows() {
  const out: Record<string, unknown>[] = [];
  for (const [s, suite] of ["alpha-golden", "β-suite", "gamma"].entries())
    for (let r = 0; r < 3; r++)
      for (let i = 0; i < 20; i++)
        out.push({
          run_id: `${suite}-r${r}`,
          case_id: `c${i}`,
          suite,
          started_at: `2026-11-0${r + 1}T08:00:00Z`,
          model: r === 2 ? "m2" : "m1",
          passed: suite === "β-suite" && r === 2 ? i < 5 : (i + s + r) % 4 !== 0,
          category: i % 2 ? "billing" : "refunds",
          input_chars: 100 * i,
          output: `answer ${i} «${suite}»`
        });
  return out;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("eval triage's page files", () => {
  test("hold evalTriage's result exactly, and each suite's block holds that suite's rows alone", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows())});
    const page = await evalTriage(db);
    const {overview, suites, cases} = splitTriage(page, await triageOutcomes(db), await triageCaseFigures(db));
    // Through JSON, as the files are written and read back.
    const written = JSON.parse(JSON.stringify(overview));
    const writtenBlocks = JSON.parse(JSON.stringify(suites)) as TriageSuiteBlock[];
    expect(joinTriage(written, writtenBlocks)).toEqual(JSON.parse(JSON.stringify(page)));
    // The runs are written as columns, each key once: the run ids are one list.
    expect(writtenBlocks[0].runs.run_id).toEqual(["alpha-golden-r0", "alpha-golden-r1", "alpha-golden-r2"]);
    const blocks = writtenBlocks.map(suiteOf);
    expect(blocks.map((b) => b.suite)).toEqual(["alpha-golden", "gamma", "β-suite"]);
    for (const b of blocks) {
      for (const list of [b.runs, b.comparisons, b.evals, b.grid])
        expect(list.every((x) => x.suite === b.suite)).toBe(true);
      expect(b.runs).toHaveLength(3);
      expect(b.outcomes.suite).toBe(b.suite);
      expect(b.outcomes.runs.map((r) => r.run_id)).toEqual(b.runs.map((r) => r.run_id));
    }
    // The overview names the runs of each suite's latest pair, and no other.
    expect(overview.runs.map((r) => r.run_id).sort()).toEqual(
      page.suites.flatMap((s) => (s.latest ? [s.latest.before, s.latest.after] : [])).sort()
    );
    expect(overview.runs.length).toBeLessThan(page.runs.length);
    // Each suite's case figures are a block of their own, in the cases file, for that suite's filter.
    expect(cases.map((c) => c.suite)).toEqual(overview.case_blocks.map((b) => b.suite));
    expect(cases.map((c) => c.suite)).toEqual(["alpha-golden", "gamma", "β-suite"]);
    for (const c of cases)
      expect(c.runs.map((r) => r.run_id)).toEqual(blocks.find((b) => b.suite === c.suite)!.runs.map((r) => r.run_id));
    // The drop planted in β-suite is in its block, with its suite first in the overview.
    expect(overview.suites[0].suite).toBe("β-suite");
    expect(blocks[2].comparisons[0]).toMatchObject({before: "β-suite-r1", after: "β-suite-r2"});
  });

  test("the index gives each block's bytes in the file as the pipeline writes it", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows())});
    const {overview, suites, cases} = await triageFiles(db, {} as never);
    const file = bytes(JSON.stringify(suites));
    const read = async (start: number, end: number) => file.subarray(start, end);
    for (const place of overview.blocks) {
      const block = await readBlock<TriageSuiteBlock>(read, place);
      expect(block.suite).toBe(place.suite);
      expect(block).toEqual(JSON.parse(JSON.stringify(suites.find((s) => s.suite === place.suite))));
    }
    const casesFile = bytes(JSON.stringify(cases));
    for (const place of overview.case_blocks) {
      const block = await readBlock<{suite: string}>(async (start, end) => casesFile.subarray(start, end), place);
      expect(block).toEqual(JSON.parse(JSON.stringify(cases.find((s) => s.suite === place.suite))));
    }
    // Multi-byte text: places count UTF-8 bytes, not characters.
    expect(blocksLayout(["é", "x"])).toEqual([
      {at: 1, bytes: 4},
      {at: 6, bytes: 3}
    ]);
    await expect(readBlock(async () => new Uint8Array(3), {at: 1, bytes: 4})).rejects.toThrow(
      /3 bytes where the index says 4/
    );
  });

  test("the page fetches the chosen suite's block alone, once, and asks again after a failed fetch", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows())});
    const {overview, suites, cases} = await triageFiles(db, {} as never);
    const file = bytes(JSON.stringify(suites));
    const ranges: string[] = [];
    let fail = 1;
    vi.stubGlobal("fetch", async (_href: string, init: {headers: {Range: string}}) => {
      ranges.push(init.headers.Range);
      if (fail-- > 0) return new Response("", {status: 503});
      const [, from, to] = /bytes=(\d+)-(\d+)/.exec(init.headers.Range)!.map(Number);
      return new Response(file.slice(from, to + 1), {status: 206});
    });
    const block = suiteBlocks(overview, {href: "suites.json"});
    await expect(block("gamma")).rejects.toThrow(/503/);
    const gamma = await block("gamma");
    expect(gamma.suite).toBe("gamma");
    expect(await block("gamma")).toBe(gamma);
    const place = overview.blocks.find((b) => b.suite === "gamma")!;
    expect(ranges).toEqual(Array(2).fill(`bytes=${place.at}-${place.at + place.bytes - 1}`));
    await expect(block("delta")).rejects.toThrow(/no suite delta/);
    // An index from another build than the file's: the block read is not the suite's.
    const astray = suiteBlocks({blocks: [{...place, suite: "alpha-golden"}]}, {href: "suites.json"});
    await expect(astray("alpha-golden")).rejects.toThrow(
      /the block of alpha-golden in eval-triage-suites.json holds gamma/
    );
    // The case figures: the suite's own block, and none for a suite the index does not name.
    const casesFile = bytes(JSON.stringify(cases));
    vi.stubGlobal("fetch", async (_href: string, init: {headers: {Range: string}}) => {
      const [, from, to] = /bytes=(\d+)-(\d+)/.exec(init.headers.Range)!.map(Number);
      return new Response(casesFile.slice(from, to + 1), {status: 206});
    });
    const figures = caseFigureBlocks(overview, {href: "cases.json"});
    expect(await figures("β-suite")).toEqual(JSON.parse(JSON.stringify(cases.find((c) => c.suite === "β-suite"))));
    expect(await figures("delta")).toBeNull();
  });
});

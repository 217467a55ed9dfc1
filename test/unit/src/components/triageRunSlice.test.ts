// Eval triage's runs and listed cases on a filtered slice: counted from the runs' packed case figures
// (triageCaseFigures), with the listed cases' texts read alone from the texts file the build writes
// (triageCaseTexts, here as the bytes the pipeline writes), equal what the build writes for a warehouse
// that holds only the slice's cases.
import {afterEach, describe, expect, test} from "vitest";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {triageCaseFigures, triageOutcomes} from "../../../../loaders/queries/triageOutcomes.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {lengthBucketLabels} from "../../../../src/lib/lengthBuckets.js";
import {caseMask, triageFilter, type TriageFilter} from "../../../../src/components/triageFilters.js";
import {triageCaseTexts} from "../../../../loaders/queries/triageTexts.js";
import {
  slicedChanged,
  slicedRuns,
  type CaseFigureSuite,
  textsSource,
  type TextsSource
} from "../../../../src/components/triageRunSlice.js";
import type {OutcomeSuite} from "../../../../src/components/triageCompare.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

type Row = {
  run_id: string;
  case_id: string;
  epoch: number;
  suite: string;
  started_at: string;
  model: string;
  prompt_version: string;
  category: string;
  input_chars: number;
  tags?: string;
  passed: boolean;
  score?: number;
  output_excerpt: string;
  reason: string;
  error?: string;
};

/**
 * Three runs of 90 cases, two epochs each (a case passes in a strict majority of them); the third run
 * has a prompt that fails most long inputs and skips the cases whose id ends in 7. Scores vary with
 * the verdict so the changed cases rank by their score change; one case in eleven errs; some cases have
 * no score.
 */
function rows(): Row[] {
  const out: Row[] = [];
  const runs = [
    ["r1", "p1", "2026-11-01T08:00:00Z"],
    ["r2", "p1", "2026-11-05T08:00:00Z"],
    ["r3", "p2", "2026-11-08T08:00:00Z"]
  ] as const;
  runs.forEach(([run_id, prompt_version, started_at], k) => {
    for (let i = 0; i < 90; i++) {
      const case_id = `c${String(i).padStart(3, "0")}`;
      if (k === 2 && case_id.endsWith("7")) continue;
      const input_chars = [300, 1500, 7000, 14000][i % 4] + i;
      const long = input_chars >= 10000;
      for (const epoch of [1, 2]) {
        const passed = k === 2 && long ? (i + epoch) % 5 === 0 : (i * 7 + k + epoch) % 6 !== 0;
        out.push({
          run_id,
          case_id,
          epoch,
          suite: "s",
          started_at,
          model: "m",
          prompt_version,
          category: ["billing", "login", "refund"][i % 3],
          input_chars,
          ...(long ? {tags: "long-input"} : {}),
          passed,
          // Some cases have no score at all, some only in one epoch: the mean and its n skip them.
          ...(i % 13 === 5 || (i % 17 === 4 && epoch === 2)
            ? {}
            : {score: passed ? 0.6 + ((i * 13 + k) % 40) / 100 : ((i * 17 + epoch) % 50) / 100}),
          output_excerpt: `Output of ${case_id} in ${run_id}, epoch ${epoch}: it's ${passed ? "fine" : "wrong"}.`,
          reason: `Graded ${passed ? "pass" : "fail"} (${case_id}).`,
          ...(i % 11 === 3 ? {error: `timeout on ${case_id}`} : {})
        });
      }
    }
  });
  return out;
}

const buckets = [...lengthBucketLabels(), "unknown length"];

/**
 * The texts file as the build writes it (the pipeline's JSON.stringify of the page data), read from
 * memory as the browser reads it by range requests; `reads` records each read's byte range.
 */
async function source(db: Database) {
  const bytes = new TextEncoder().encode(JSON.stringify(await triageCaseTexts(db)));
  const reads: [number, number][] = [];
  const read = async (start: number, end: number) => (reads.push([start, end]), bytes.slice(start, end));
  return {...textsSource(read), reads, size: bytes.length};
}

/** The slice's runs and the pair's changed cases, as the page shows them. */
async function sliced<R extends Parameters<typeof slicedRuns>[2][number]>(
  from: TextsSource,
  suite: OutcomeSuite,
  figures: CaseFigureSuite,
  runs: readonly R[],
  keep: readonly boolean[],
  pair: {before: string; after: string} | null
) {
  const changed = pair ? await slicedChanged(from, suite, figures, keep, pair) : null;
  return {runs: slicedRuns(suite, figures, runs, keep), changed};
}

/** The suite's outcomes and case figures, as the page's two files hold them. */
async function suiteOf(db: Database) {
  const [suite] = (await triageOutcomes(db)).suites;
  const [figures] = (await triageCaseFigures(db)).suites;
  return {suite, figures};
}
const opened: Database[] = [];
afterEach(() => Promise.all(opened.splice(0).map((db) => db.close())));

describe("slicedRuns(query, suite, runs, keep, pair)", () => {
  // Every test reads the whole workspace unchanged: one ingest for all.
  const whole = sharedIngest(() => ({"eval_results.jsonl": jsonl(...rows())}));
  const slices: [string, Partial<TriageFilter>, (r: Row) => boolean][] = [
    ["input length 10k–20k", {length: "10k–20k"}, (r) => r.input_chars >= 10000 && r.input_chars < 20000],
    ["category login", {category: "login"}, (r) => r.category === "login"],
    [
      "tag long-input and category refund",
      {tag: "long-input", category: "refund"},
      (r) => r.tags === "long-input" && r.category === "refund"
    ]
  ];
  test.each(slices)(
    "of %s: each run's figures and the latest pair's changed cases equal the build over a warehouse of that slice",
    async (_, over, inSlice) => {
      const db = await whole();
      const page = await evalTriage(db);
      const {suite, figures} = await suiteOf(db);
      const keep = caseMask(suite, triageFilter(over), buckets)!;
      const pair = page.comparisons[0];
      const from = await source(db);
      const browser = await sliced(from, suite, figures, page.runs, keep, pair);
      const sliceDb = await ingest({"eval_results.jsonl": jsonl(...rows().filter(inSlice))});
      opened.push(sliceDb);
      const build = await evalTriage(sliceDb);
      expect(browser.runs).toEqual(build.runs);
      const buildPair = build.comparisons.find((c) => c.before === pair.before && c.after === pair.after)!;
      expect(browser.changed).toEqual({
        regressed_cases: buildPair.regressed_cases,
        improved_cases: buildPair.improved_cases
      });
      // Something to compare: fewer cases than the whole runs, changed cases listed, and scores that differ.
      expect(browser.runs[2].n).toBeLessThan(page.runs[2].n);
      expect(browser.runs[2].score.mean).not.toBe(page.runs[2].score.mean);
      expect(browser.changed!.regressed_cases.length + browser.changed!.improved_cases.length).toBeGreaterThan(0);
      // The file's head, the pair's header and its texts are read, not the other pair's (triageTexts.test.ts
      // checks that a big file is read a few texts at a time).
      const read = from.reads.reduce((n, [a, b]) => n + b - a, 0);
      expect(from.reads.length).toBeGreaterThanOrEqual(4);
      expect(read).toBeLessThan(from.size);
    }
  );

  test("the long inputs' regression shows in the later run's own pass rate", async () => {
    const db = await whole();
    const page = await evalTriage(db);
    const {suite, figures} = await suiteOf(db);
    const keep = caseMask(suite, triageFilter({length: "10k–20k"}), buckets)!;
    const {runs, changed} = await sliced(await source(db), suite, figures, page.runs, keep, page.comparisons[0]);
    expect(runs.map((r) => r.run_id)).toEqual(["r1", "r2", "r3"]);
    expect(runs[2].pass.rate!).toBeLessThan(page.runs[2].pass.rate! - 0.3);
    // Every listed regression is a long input.
    expect(changed!.regressed_cases.every((c) => c.input_chars! >= 10000)).toBe(true);
  });

  test("a case id with a quote is matched, and a slice no run graded leaves no run", async () => {
    const quoted = rows()
      .filter((r) => r.case_id === "c001" || r.case_id === "c002")
      .map((r) => ({...r, case_id: r.case_id === "c001" ? "o'brien" : r.case_id}));
    const db = await ingest({"eval_results.jsonl": jsonl(...quoted)});
    opened.push(db);
    const page = await evalTriage(db);
    const {suite, figures} = await suiteOf(db);
    const one = await sliced(
      await source(db),
      suite,
      figures,
      page.runs,
      suite.case_ids.map((id) => id === "o'brien"),
      null
    );
    expect(one.runs.map((r) => r.n)).toEqual([1, 1, 1]);
    expect(one.changed).toBeNull();
    const none = await sliced(
      await source(db),
      suite,
      figures,
      page.runs,
      suite.case_ids.map(() => false),
      null
    );
    expect(none.runs).toEqual([]);
  });
});

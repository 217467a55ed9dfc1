// Eval triage's filters: the browser's comparison of a slice (packed outcomes of the whole suite,
// masked by the filter) equals the build's comparison over a warehouse that holds only that slice.
import {afterEach, describe, expect, test} from "vitest";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {triageOutcomes} from "../../../../loaders/queries/triageOutcomes.js";
import {lengthBucketLabels} from "../../../../src/lib/lengthBuckets.js";
import {ALL} from "../../../../src/lib/all.js";
import {compareRuns} from "../../../../src/components/triageCompare.js";
import {slicedGrid, slicedPair} from "../../../../src/components/triageSlice.js";
import {
  caseMask,
  describeTriageFilter,
  runsInFilter,
  triageFilter,
  triageFilterChoices,
  triageFilterSuffix,
  type TriageFilter
} from "../../../../src/components/triageFilters.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

const opened: Database[] = [];
afterEach(() => Promise.all(opened.splice(0).map((db) => db.close())));
const open = async (rows: readonly object[]) => {
  const db = await ingest({"eval_results.jsonl": jsonl(...rows)});
  opened.push(db);
  return db;
};

type Row = {
  run_id: string;
  case_id: string;
  suite: string;
  started_at: string;
  model: string;
  prompt_version: string;
  dataset_version: string;
  category: string;
  input_chars: number;
  tags?: string;
  passed: boolean;
};

/**
 * Two runs of 120 cases, the second with a new prompt that fails most long inputs (as the sample's
 * sum-v4 does); lengths spread over four buckets, a "long-input" tag on the longest, three categories.
 */
function rows(): Row[] {
  const out: Row[] = [];
  for (const [k, run_id, prompt_version, started_at] of [
    [0, "r1", "p1", "2026-11-01T08:00:00Z"],
    [1, "r2", "p2", "2026-11-08T08:00:00Z"]
  ] as const) {
    for (let i = 0; i < 120; i++) {
      const input_chars = [300, 1500, 7000, 14000][i % 4] + i;
      const long = input_chars >= 10000;
      out.push({
        run_id,
        case_id: `c${String(i).padStart(3, "0")}`,
        suite: "s",
        started_at,
        model: "m",
        prompt_version,
        dataset_version: "d1",
        category: ["billing", "login", "refund"][i % 3],
        input_chars,
        ...(long ? {tags: "long-input"} : {}),
        passed: k === 1 && long ? i % 5 === 0 : (i * 7 + k) % 6 !== 0
      });
    }
  }
  return out;
}

const buckets = [...lengthBucketLabels(), "unknown length"];
const filter = (over: Partial<TriageFilter>): TriageFilter => triageFilter(over);

describe("the triage filter's recomputation", () => {
  // Every test reads the two whole runs unchanged: one ingest for the four.
  const wholeRuns = sharedIngest(() => ({"eval_results.jsonl": jsonl(...rows())}));
  const slices: [string, Partial<TriageFilter>, (r: Row) => boolean][] = [
    ["input length 10k–20k", {length: "10k–20k"}, (r) => r.input_chars >= 10000 && r.input_chars < 20000],
    ["tag long-input", {tag: "long-input"}, (r) => r.tags === "long-input"],
    [
      "category refund, length 6k–10k",
      {category: "refund", length: "6k–10k"},
      (r) => r.category === "refund" && r.input_chars >= 6000 && r.input_chars < 10000
    ]
  ];
  test.each(slices)("of %s equals the build over a warehouse holding only that slice", async (_, over, inSlice) => {
    const all = rows();
    const [suite] = (await triageOutcomes(await wholeRuns())).suites;
    const browser = compareRuns(suite, "r1", "r2", caseMask(suite, filter(over), buckets));

    const build = (await evalTriage(await open(all.filter(inSlice)), undefined, {casesPerPair: 1000})).comparisons;
    expect(build).toHaveLength(1);
    const [pair] = build;
    expect(browser.shared).toBeGreaterThan(0);
    expect({
      shared: browser.shared,
      regressed: browser.regressed,
      improved: browser.improved,
      before: browser.before_passes / browser.shared,
      after: browser.after_passes / browser.shared
    }).toEqual({
      shared: pair.shared,
      regressed: pair.regressed,
      improved: pair.improved,
      before: expect.closeTo(pair.before_rate.rate!, 4),
      after: expect.closeTo(pair.after_rate.rate!, 4)
    });
    expect(browser.p_value).toBeCloseTo(pair.p_value!, 6);
    const ids = (cases: readonly {case_id: string}[]) => cases.map((c) => c.case_id).sort();
    expect(ids(browser.regressed_cases)).toEqual(ids(pair.regressed_cases));
    expect(ids(browser.improved_cases)).toEqual(ids(pair.improved_cases));
    const byCategory = pair.slices.filter((s) => s.dimension === "category");
    expect(browser.categories.map((c) => [c.category, c.shared, c.regressed, c.improved])).toEqual(
      byCategory.map((s) => [s.value, s.n, s.regressed, s.improved])
    );
    browser.categories.forEach((c, i) => expect(c.p_value).toBeCloseTo(byCategory[i].p_value!, 6));
  });

  test("shows the long-input regression that the whole suite dilutes", async () => {
    const [suite] = (await triageOutcomes(await wholeRuns())).suites;
    const whole = compareRuns(suite, "r1", "r2");
    const long = compareRuns(suite, "r1", "r2", caseMask(suite, filter({length: "10k–20k"}), buckets));
    const drop = (c: typeof whole) => (c.after_passes - c.before_passes) / c.shared;
    expect(drop(long)).toBeLessThan(-0.5);
    expect(drop(whole)).toBeGreaterThan(drop(long) / 2);
    expect(long.p_value).toBeLessThan(0.001);
  });
});

describe("slicedPair and slicedGrid: the consecutive pair, where the change is, and the grid on a slice", () => {
  // The later run skips the cases whose id ends in 7, so some cases are graded by the earlier run only.
  const allRows = () => rows().filter((r) => !(r.run_id === "r2" && r.case_id.endsWith("7")));
  // Every test reads that workspace unchanged: one ingest for the three.
  const wholeWorkspace = sharedIngest(() => ({"eval_results.jsonl": jsonl(...allRows())}));
  const slices: [string, Partial<TriageFilter>, (r: Row) => boolean][] = [
    ["input length 10k–20k", {length: "10k–20k"}, (r) => r.input_chars >= 10000 && r.input_chars < 20000],
    ["category login", {category: "login"}, (r) => r.category === "login"],
    [
      "tag long-input and category billing",
      {tag: "long-input", category: "billing"},
      (r) => r.tags === "long-input" && r.category === "billing"
    ]
  ];
  test.each(slices)("of %s equal the build over a warehouse holding only that slice", async (_, over, inSlice) => {
    const all = allRows();
    const whole = await wholeWorkspace();
    const [suite] = (await triageOutcomes(whole)).suites;
    const page = await evalTriage(whole);
    const keep = caseMask(suite, filter(over), buckets)!;
    const [pair] = page.comparisons;
    const browser = slicedPair(suite, pair, keep, buckets);
    const build = await evalTriage(await open(all.filter(inSlice)));
    const [slice] = build.comparisons;
    expect(browser.slices).toEqual(slice.slices);
    expect(browser.explanation).toEqual(slice.explanation);
    expect(browser.overall).toMatchObject({
      n: slice.shared,
      before: slice.before_rate,
      after: slice.after_rate,
      delta: slice.delta,
      p_value: slice.p_value
    });
    expect([browser.regressed, browser.improved, browser.only_before, browser.only_after]).toEqual([
      slice.regressed,
      slice.improved,
      slice.only_before,
      slice.only_after
    ]);
    // The grid: the runs the unfiltered build shows, each on the slice's cases.
    expect(slicedGrid(suite, page.grid, keep, buckets)).toEqual(build.grid);
    // Something to compare: the slice is smaller than the suite and has slices of both dimensions.
    expect(slice.shared).toBeLessThan(pair.shared);
    expect(slice.only_before).toBeGreaterThan(0);
    expect(new Set(slice.slices.map((s) => s.dimension))).toEqual(new Set(["category", "length"]));
  });
});

describe("triageFilterChoices(suite, buckets)", () => {
  test("offers the suite's categories, tags, the length buckets its cases fill and its dataset versions", async () => {
    const all = rows().map((r) => (r.run_id === "r2" ? {...r, dataset_version: "d2"} : r));
    const [suite] = (await triageOutcomes(await open(all))).suites;
    expect(triageFilterChoices(suite, buckets)).toEqual({
      category: ["billing", "login", "refund"],
      tag: ["long-input"],
      length: ["< 500", "1k–2k", "6k–10k", "10k–20k"],
      dataset_version: ["d1", "d2"]
    });
    expect(suite.tags[0].cases).toHaveLength(30);
    // The dataset version picks runs, newest first; it leaves the cases alone.
    expect(runsInFilter(suite, filter({dataset_version: "d2"}))).toEqual(["r2"]);
    expect(runsInFilter(suite, filter({}))).toEqual(["r2", "r1"]);
    expect(caseMask(suite, filter({dataset_version: "d2"}), buckets)).toBeNull();
  });

  test("keeps run-status tags out of the case tags", async () => {
    const all = rows().map((r) => ({
      ...r,
      tags: r.tags ? `${r.tags},inspect-status:success` : "inspect-status:success"
    }));
    const [suite] = (await triageOutcomes(await open(all))).suites;
    expect(suite.tags.map((t) => t.tag)).toEqual(["long-input"]);
  });
});

describe("triageFilterSuffix and describeTriageFilter", () => {
  test("name only the keys that are set", () => {
    const f = filter({category: "billing", length: "10k–20k"});
    expect(triageFilterSuffix(f)).toBe("-category-billing-length-10k_20k");
    expect(describeTriageFilter(f)).toBe("category billing · input length 10k–20k");
    expect(triageFilterSuffix(filter({tag: ALL}))).toBe("");
  });
});

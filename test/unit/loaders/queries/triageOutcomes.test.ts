// Triage against a chosen baseline: the packed outcomes and the default baseline through the real
// ingest and SQL, and the browser's comparison of any pair against counts taken from the raw rows.
import {afterEach, describe, expect, test} from "vitest";
import {previousComparable, triageCaseFigures, triageOutcomes} from "../../../../loaders/queries/triageOutcomes.js";
import {prepareEvalTables, type EvalRunRow} from "../../../../loaders/queries/evalTables.js";
import {bakeoffCases} from "../../../../loaders/queries/bakeoffCases.js";
import {unpackOutcomes} from "../../../../src/lib/outcomes.js";
import {unpackBits} from "../../../../src/lib/packedBits.js";
import {runCountsOn} from "../../../../src/lib/triageRuns.js";
import {exactMcNemar} from "../../../../src/lib/metrics/mcnemar.js";
import {compareRuns, type OutcomeSuite} from "../../../../src/components/triageCompare.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

type Row = {
  run_id: string;
  case_id: string;
  model: string;
  prompt_version: string;
  started_at: string;
  category: string;
  passed: boolean;
};

/** Four runs of 30 cases: m1·p1 twice (a week apart), then m2·p1 and m1·p2 on the same later day. */
function rows(): Row[] {
  const out: Row[] = [];
  const runs = [
    ["r1", "m1", "p1", "2026-11-01T08:00:00Z"],
    ["r2", "m1", "p1", "2026-11-08T08:00:00Z"],
    ["r3", "m2", "p1", "2026-11-09T08:00:00Z"],
    ["r4", "m1-2025-04-14", "p2", "2026-11-09T09:00:00Z"]
  ] as const;
  runs.forEach(([run_id, model, prompt_version, started_at], k) => {
    for (let i = 1; i <= 30; i++) {
      if (run_id === "r3" && i === 30) continue; // r3 did not grade case 30
      out.push({
        run_id,
        case_id: `c${String(i).padStart(2, "0")}`,
        model,
        prompt_version,
        started_at,
        category: i % 3 === 0 ? "c" : i % 2 ? "a" : "b",
        passed: (i * (k + 3)) % 5 !== 0
      });
    }
  });
  return out;
}

describe("triageOutcomes(db)", () => {
  test("lets the browser compare any two runs exactly as counted from the raw rows", async () => {
    const raw = rows();
    db = await ingest({"eval_results.jsonl": jsonl(...raw.map((r) => ({...r, suite: "s", feature: "f"})))});
    const {suites} = await triageOutcomes(db);
    expect(suites.map((s) => [s.suite, s.cases, s.categories])).toEqual([["s", 30, ["a", "b", "c"]]]);
    expect(suites[0].case_ids).toEqual([...new Set(raw.map((r) => r.case_id))].sort());
    const [s] = suites;
    let listed = 0;
    for (const [baseline, candidate] of [
      ["r1", "r4"],
      ["r3", "r2"],
      ["r2", "r3"]
    ]) {
      const before = new Map(raw.filter((r) => r.run_id === baseline).map((r) => [r.case_id, r]));
      const shared = raw.filter((r) => r.run_id === candidate && before.has(r.case_id));
      const regressed = shared.filter((r) => before.get(r.case_id)!.passed && !r.passed).length;
      const improved = shared.filter((r) => !before.get(r.case_id)!.passed && r.passed).length;
      const c = compareRuns(s, baseline, candidate);
      expect(c).toMatchObject({
        shared: shared.length,
        before_passes: shared.filter((r) => before.get(r.case_id)!.passed).length,
        after_passes: shared.filter((r) => r.passed).length,
        regressed,
        improved
      });
      expect(c.p_value).toBe(exactMcNemar(regressed, improved).pValue);
      // The changed cases themselves, named and in case order, not only counted.
      const flipped = (from: boolean) =>
        shared
          .filter((r) => before.get(r.case_id)!.passed === from && r.passed !== from)
          .map((r) => ({case_id: r.case_id, category: r.category}))
          .sort((x, y) => (x.case_id < y.case_id ? -1 : 1));
      expect(c.regressed_cases).toEqual(flipped(true));
      expect(c.improved_cases).toEqual(flipped(false));
      listed += c.regressed_cases.length + c.improved_cases.length;
      const inA = shared.filter((r) => r.category === "a");
      expect(c.categories.find((x) => x.category === "a")).toMatchObject({
        shared: inA.length,
        regressed: inA.filter((r) => before.get(r.case_id)!.passed && !r.passed).length
      });
    }
    // r3 fails all 29 cases it graded and r2 fails the 5 multiples of 5 among them, so r2 → r3
    // regresses 24 cases and r3 → r2 improves the same 24; r1 and r4 fail the same cases.
    expect(listed).toBe(2 * 24);
  });

  test("defaults each run's baseline to the previous comparable run, not the previous timestamp", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows().map((r) => ({...r, suite: "s", feature: "f"})))});
    const [s] = (await triageOutcomes(db)).suites;
    const baselines = Object.fromEntries(s.runs.map((r) => [r.run_id, r.default_baseline]));
    // r4 (m1's snapshot, new prompt) follows r3 (m2) in time, but its comparable run is r2, the same model.
    expect(baselines).toEqual({r1: null, r2: "r1", r3: "r2", r4: "r2"});
  });
});

describe("triageCaseFigures(db)", () => {
  test("packs each run's cases so that counting all of them gives the build's run counts", async () => {
    // One epoch a case (eval_case is then a view of the rows); scores and errors on some cases.
    const raw = rows().map((r, i) => ({
      ...r,
      suite: "s",
      feature: "f",
      ...(i % 4 === 3 ? {} : {score: r.passed ? 0.5 + (i % 7) / 10 : (i % 5) / 10}),
      ...(i % 9 === 2 ? {error: "timeout"} : {})
    }));
    db = await ingest({"eval_results.jsonl": jsonl(...raw)});
    const [outcomes] = (await triageOutcomes(db)).suites;
    const [figures] = (await triageCaseFigures(db)).suites;
    expect(figures.runs.map((r) => r.run_id)).toEqual(outcomes.runs.map((r) => r.run_id));
    // Few distinct figures, so few bits a case.
    expect(figures.bits).toBe(Math.ceil(Math.log2(figures.figures.length + 1)));
    expect(figures.bits).toBeLessThanOrEqual(6);
    await prepareEvalTables(db);
    const build = await db.query<EvalRunRow>("SELECT * FROM eval_run ORDER BY run_id");
    const all = new Array<boolean>(outcomes.cases).fill(true);
    for (const run of figures.runs) {
      const b = build.find((r) => r.run_id === run.run_id)!;
      const counts = runCountsOn(figures.figures, unpackBits(run.cases, outcomes.cases, figures.bits), all)!;
      const {mean_score, sd_score, ...exact} = counts;
      expect(exact).toEqual({
        n: b.n,
        passes: b.passes,
        results: b.results,
        result_passes: b.result_passes,
        n_scored: b.n_scored,
        errored_results: b.errored_results,
        errored_cases: b.errored_cases
      });
      expect(mean_score).toBeCloseTo(b.mean_score!, 12);
      expect(sd_score).toBeCloseTo(b.sd_score!, 12);
      // The graded cases are those the outcomes mark graded.
      const codes = [...unpackOutcomesOf(outcomes, run.run_id)];
      expect(counts.n).toBe(codes.filter((c) => c !== 0).length);
    }
  });
});

/**
 * A warehouse in which run r2's case c01 says suite a and its other cases suite s, so that eval_run
 * files r2 under suite a (the least of its suites). Ingest quarantines such a run whole
 * (loaders/warehouse/evalRuns.ts), so the warehouse is edited past that check: the queries still key
 * each run's cases by suite, should one get through.
 */
async function withSplitRun(): Promise<Database> {
  const raw = rows().map((r, k) => ({...r, suite: "s", feature: "f", latency_ms: 100 + k}));
  const split = await ingest({"eval_results.jsonl": jsonl(...raw)});
  await split.run(`UPDATE eval_results SET suite = 'a' WHERE run_id = 'r2' AND case_id = 'c01'`);
  return split;
}

describe("triageCaseFigures(db) with a run whose cases name two suites", () => {
  test("puts each run in its suite as triageOutcomes does, with that suite's cases", async () => {
    // r2's case c01 says suite a: eval_run keeps r2 in one suite, and the outcomes list it there only.
    db = await withSplitRun();
    const outcomes = (await triageOutcomes(db)).suites;
    const figures = (await triageCaseFigures(db)).suites;
    const runsOf = (suites: {suite: string; runs: {run_id: string}[]}[]) =>
      suites.filter((s) => s.runs.length).map((s) => [s.suite, s.runs.map((r) => r.run_id)]);
    expect(runsOf(figures)).toEqual(runsOf(outcomes));
  });
});

describe("bakeoffCases(db) with a run whose cases name two suites", () => {
  test("sums each option's requests of its own suite only, in that suite's cells", async () => {
    // r2's case c01 says suite a, and eval_run keeps r2 in suite a: keyed by run alone, r2's 29 requests
    // of suite s fell into suite a's cells by suite s's case indexes, past a's one cell (a hostile
    // workspace's build failed so).
    db = await withSplitRun();
    const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
    const requests = (await bakeoffCases(db)).suites.map((s) => [
      s.suite,
      Object.fromEntries(
        s.options.map((o) => [o.run_id, [sum(o.requests.cells.requests), sum(o.requests.cells.latency_n)]])
      )
    ]);
    expect(requests).toEqual([
      ["a", {r2: [1, 1]}],
      ["s", {r1: [30, 30], r3: [29, 29], r4: [30, 30]}]
    ]);
  });
});

describe("previousComparable(run, runs)", () => {
  const run = (run_id: string, option: string, model: string, started_at: string, eval_id = run_id) => ({
    run_id,
    option,
    model,
    started_at,
    eval_id
  });
  test("prefers the same option, then the same model, and never a run of the same eval", () => {
    const runs = [
      run("a", "x", "m1", "2026-01-01"),
      run("b", "y", "m2", "2026-01-02"),
      run("c", "z", "m1", "2026-01-03", "e"),
      run("d", "x", "m1", "2026-01-03", "e")
    ];
    expect(previousComparable(runs[3], runs)).toBe("a");
    expect(previousComparable(run("n", "w", "m2", "2026-01-04"), runs)).toBe("b");
    expect(previousComparable(run("n", "w", "m3", "2026-01-04"), runs)).toBe("d");
    // Started at the same moment as c and d: options of one bake-off, so the latest earlier is b.
    expect(previousComparable(run("s", "v", "m9", "2026-01-03"), runs)).toBe("b");
  });
});

const unpackOutcomesOf = (suite: OutcomeSuite, run: string) =>
  unpackOutcomes(suite.runs.find((r) => r.run_id === run)!.outcomes, suite.cases);

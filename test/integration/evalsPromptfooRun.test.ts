// A real promptfoo 0.123 eval (3 providers × 2 prompts × 10 tests, --repeat 2) dropped into a
// workspace, as results.json and as results.csv: the pages' real data loaders run on it, and their
// key numbers are checked against an independent reading of the raw file written here.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {realFixture} from "../realFixtures.js";
import {tempWorkspace} from "../helpers.js";
import {removeWarehouse, runLoader, runTriageLoaders} from "./dataLoaders.js";

const JSON_FILE = realFixture("promptfoo/ticket-routing/results.json");
const raw = JSON.parse(JSON_FILE);
const SUITE: string = raw.config.description;

/** The raw file read by hand: per column (provider label, else id, · prompt label), its results and its cases. */
function expectedOptions() {
  const options = new Map<string, any[]>();
  for (const r of raw.results.results) {
    const option = `${r.provider.label || r.provider.id} · ${r.prompt.label}`;
    options.set(option, [...(options.get(option) ?? []), r]);
  }
  return new Map(
    [...options].map(([option, results]) => {
      const byCase = new Map<string, boolean[]>();
      for (const r of results)
        byCase.set(r.testCase.description, [...(byCase.get(r.testCase.description) ?? []), r.success]);
      // A case passes when a strict majority of its repeats passed.
      const casePasses = [...byCase.values()].filter((v) => v.filter(Boolean).length * 2 > v.length).length;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      return [
        option,
        {
          cases: byCase.size,
          casePasses,
          results: results.length,
          resultPasses: results.filter((r) => r.success).length,
          errors: results.filter((r) => r.failureReason === 2).length,
          cost: mean(results.map((r) => r.cost)),
          inputTokens: mean(results.map((r) => (r.response?.tokenUsage ?? r.tokenUsage).prompt)),
          outputTokens: mean(results.map((r) => (r.response?.tokenUsage ?? r.tokenUsage).completion))
        }
      ];
    })
  );
}

describe("a real multi-provider promptfoo eval with --repeat, as results.json", () => {
  const pages: Record<string, any> = {};
  let workspace = "";
  const expected = expectedOptions();

  beforeAll(async () => {
    workspace = tempWorkspace({
      "promptfoo/results.json": JSON_FILE,
      "workbench.config.json": JSON.stringify({
        launches: [
          {
            feature: SUITE,
            suite: SUITE,
            candidate: {model: "acme-support-7b", option: "acme-7b · terse-v1"},
            baseline: {model: "gpt-4o-mini", option: "mini-baseline · terse-v1"},
            gates: [{metric: "pass_rate", min: 0.8}]
          }
        ]
      })
    });
    pages.overview = await runLoader("overview", workspace);
    [pages.triage, pages.bakeoff, pages.frontier, pages.gate] = await Promise.all([
      runTriageLoaders(workspace),
      ...["bakeoff", "frontier", "launch-gate"].map((l) => runLoader(l, workspace))
    ]);
  }, 180_000);

  afterAll(() => removeWarehouse(workspace));

  test("Overview counts every result of the file as a row", () => {
    expect(pages.overview.totals).toMatchObject({
      files: 1,
      rows_in: raw.results.results.length,
      rows_accepted: raw.results.results.length,
      rows_quarantined: 0
    });
  });

  test("Model bake-off: per option, the per-case pass rate, promptfoo's per-result rate, errors, tokens and cost as the raw file gives them", () => {
    const [suite] = pages.bakeoff.suites;
    expect(suite.suite).toBe(SUITE);
    expect(suite.options.map((o: any) => o.option).sort()).toEqual([...expected.keys()].sort());
    for (const o of suite.options) {
      const e = expected.get(o.option)!;
      expect([Math.round(o.pass.rate * o.pass.n), o.pass.n]).toEqual([e.casePasses, e.cases]);
      expect(o.result_pass).toEqual({
        rate: Math.round((e.resultPasses / e.results) * 1e4) / 1e4,
        passes: e.resultPasses,
        n: e.results
      });
      expect([Math.round(o.errors.rate * o.errors.n), o.errors.n]).toEqual([e.errors, e.results]);
      expect(o.tokens.n).toBe(e.results);
      expect([o.tokens.input_mean, o.tokens.output_mean]).toEqual([
        Math.round(e.inputTokens * 10) / 10,
        Math.round(e.outputTokens * 10) / 10
      ]);
      // Only the priced models: whether promptfoo's 0 for an unpriced model is a cost is the warehouse's rule.
      if (e.cost > 0) expect(o.cost.mean).toBeCloseTo(e.cost, 7);
    }
  });

  test("Eval triage: one eval of six options side by side, no run-to-run change, per-result rates beside per-case ones", () => {
    expect(pages.triage.comparisons).toEqual([]);
    expect(pages.triage.suites).toMatchObject([
      {suite: SUITE, runs: 6, evals: 1, latest: null, side_by_side: {eval_id: raw.evalId, options: 6}}
    ]);
    const [side] = pages.triage.evals;
    for (const o of side.options) {
      const e = expected.get(o.option)!;
      expect([Math.round(o.pass.rate * o.pass.n), o.pass.n, o.result_pass.passes, o.result_pass.n]).toEqual([
        e.casePasses,
        e.cases,
        e.resultPasses,
        e.results
      ]);
    }
    // Best per-case pass rate first.
    expect(side.options.map((o: any) => o.pass.rate)).toEqual(
      [...side.options.map((o: any) => o.pass.rate)].sort((a, b) => b - a)
    );
  });

  test("Cost–quality frontier and Launch gate name the options by their labels", () => {
    expect(
      pages.frontier.points
        .filter((p: any) => p.category === "All categories")
        .map((p: any) => p.option)
        .sort()
    ).toEqual([...expected.keys()].sort());
    const [launch] = pages.gate.launches;
    expect(launch.evidence).toMatchObject({
      option: "acme-7b · terse-v1",
      model: "acme-support-7b",
      n: expected.get("acme-7b · terse-v1")!.cases
    });
    expect(launch.baseline_evidence).toMatchObject({option: "mini-baseline · terse-v1", model: "gpt-4o-mini"});
  });
});

describe("the same eval as results.csv", () => {
  let bakeoff: any;
  let workspace = "";

  beforeAll(async () => {
    workspace = tempWorkspace({
      "promptfoo/results.csv": realFixture("promptfoo/ticket-routing/results.csv"),
      "workbench.config.json": JSON.stringify({
        sources: [
          {
            path: "promptfoo/results.csv",
            defaults: {started_at: raw.results.timestamp, eval_id: raw.evalId, suite: SUITE}
          }
        ]
      })
    });
    bakeoff = await runLoader("bakeoff", workspace);
  }, 120_000);

  afterAll(() => removeWarehouse(workspace));

  test("gives the bake-off the same per-case and per-result pass rates per option as the JSON, and no cost, tokens or latency", () => {
    const expected = expectedOptions();
    const [suite] = bakeoff.suites;
    expect(suite.options.map((o: any) => o.option).sort()).toEqual([...expected.keys()].sort());
    for (const o of suite.options) {
      const e = expected.get(o.option)!;
      expect([Math.round(o.pass.rate * o.pass.n), o.pass.n, o.result_pass.passes, o.result_pass.n]).toEqual([
        e.casePasses,
        e.cases,
        e.resultPasses,
        e.results
      ]);
      expect([o.cost.mean, o.tokens.n, o.latency.n]).toEqual([null, 0, 0]);
    }
  });
});

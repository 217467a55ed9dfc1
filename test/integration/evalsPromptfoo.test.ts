// A promptfoo results file dropped into a workspace reaches all four eval pages: the test runs the
// pages' real data loaders (src/data/*.json.ts) against a workspace holding only the real
// promptfoo fixtures and a config with a launch gate, and reads what they write.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {realFixture} from "../realFixtures.js";
import {tempWorkspace} from "../helpers.js";
import {removeWarehouse, runLoader, runTriageLoaders} from "./dataLoaders.js";

const RIDDLES = "Comparing OpenAI flagship and mini models performance on riddles";

describe("a promptfoo results file in a workspace", () => {
  const pages: Record<string, any> = {};
  let workspace = "";

  beforeAll(async () => {
    workspace = tempWorkspace({
      "promptfoo/riddles-export.json": realFixture("promptfoo/sample-export.json"),
      "promptfoo/greeting.json": realFixture("promptfoo/output.json"),
      "workbench.config.json": JSON.stringify({
        launches: [
          {
            feature: RIDDLES,
            suite: RIDDLES,
            candidate: {model: "gpt-5-mini"},
            baseline: {model: "gpt-5"},
            gates: [
              {metric: "pass_rate", min: 0.5},
              {metric: "latency_p95_ms", max: 3000}
            ]
          }
        ]
      })
    });
    // The first loader builds the warehouse; the others reuse it, as in a site build.
    pages.triage = await runTriageLoaders(workspace);
    [pages.bakeoff, pages.frontier, pages.gate] = await Promise.all(
      ["bakeoff", "frontier", "launch-gate"].map((l) => runLoader(l, workspace))
    );
  }, 120_000);

  afterAll(() => removeWarehouse(workspace));

  test("appears on the triage page: both suites, and the two providers of the one eval side by side, not as a run after a run", () => {
    expect(pages.triage.suites.map((s: any) => s.suite).sort()).toEqual(
      [
        RIDDLES,
        "Require a friendly French greeting that includes 'Bonjour' and stays within budget (either cheap or fast)."
      ].sort()
    );
    const riddles = pages.triage.runs.filter((r: any) => r.suite === RIDDLES);
    expect(riddles.map((r: any) => [r.option, r.model, r.pass.n, r.pass.rate])).toEqual([
      ["openai:gpt-5", "gpt-5", 2, 0],
      ["openai:gpt-5-mini", "gpt-5-mini", 2, 0]
    ]);
    // Both columns of one `promptfoo eval` started at the same instant: neither comes after the other.
    expect(pages.triage.comparisons.filter((c: any) => c.suite === RIDDLES)).toEqual([]);
    expect(pages.triage.suites.find((s: any) => s.suite === RIDDLES)).toMatchObject({
      runs: 2,
      evals: 1,
      latest: null,
      side_by_side: {eval_id: "eval-WJi-2025-10-01T20:08:11", options: 2}
    });
    const [side] = pages.triage.evals.filter((e: any) => e.suite === RIDDLES);
    expect(side.options.map((o: any) => o.option)).toEqual(["openai:gpt-5", "openai:gpt-5-mini"]);
  });

  test("appears on the bake-off page with promptfoo's reported cost and latency per provider", () => {
    const suite = pages.bakeoff.suites.find((s: any) => s.suite === RIDDLES);
    expect(suite.options.map((o: any) => [o.option, o.cost.mean, o.cost.source, o.latency.p50])).toEqual([
      ["openai:gpt-5", 0.0015788, "reported", 5612],
      ["openai:gpt-5-mini", 0.0004118, "reported", 5231.5]
    ]);
  });

  test("appears on the frontier page as points for its feature", () => {
    expect(pages.frontier.features).toContain(RIDDLES);
    const points = pages.frontier.points.filter((p: any) => p.suite === RIDDLES && p.category === "All categories");
    expect(points.map((p: any) => [p.model, p.cost_frontier])).toEqual([
      ["gpt-5", false],
      ["gpt-5-mini", true]
    ]);
  });

  test("is the evidence on the launch-gate page", () => {
    const [launch] = pages.gate.launches;
    expect(launch.evidence).toMatchObject({
      run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5-mini",
      model: "gpt-5-mini",
      n: 2
    });
    // 0 of 2 passed: Wilson [0, 0.658] still straddles 0.5. Both latencies (4669, 5794 ms) exceed 3000 ms, so the
    // p95 is above 3000 ms with ≥ 97.5% confidence (the lower bound is the smallest of the two): the gate fails.
    expect(launch.gates.map((g: any) => [g.metric, g.estimate, g.low, g.verdict])).toEqual([
      ["pass_rate", 0, 0, "inconclusive"],
      ["latency_p95_ms", 5737.8, 4669, "fail"]
    ]);
    expect(launch.verdict).toBe("no-go");
  });
});

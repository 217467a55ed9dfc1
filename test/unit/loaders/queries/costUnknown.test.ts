// A reported cost of 0 for a call that used tokens is unknown, not free: promptfoo writes cost 0 for
// a provider it has no price for. Derived from the real promptfoo export in test/fixtures/real/: its
// two providers' token counts per riddle, as eval rows, with the cheaper provider's cost zeroed as
// promptfoo writes it for an unpriced provider, on 40 cases of which both pass the same.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {brief} from "../../../../loaders/queries/brief.js";
import {frontier, ALL_CATEGORIES} from "../../../../loaders/queries/frontier.js";
import {launchGate} from "../../../../loaders/queries/launchGate.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

type PromptfooResult = {
  provider: {id: string};
  cost: number;
  testIdx: number;
  response: {tokenUsage: {prompt: number; completion: number}};
};
const exported = JSON.parse(readFileSync(join(projectRoot, "test/fixtures/real/promptfoo/sample-export.json"), "utf8"));
const results: PromptfooResult[] = exported.results.results;
const usage = (model: string) =>
  results.filter((r) => r.provider.id === `openai:${model}`).sort((a, b) => a.testIdx - b.testIdx);

/** 40 cases, alternating the export's two riddles; gpt-5 passes all, gpt-5-mini all but c01 and c02. */
function rows(miniCost: (r: PromptfooResult) => number | undefined) {
  const out = [];
  for (let i = 1; i <= 40; i++) {
    const common = {
      suite: "riddles",
      feature: "riddles",
      started_at: "2026-11-10T08:00:00Z",
      case_id: `c${String(i).padStart(2, "0")}`,
      category: "riddle",
      latency_ms: 1000 + i
    };
    const big = usage("gpt-5")[i % 2];
    const mini = usage("gpt-5-mini")[i % 2];
    out.push({
      ...common,
      run_id: "big",
      model: "gpt-5",
      provider: "openai",
      passed: true,
      cost_usd: big.cost,
      input_tokens: big.response.tokenUsage.prompt,
      output_tokens: big.response.tokenUsage.completion
    });
    out.push({
      ...common,
      run_id: "mini",
      model: "gpt-5-mini",
      provider: "openai",
      passed: i > 2,
      cost_usd: miniCost(mini),
      input_tokens: mini.response.tokenUsage.prompt,
      output_tokens: mini.response.tokenUsage.completion
    });
  }
  return {"eval_results.jsonl": jsonl(...out)};
}
const bigMean = (usage("gpt-5")[0].cost + usage("gpt-5")[1].cost) / 2;

const zeroCostWarehouse = sharedIngest(() => rows(() => 0));

describe("a reported cost of 0 with tokens", () => {
  test("is unknown without a price: the option is left out of the cost ranking, the frontier and the recommendation, saying why", async () => {
    const db = await zeroCostWarehouse();
    expect(
      await db.query(
        `SELECT run_id, count(*)::INTEGER AS n, count(cost_usd)::INTEGER AS priced, any_value(cost_source) AS source FROM eval_results GROUP BY ALL ORDER BY run_id`
      )
    ).toEqual([
      {run_id: "big", n: 40, priced: 40, source: "reported"},
      {run_id: "mini", n: 40, priced: 0, source: "reported-zero"}
    ]);
    const [s] = (await bakeoff(db)).suites;
    const mini = s.options.find((o) => o.model === "gpt-5-mini")!;
    const big = s.options.find((o) => o.model === "gpt-5")!;
    expect(mini.cost).toEqual({
      mean: null,
      n: 0,
      source: "reported-zero",
      unknown: "40 of 40 requests reported $0 despite using tokens, and the price table has no price for the model"
    });
    // The other option's cost is the export's own, untouched.
    expect(big.cost.mean).toBe(Math.round(bigMean * 1e7) / 1e7);
    expect(s.recommendation.recommended).toBe(big.option);
    expect(s.recommendation.excluded).toEqual([
      {key: mini.option, why: `cost unknown (${mini.cost.unknown}): left out of the cost ranking`}
    ]);
    const f = await frontier(db);
    const points = f.points.filter((p) => p.category === ALL_CATEGORIES);
    expect(points.map((p) => [p.model, p.cost, p.cost_frontier, p.cost_unknown])).toEqual([
      ["gpt-5", Math.round(bigMean * 1e7) / 1e7, true, null],
      ["gpt-5-mini", null, false, mini.cost.unknown]
    ]);
  });

  test("is computed from the price table when it prices the model, and the recommendation weighs it", async () => {
    const prices = [{model: "gpt-5-mini", input_per_mtok: 0.25, output_per_mtok: 2}];
    db = await ingest(
      rows(() => 0),
      {prices}
    );
    const minis = usage("gpt-5-mini");
    const expected = Array.from({length: 40}, (_, k) => minis[(k + 1) % 2]).map(
      (m) => (m.response.tokenUsage.prompt * 0.25 + m.response.tokenUsage.completion * 2) / 1e6
    );
    const costs = await db.query<{cost_usd: number; cost_source: string}>(
      `SELECT cost_usd, cost_source FROM eval_results WHERE run_id = 'mini' ORDER BY case_id`
    );
    costs.forEach((c, k) => expect(c.cost_usd).toBeCloseTo(expected[k], 15));
    expect(new Set(costs.map((c) => c.cost_source))).toEqual(new Set(["computed"]));
    const [s] = (await bakeoff(db, {config: configSchema.parse({prices})})).suites;
    // 38 of 40 against 40 of 40 on the same cases: McNemar p = 0.5, so the cheaper one is as good.
    expect(s.recommendation.recommended).toBe("gpt-5-mini");
  });

  test("leaves every other cost as reported, including a real 0 for a call without tokens", async () => {
    const zeroTokens = {
      suite: "riddles",
      feature: "riddles",
      started_at: "2026-11-10T08:00:00Z",
      run_id: "cached",
      case_id: "c01",
      model: "cache",
      passed: true,
      cost_usd: 0,
      input_tokens: 0,
      output_tokens: 0
    };
    const files = rows((m) => m.cost);
    db = await ingest({...files, "cached.jsonl": jsonl(zeroTokens)});
    const got = await db.query<{run_id: string; cost_usd: number; cost_source: string}>(
      `SELECT run_id, cost_usd, cost_source FROM eval_results ORDER BY run_id, case_id`
    );
    const written = files["eval_results.jsonl"]
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const byRun = (run: string) =>
      written
        .filter((w) => w.run_id === run)
        .sort((a, b) => (a.case_id < b.case_id ? -1 : 1))
        .map((w) => ({run_id: run, cost_usd: w.cost_usd, cost_source: "reported"}));
    expect(got).toEqual([...byRun("big"), {run_id: "cached", cost_usd: 0, cost_source: "reported"}, ...byRun("mini")]);
  });

  test("is no evidence for a launch gate on cost", async () => {
    const db = await zeroCostWarehouse();
    const config = configSchema.parse({
      launches: [
        {
          feature: "riddles",
          suite: "riddles",
          candidate: {model: "gpt-5-mini"},
          gates: [{metric: "cost_per_request_usd", max: 0.001}]
        }
      ]
    });
    const [launch] = (await launchGate(db, {config})).launches;
    expect(launch.gates[0]).toMatchObject({
      metric: "cost_per_request_usd",
      estimate: null,
      n: 0,
      method:
        "cost unknown: 40 of 40 requests reported $0 despite using tokens, and the price table has no price for the model"
    });
    expect(launch.gates[0].verdict).not.toBe("pass");
  });
});

describe("the brief, when every option's reported cost is 0 with tokens", () => {
  test("names no cheapest system and says whose cost is unknown", async () => {
    // Both providers unpriced: gpt-5's reported costs zeroed too.
    const zeroed = rows(() => 0)["eval_results.jsonl"].replace(/"cost_usd":[0-9.e-]+/g, '"cost_usd":0');
    db = await ingest({"eval_results.jsonl": zeroed});
    const b = await brief(db, {root: "/tmp/ws", config: configSchema.parse({}), configFiles: []});
    const lines = b.features.flatMap((f) => f.changed).filter((l) => l.startsWith("Bake-off"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /: best pass rate gpt-5 \(\{\{[^}]+\}\}\); none to recommend on cost: the cost of gpt-5 and gpt-5-mini is unknown\.$/
    );
    expect(lines[0]).not.toMatch(/\$0/);
  });
});

describe("a traced model call reporting cost 0 with tokens", () => {
  const span = (span_id: string, model: string, cost_usd: number, input_tokens: number, output_tokens: number) => ({
    trace_id: `t-${span_id}`,
    span_id,
    name: `chat ${model}`,
    kind: "llm",
    start_time: "2026-11-10T08:00:00Z",
    duration_ms: 800,
    feature: "chat",
    model,
    cost_usd,
    input_tokens,
    output_tokens
  });
  const spans = [
    span("a", "local-llama", 0, 1200, 300),
    span("b", "gpt-4.1", 0, 1000, 500),
    span("c", "gpt-4.1", 0.004, 1000, 500),
    span("d", "cache", 0, 0, 0)
  ];

  test("is priced where the table has the model, unknown elsewhere, and the request's cost is missing, not $0", async () => {
    db = await ingest(
      {"spans.jsonl": jsonl(...spans)},
      {prices: [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}]}
    );
    expect(await db.query(`SELECT span_id, cost_usd, cost_source FROM spans ORDER BY span_id`)).toEqual([
      {span_id: "a", cost_usd: null, cost_source: "reported-zero"},
      {span_id: "b", cost_usd: (1000 * 2 + 500 * 8) / 1e6, cost_source: "computed"},
      {span_id: "c", cost_usd: 0.004, cost_source: "reported"},
      {span_id: "d", cost_usd: 0, cost_source: "reported"}
    ]);
    expect(await db.query(`SELECT trace_id, cost_usd, cost_source FROM requests WHERE trace_id = 't-a'`)).toEqual([
      {trace_id: "t-a", cost_usd: null, cost_source: "missing"}
    ]);
  });
});

// The bake-off's decisions that can conclude, through the real ingest and SQL: a margin verdict by
// the launch gates' rule, production figures of the same model beside the eval ones, and the
// per-category routing replayed on the test set. Expected numbers are computed here from the raw rows.
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

type EvalRow = {
  run_id: string;
  case_id: string;
  category: string;
  model: string;
  passed: boolean;
  latency_ms: number;
  cost_usd: number;
};

/** 40 cases, easy (1–20) and hard (21–40). "big" (a dated snapshot in the eval) passes all; "small"
 * misses case 20 and the hard cases past 28; "mid" misses every fourth case. */
function evalRows(): EvalRow[] {
  const rows: EvalRow[] = [];
  for (let i = 1; i <= 40; i++) {
    const c = {case_id: `c${String(i).padStart(2, "0")}`, category: i <= 20 ? "easy" : "hard"};
    rows.push({...c, run_id: "a", model: "big-2025-04-14", passed: true, latency_ms: 100 + i * 10, cost_usd: 0.01});
    rows.push({
      ...c,
      run_id: "b",
      model: "small",
      passed: i <= 20 ? i !== 20 : i <= 28,
      latency_ms: 50 + i * 3,
      cost_usd: 0.001
    });
    rows.push({...c, run_id: "m", model: "mid", passed: i % 4 !== 0, latency_ms: 80 + i * 7, cost_usd: 0.004});
  }
  return rows;
}

const asResults = (rows: EvalRow[]) =>
  rows.map((r) => ({
    ...r,
    suite: "chat-golden",
    feature: "chat",
    started_at: "2026-11-10T08:00:00Z",
    prompt_version: "v1"
  }));

/** Traced requests of "chat": big (its snapshot name in the spans) slow, small fast, each one call. */
function spanRows() {
  const spans = [];
  for (let i = 1; i <= 30; i++) {
    const model = i <= 20 ? (i % 2 ? "big" : "big-2025-04-14") : "small";
    const duration = i <= 20 ? 1000 + i * 100 : 200 + i;
    spans.push({
      trace_id: `t${i}`,
      span_id: "root",
      name: "chat",
      kind: "chain",
      start_time: `2026-11-0${1 + (i % 5)}T10:00:00Z`,
      duration_ms: duration,
      feature: "chat"
    });
    spans.push({
      trace_id: `t${i}`,
      span_id: "call",
      parent_span_id: "root",
      name: "call",
      kind: "llm",
      start_time: `2026-11-0${1 + (i % 5)}T10:00:00Z`,
      duration_ms: duration - 10,
      model,
      cost_usd: i <= 20 ? 0.02 : 0.0005
    });
  }
  return spans;
}

/** Type 7 quantile (numpy's default), written out. */
function q7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
}

/** Cases both passed, only a, only b, shared — from the raw rows of two runs. */
function pairedCounts(rows: EvalRow[], a: (r: EvalRow) => boolean, b: (r: EvalRow) => boolean) {
  const passOf = (pick: (r: EvalRow) => boolean) => new Map(rows.filter(pick).map((r) => [r.case_id, r.passed]));
  const [pa, pb] = [passOf(a), passOf(b)];
  let both = 0,
    aOnly = 0,
    bOnly = 0,
    shared = 0;
  for (const [id, x] of pa) {
    if (!pb.has(id)) continue;
    shared++;
    const y = pb.get(id)!;
    if (x && y) both++;
    else if (x) aOnly++;
    else if (y) bOnly++;
  }
  return {both, aOnly, bOnly, shared};
}

async function page(config: object = {}) {
  db = await ingest({"eval_results.jsonl": jsonl(...asResults(evalRows())), "spans.jsonl": jsonl(...spanRows())});
  const [s] = (await bakeoff(db, {config: configSchema.parse(config)})).suites;
  return s;
}

describe("bakeoff(db, workspace): margins", () => {
  test("with a margin, qualifies an option by the lower bound of its paired difference from the best", async () => {
    const s = await page({bakeoff: {margin: {chat: 0.15}}});
    expect(s.margin).toBe(0.15);
    const raw = evalRows();
    const small = s.options.find((o) => o.option === "small · v1")!;
    const counts = pairedCounts(
      raw,
      (r) => r.run_id === "b",
      (r) => r.run_id === "a"
    );
    expect([small.vs_best!.shared, small.vs_best!.only_this, small.vs_best!.only_best]).toEqual([
      counts.shared,
      counts.aOnly,
      counts.bOnly
    ]);
    expect(small.vs_best!.difference.estimate).toBeCloseTo(
      (counts.both + counts.aOnly - (counts.both + counts.bOnly)) / counts.shared,
      4
    );
    // 27 of 40 against 40 of 40: the whole interval is more than 15 points below the best.
    expect(small.vs_best!.difference.high).toBeLessThan(-0.15);
    expect(small.vs_best!.within_margin).toBe("fail");
    const mid = s.options.find((o) => o.option === "mid · v1")!;
    // 30 of 40: −25 points, also past the margin.
    expect(mid.vs_best!.within_margin).not.toBe("pass");
    expect(s.recommendation.margin).toBe(0.15);
    expect(s.recommendation.excluded.find((e) => e.key === "small · v1")!.why).toMatch(
      /^more than 15\.0 pts worse than the best/
    );
    // On the easy cases small misses one of 20: within 15 points, so it is routed there.
    const easy = s.categories.find((c) => c.category === "easy")!;
    const easySmall = easy.rows.find((r) => r.option === "small · v1")!;
    expect(easySmall.vs_best!.within_margin).toBe(
      easySmall.vs_best!.difference.low! >= -0.15 ? "pass" : "inconclusive"
    );
  });

  test("without a margin, says the smallest difference the shared cases could detect, and gives no margin verdict", async () => {
    const s = await page();
    expect(s.margin).toBeNull();
    expect(s.options.every((o) => o.vs_best === null || o.vs_best.within_margin === null)).toBe(true);
    const easy = s.categories.find((c) => c.category === "easy")!;
    expect(easy.recommendation.recommended).toBe("small · v1");
    // The best passes 20 of the 20 shared easy cases: planned at the rate one case could show, 1 − 1/(2n).
    const p = 1 - 1 / 40;
    const z = 1.959963984540054 + 0.8416212335729143;
    expect(easy.recommendation.minimum_detectable).toBeCloseTo(z * Math.sqrt((2 * p * (1 - p)) / 20), 10);
  });
});

describe("bakeoff(db, workspace): production", () => {
  test("puts the same model's traced p95 and cost beside the eval's, matching snapshots to their model", async () => {
    const s = await page({budgets: {latency_p95_ms: {chat: 800}, cost_per_request_usd: {chat: 0.015}}});
    const spans = spanRows().filter((x) => x.kind === "chain");
    const big = spans.filter((x) => Number(x.trace_id.slice(1)) <= 20);
    const o = s.options.find((x) => x.model === "big-2025-04-14")!;
    expect(o.production).toMatchObject({model: "big", requests: 20, cost_n: 20});
    expect(o.production!.latency_p95).toBeCloseTo(
      q7(
        big.map((x) => x.duration_ms),
        0.95
      ),
      1
    );
    expect(o.production!.cost_mean).toBeCloseTo(0.02, 7);
    // Eval: p95 of 100 + 10i ≤ 800 and $0.01 ≤ $0.015; production: both over.
    expect(o.latency.p95).toBeLessThanOrEqual(800);
    expect(o.production!.over_in_production).toEqual(["p95 latency", "cost per request"]);
    const small = s.options.find((x) => x.model === "small")!;
    expect(small.production).toMatchObject({requests: 10, over_in_production: []});
    expect(s.options.find((x) => x.model === "mid")!.production).toBeNull();
  });
});

describe("bakeoff(db, workspace): routing", () => {
  test("replays the per-category recommendations on the test set: pass rate, cost and p95 against the best option", async () => {
    const s = await page();
    const r = s.routing!;
    const routed = new Map(r.routes.map((x) => [x.category, x.option]));
    // Hard: mid's 15 of 20 against 20 of 20 is not significant (McNemar p = 0.06), so the cheaper mid takes it.
    expect(Object.fromEntries(routed)).toEqual({easy: "small · v1", hard: "mid · v1"});
    // Independently, from the raw rows: each case answered by its category's option.
    const runOf: Record<string, string> = {"small · v1": "b", "big-2025-04-14 · v1": "a", "mid · v1": "m"};
    const rows = evalRows().filter((x) => x.run_id === runOf[routed.get(x.category)!]);
    expect(rows).toHaveLength(40);
    const passes = rows.filter((x) => x.passed).length;
    expect(r.pass.n).toBe(40);
    expect(r.pass.rate).toBeCloseTo(passes / 40, 4);
    expect(r.cost_mean).toBeCloseTo(rows.reduce((t, x) => t + x.cost_usd, 0) / rows.length, 7);
    expect(r.latency_p95).toBeCloseTo(
      q7(
        rows.map((x) => x.latency_ms),
        0.95
      ),
      1
    );
    expect(r.versus.option).toBe("big-2025-04-14 · v1");
    const best = evalRows().filter((x) => x.run_id === "a");
    expect(r.versus.pass.rate).toBe(best.filter((x) => x.passed).length / best.length);
    expect(r.versus.latency_p95).toBeCloseTo(
      q7(
        best.map((x) => x.latency_ms),
        0.95
      ),
      1
    );
    const routedPass = new Map(rows.map((x) => [x.case_id, x.passed]));
    const bestOnly = best.filter((x) => x.passed && !routedPass.get(x.case_id)).length;
    expect([r.versus.shared, r.versus.best_only, r.versus.routed_only]).toEqual([40, bestOnly, 0]);
    expect(r.versus.difference.estimate).toBeCloseTo(-bestOnly / 40, 4);
    expect(r.options_used).toBe(2);
  });
});

// The four eval pages' query functions on tiny workspaces, through the real ingest and SQL.
// Reference values: Wilson and McNemar from statsmodels 0.13.5 (proportion_confint(method="wilson"),
// mcnemar(exact=True)), percentiles from numpy.quantile, t quantiles from scipy.stats.t.ppf.
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {ALL_CATEGORIES, frontier} from "../../../../loaders/queries/frontier.js";
import {launchGate} from "../../../../loaders/queries/launchGate.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const id = (i: number) => `c${String(i).padStart(2, "0")}`;
const row = (run_id: string, started_at: string, over: Record<string, unknown>) => ({
  run_id,
  suite: "summaries",
  started_at,
  feature: "summarize",
  model: "m1",
  ...over
});

/** 20 cases: c01–c08 short, c09–c20 long (12,000 chars); categories alternate a, b. The second run (new prompt) fails every long case and fixes c01. */
function regressionWorkspace() {
  const rows = [];
  for (let i = 1; i <= 20; i++) {
    const base = {case_id: id(i), category: i % 2 ? "a" : "b", input_chars: i <= 8 ? 100 : 12000};
    rows.push(
      row("r1", "2026-11-02T09:00:00Z", {
        ...base,
        prompt_version: "p1",
        passed: i !== 1,
        score: i !== 1 ? 1 : 0,
        output_excerpt: "fine"
      })
    );
    const pass2 = i <= 8;
    rows.push(
      row("r2", "2026-11-09T09:00:00Z", {
        ...base,
        prompt_version: "p2",
        passed: pass2,
        score: pass2 ? 1 : 0,
        output_excerpt: pass2 ? "fine" : `lost the thread; mail jane.doe@example.com about ${id(i)}`
      })
    );
  }
  return {"eval_results.jsonl": jsonl(...rows)};
}

const regressionWarehouse = sharedIngest(regressionWorkspace);

describe("evalTriage(db)", () => {
  test("compares consecutive runs case by case and finds that the new prompt broke the long inputs", async () => {
    const db = await regressionWarehouse();
    const t = await evalTriage(db, undefined, {casesPerPair: 5});
    expect(t.suites).toEqual([
      {
        suite: "summaries",
        feature: "summarize",
        runs: 2,
        evals: 2,
        latest_at: "2026-11-09T09:00:00.000Z",
        latest_eval: "r2",
        side_by_side: null,
        latest: {
          before: "r1",
          after: "r2",
          delta: -0.55,
          p_value: 0.003418,
          kind: "concentrated",
          direction: "drop",
          text: t.comparisons[0].explanation.text
        }
      }
    ]);
    expect(t.runs.map((r) => [r.run_id, r.pass])).toEqual([
      ["r1", {rate: 0.95, low: 0.7639, high: 0.9911, n: 20}],
      ["r2", {rate: 0.4, low: 0.2188, high: 0.6134, n: 20}]
    ]);
    // Scores 19 × 1 and 1 × 0: mean 0.95, s = √0.05, t(0.975, 19) = 2.0930240544083087, upper bound clipped at 1.
    expect(t.runs[0].score).toEqual({mean: 0.95, low: 0.8453, high: 1, n: 20});
    const [c] = t.comparisons;
    expect(c).toMatchObject({
      suite: "summaries",
      before: "r1",
      after: "r2",
      changed: {model: null, prompt_version: {from: "p1", to: "p2"}, dataset_version: null},
      shared: 20,
      only_before: 0,
      only_after: 0,
      regressed: 12,
      improved: 1,
      p_value: 0.003418,
      delta: -0.55
    });
    expect(c.explanation).toEqual({
      kind: "concentrated",
      direction: "drop",
      dimension: "length",
      values: ["10k–20k"],
      text: "The drop is concentrated in inputs of 10k–20k characters: 100.0% → 0.0% on 12 cases (p < 0.001); elsewhere 87.5% → 100.0% on 8 cases."
    });
    expect(c.slices.map((s) => [s.dimension, s.value, s.n, s.regressed, s.improved, s.p_value])).toEqual([
      ["category", "a", 10, 6, 1, 0.125],
      ["category", "b", 10, 6, 0, 0.03125],
      ["length", "< 500", 8, 0, 1, 1],
      ["length", "10k–20k", 12, 12, 0, 0.000488]
    ]);
  });

  test("lists regressed and improved cases with the new output redacted and cut to the excerpt length", async () => {
    const db = await regressionWarehouse();
    const [c] = (await evalTriage(db, undefined, {casesPerPair: 5, excerptChars: 30})).comparisons;
    expect(c.regressed_cases.map((x) => x.case_id)).toEqual(["c09", "c10", "c11", "c12", "c13"]);
    expect(c.regressed_cases[0]).toEqual({
      case_id: "c09",
      category: "a",
      input_chars: 12000,
      before_score: 1,
      after_score: 0,
      excerpt: "lost the thread; mail [email] ",
      reason: null,
      error: null
    });
    expect(c.improved_cases).toEqual([
      {
        case_id: "c01",
        category: "a",
        input_chars: 100,
        before_score: 0,
        after_score: 1,
        excerpt: "fine",
        reason: null,
        error: null
      }
    ]);
  });

  test("grids the latest run of each prompt by input length, so the broken corner shows at a glance", async () => {
    const db = await regressionWarehouse();
    const grid = (await evalTriage(db)).grid.filter((g) => g.dimension === "length");
    expect(grid.map((g) => [g.option, g.value, g.n, g.rate])).toEqual([
      ["m1 · p1", "< 500", 8, 0.875],
      ["m1 · p1", "10k–20k", 12, 1],
      ["m1 · p2", "< 500", 8, 1],
      ["m1 · p2", "10k–20k", 12, 0]
    ]);
  });

  test("lists first the suites whose latest pair dropped significantly, then the most recent", async () => {
    const steady = [1, 2].flatMap((k) =>
      [1, 2, 3].map((i) => row(`s${k}`, `2026-11-1${k}T09:00:00Z`, {suite: "steady", case_id: id(i), passed: true}))
    );
    db = await ingest({...regressionWorkspace(), "steady.jsonl": jsonl(...steady)});
    expect((await evalTriage(db)).suites.map((s) => [s.suite, s.latest?.kind])).toEqual([
      ["summaries", "concentrated"],
      ["steady", "no-change"]
    ]);
  });

  test("keeps only the most recent pairs of a suite", async () => {
    const rows = [1, 2, 3, 4].flatMap((k) =>
      [1, 2].map((i) => row(`r${k}`, `2026-11-0${k}T09:00:00Z`, {case_id: id(i), passed: true}))
    );
    db = await ingest({"e.jsonl": jsonl(...rows)});
    const t = await evalTriage(db, undefined, {pairsPerSuite: 2});
    expect(t.comparisons.map((c) => `${c.before}→${c.after}`)).toEqual(["r3→r4", "r2→r3"]);
    expect(t.comparisons[0].explanation.kind).toBe("no-change");
  });

  test("reduces repeated epochs to one verdict per case (a strict majority passes)", async () => {
    const rows = [1, 2, 3].map((epoch) =>
      row("r1", "2026-11-02T09:00:00Z", {case_id: "c1", epoch, passed: epoch !== 3, score: epoch !== 3 ? 1 : 0.4})
    );
    rows.push(
      ...[1, 2].map((epoch) =>
        row("r1", "2026-11-02T09:00:00Z", {case_id: "c2", epoch, passed: epoch === 1, score: 0.5})
      )
    );
    db = await ingest({"e.jsonl": jsonl(...rows)});
    const [r] = (await evalTriage(db)).runs;
    expect(r.pass).toEqual({rate: 0.5, low: 0.0945, high: 0.9055, n: 2});
    expect(r.score.mean).toBe(0.65);
  });
});

describe("evalTriage(db): errors", () => {
  test("counts errored results (case × repeat): a case that errored in two repeats counts twice, in one case", async () => {
    const written = [
      {case_id: "c1", epoch: 1, passed: false, error: "rate limited"},
      {case_id: "c1", epoch: 2, passed: false, error: "timeout"},
      {case_id: "c1", epoch: 3, passed: true},
      {case_id: "c2", epoch: 1, passed: true},
      {case_id: "c2", epoch: 2, passed: false, error: "timeout"},
      {case_id: "c2", epoch: 3, passed: true},
      {case_id: "c3", epoch: 1, passed: true},
      {case_id: "c3", epoch: 2, passed: true},
      {case_id: "c3", epoch: 3, passed: true}
    ];
    db = await ingest({"e.jsonl": jsonl(...written.map((w) => row("r1", "2026-11-02T09:00:00Z", w)))});
    const [r] = (await evalTriage(db)).runs;
    const withError = written.filter((w) => w.error);
    expect([r.errored_results, r.results, r.errored_cases]).toEqual([
      withError.length,
      written.length,
      new Set(withError.map((w) => w.case_id)).size
    ]);
    expect([r.errored_results, r.errored_cases]).toEqual([3, 2]);
    expect(r.pass.n).toBe(3);
  });
});

/** Two options on 40 shared cases: A (dear) passes all; B (cheap) passes 19/20 easy and 8/20 hard. */
function bakeoffWorkspace(extra: object[] = []) {
  const rows = [];
  for (let i = 1; i <= 40; i++) {
    const category = i <= 20 ? "easy" : "hard";
    const common = {
      suite: "chat-golden",
      feature: "chat",
      started_at: "2026-11-10T08:00:00Z",
      case_id: id(i),
      category
    };
    rows.push({
      ...common,
      run_id: "a",
      model: "big",
      prompt_version: "v1",
      passed: true,
      score: 0.9,
      latency_ms: i * 10,
      cost_usd: 0.01,
      refused: false
    });
    const bPass = category === "easy" ? i !== 20 : i <= 28;
    rows.push({
      ...common,
      run_id: "b",
      model: "small",
      prompt_version: "v1",
      passed: bPass,
      score: bPass ? 0.8 : 0.2,
      latency_ms: i * 5,
      cost_usd: 0.001,
      refused: false
    });
  }
  return {"eval_results.jsonl": jsonl(...rows, ...extra)};
}

const bakeoffWarehouse = sharedIngest(() => bakeoffWorkspace());

describe("bakeoff(db, workspace)", () => {
  test("puts options side by side with Wilson, bootstrap, percentiles and a paired test against the best", async () => {
    const db = await bakeoffWarehouse();
    const {suites} = await bakeoff(db);
    const [s] = suites;
    const paired = (v: (typeof s.options)[number]["vs_best"]) =>
      v && {shared: v.shared, only_this: v.only_this, only_best: v.only_best, p_value: v.p_value};
    expect(s.options.map((o) => [o.option, o.pass, o.latency, o.cost, paired(o.vs_best)])).toEqual([
      [
        "big · v1",
        {rate: 1, low: 0.9124, high: 1, n: 40},
        {p50: 205, p95: 380.5, p99: 396.1, n: 40},
        {mean: 0.01, n: 40, source: "reported", unknown: null},
        null
      ],
      [
        "small · v1",
        {rate: 0.675, low: 0.5202, high: 0.7992, n: 40},
        {p50: 102.5, p95: 190.3, p99: 198.1, n: 40},
        {mean: 0.001, n: 40, source: "reported", unknown: null},
        {shared: 40, only_this: 0, only_best: 13, p_value: 0.000244}
      ]
    ]);
    expect(s.options[0].score).toEqual({mean: 0.9, low: 0.9, high: 0.9, n: 40, method: "bootstrap"});
    expect(s.options[1].score.method).toBe("bootstrap");
    expect(s.options[1].score.low).toBeLessThan(s.options[1].score.mean!);
  });

  test("recommends the cheap option where it is not significantly worse, and the strong one where it is", async () => {
    const db = await bakeoffWarehouse();
    const [s] = (await bakeoff(db)).suites;
    expect(s.recommendation.recommended).toBe("big · v1");
    expect(
      s.categories.map((c) => [
        c.category,
        c.recommendation.recommended,
        c.rows.find((r) => r.option === "small · v1")!.vs_best?.p_value
      ])
    ).toEqual([
      ["easy", "small · v1", 1],
      ["hard", "big · v1", 0.000488]
    ]);
    expect(s.categories[0].recommendation.reason).toBe(
      "small · v1 is the cheapest ($0.00100/request) whose pass rate (95.0%, n = 20) is not significantly below the best, big · v1 (100.0%; McNemar p = 1.00)."
    );
  });

  test("honours the feature's budgets from the config", async () => {
    const db = await bakeoffWarehouse();
    const config = configSchema.parse({budgets: {cost_per_request_usd: {chat: 0.005}}});
    const [s] = (await bakeoff(db, {config})).suites;
    expect(s.budget).toEqual({cost_per_request_usd: 0.005, latency_p95_ms: null});
    expect(s.recommendation).toMatchObject({recommended: null, best: "big · v1"});
    expect(s.recommendation.excluded).toEqual([
      {key: "big · v1", why: "over the cost budget ($0.0100/request > $0.00500/request)"},
      {key: "small · v1", why: "significantly below the best (67.5% vs 100.0%, McNemar p < 0.001 on 40 shared cases)"}
    ]);
  });

  test("compares the latest run of each model × prompt only", async () => {
    const older = {
      suite: "chat-golden",
      feature: "chat",
      started_at: "2026-11-01T08:00:00Z",
      case_id: "c01",
      category: "easy",
      run_id: "a-old",
      model: "big",
      prompt_version: "v1",
      passed: false
    };
    db = await ingest(bakeoffWorkspace([older]));
    const [s] = (await bakeoff(db)).suites;
    expect(s.options.map((o) => o.run_id)).toEqual(["a", "b"]);
  });
});

describe("frontier(db)", () => {
  test("marks the Pareto frontier of cost and of latency against pass rate, overall and per category", async () => {
    const dear = Array.from({length: 40}, (_, k) => ({
      suite: "chat-golden",
      feature: "chat",
      started_at: "2026-11-10T08:00:00Z",
      case_id: id(k + 1),
      category: k < 20 ? "easy" : "hard",
      run_id: "c",
      model: "huge",
      prompt_version: "v1",
      passed: k % 4 !== 0,
      latency_ms: 50,
      cost_usd: 0.02
    }));
    db = await ingest(bakeoffWorkspace(dear));
    const f = await frontier(db);
    expect(f.features).toEqual(["chat"]);
    expect(f.categories).toEqual({chat: [ALL_CATEGORIES, "easy", "hard"]});
    const all = f.points.filter((p) => p.category === ALL_CATEGORIES);
    expect(
      all.map((p) => [
        p.option,
        p.pass_rate,
        p.cost,
        p.latency_p95,
        p.cost_frontier,
        p.cost_dominated_by,
        p.latency_frontier,
        p.latency_dominated_by
      ])
    ).toEqual([
      ["big · v1", 1, 0.01, 380.5, true, null, true, null],
      ["huge · v1", 0.75, 0.02, 50, false, "big · v1", true, null],
      ["small · v1", 0.675, 0.001, 190.3, true, null, false, "huge · v1"]
    ]);
  });
});

describe("launchGate(db, workspace)", () => {
  const gates = [
    {metric: "pass_rate", min: 0.9},
    {metric: "latency_p95_ms", max: 500},
    {metric: "cost_per_request_usd", max: 0.02}
  ];
  const config = configSchema.parse({
    launches: [
      {
        feature: "chat",
        suite: "chat-golden",
        candidate: {model: "big", prompt_version: "v1"},
        baseline: {model: "small"},
        gates
      },
      {
        feature: "chat",
        suite: "chat-golden",
        candidate: {model: "small"},
        gates: [
          {metric: "pass_rate", min: 0.9},
          {metric: "error_rate", max: 0.05}
        ]
      },
      {feature: "chat", suite: "chat-golden", candidate: {model: "absent"}, gates: [{metric: "pass_rate", min: 0.9}]}
    ]
  });

  test("gives each gate a value, an interval and a verdict, and the launch go / no-go / inconclusive", async () => {
    const db = await bakeoffWarehouse();
    const {launches} = await launchGate(db, {config});
    const [big, small, absent] = launches;
    expect(big.gates.map((g) => [g.metric, g.estimate, g.low, g.high, g.n, g.verdict])).toEqual([
      // 40/40: Wilson lower bound 0.9124 ≥ 0.9
      ["pass_rate", 1, 0.9124, 1, 40, "pass"],
      // 40 latencies cannot bound a p95 from above at 95% (that takes 72: 0.95^n ≤ 2.5%): not yet conclusive
      ["latency_p95_ms", 380.5, 350, null, 40, "inconclusive"],
      ["cost_per_request_usd", 0.01, 0.01, 0.01, 40, "pass"]
    ]);
    expect(big.verdict).toBe("inconclusive");
    expect(big.evidence).toEqual({
      run_id: "a",
      option: "big · v1",
      started_at: "2026-11-10T08:00:00.000Z",
      model: "big",
      prompt_version: "v1",
      dataset_version: null,
      n: 40
    });
    // Detectable difference on 40 shared cases at the baseline's 27/40, two samples, 5% two-sided, 80%
    // power: (1.959964 + 0.841621) · √(2 · 0.675 · 0.325 / 40) = 0.2934.
    expect(big.paired).toEqual({
      shared: 40,
      candidate_only: 13,
      baseline_only: 0,
      candidate_passes: 40,
      baseline_passes: 27,
      p_value: 0.000244,
      minimum_detectable: 0.2934
    });
    expect(big.gates[0].baseline).toEqual({estimate: 0.675, low: 0.5202, high: 0.7992, n: 40});
    // 27/40: Wilson upper bound 0.7992 < 0.9. No errors in 40 requests still allows up to 8.8%: not yet below 5%.
    expect(small.gates.map((g) => [g.metric, g.estimate, g.high, g.verdict])).toEqual([
      ["pass_rate", 0.675, 0.7992, "fail"],
      ["error_rate", 0, 0.0876, "inconclusive"]
    ]);
    expect(small.verdict).toBe("no-go");
    expect(absent).toMatchObject({
      verdict: "inconclusive",
      evidence: null,
      summary: "No eval run of the candidate in this suite yet."
    });
    expect(absent.gates[0]).toMatchObject({verdict: "no-data", estimate: null, n: 0});
  });

  test("says how many more cases would settle a rate gate the interval still straddles", async () => {
    const db = await bakeoffWarehouse();
    const near = configSchema.parse({
      launches: [
        {feature: "chat", suite: "chat-golden", candidate: {model: "small"}, gates: [{metric: "pass_rate", min: 0.7}]}
      ]
    });
    const [l] = (await launchGate(db, {config: near})).launches;
    // 27/40 = 0.675 against 0.7: Wilson [0.5202, 0.7992] straddles; at 0.675 the upper bound drops below 0.7 from
    // n = 1291 (the first n where statsmodels' proportion_confint(0.675·n, n, method="wilson") excludes 0.7).
    expect(l.gates[0]).toMatchObject({verdict: "inconclusive", cases_needed: 1291 - 40});
  });

  test("names one action once in the rollout sentence when it settles several gates", async () => {
    const db = await bakeoffWarehouse();
    const two = configSchema.parse({
      launches: [
        {
          feature: "chat",
          suite: "chat-golden",
          candidate: {model: "small"},
          // The same bar written twice (an explicit zero margin): the same cases settle both, so the
          // action is one. (Two different bars need different numbers of new cases: a pass rate counts
          // each case once, so no rerun of the suite serves both.)
          gates: [
            {metric: "pass_rate", min: 0.56},
            {metric: "pass_rate", min: 0.56, margin: 0}
          ]
        }
      ]
    });
    const [l] = (await launchGate(db, {config: two})).launches;
    const [a, b] = l.gates;
    expect([a.verdict, b.verdict]).toEqual(["inconclusive", "inconclusive"]);
    expect(a.way_forward_text).toBe(b.way_forward_text);
    const action = a.way_forward_text!;
    expect(l.rollout.split(action)).toHaveLength(2);
    expect(action).toMatch(/^growing the suite to about \d+ cases$/);
    expect(l.rollout).toContain(
      `${action} would settle pass rate if it stays at 67.5% and pass rate if it stays at 67.5%`
    );
  });
});

describe("the four eval queries on a workspace without eval results", () => {
  test("return empty shapes the pages turn into an empty state, and gates without evidence", async () => {
    db = await ingest({
      "notes.jsonl": jsonl({
        trace_id: "t",
        span_id: "s",
        name: "x",
        kind: "llm",
        start_time: "2026-11-01T00:00:00Z",
        duration_ms: 1
      })
    });
    expect(await evalTriage(db)).toEqual({
      lengthBuckets: expect.any(Array),
      suites: [],
      runs: [],
      comparisons: [],
      evals: [],
      grid: []
    });
    expect(await bakeoff(db)).toEqual({suites: [], tiers: []});
    expect(await frontier(db)).toEqual({features: [], categories: {}, points: []});
    const config = configSchema.parse({
      launches: [
        {
          feature: "chat",
          suite: "chat-golden",
          candidate: {model: "big"},
          gates: [{metric: "latency_p95_ms", max: 900}]
        }
      ]
    });
    const [l] = (await launchGate(db, {config})).launches;
    expect(l).toMatchObject({verdict: "inconclusive", evidence: null, paired: null, history: []});
    expect(l.gates).toEqual([
      expect.objectContaining({metric: "latency_p95_ms", verdict: "no-data", estimate: null, n: 0})
    ]);
  });
});

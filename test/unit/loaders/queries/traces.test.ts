import {afterEach, describe, expect, test} from "vitest";
import {quantile} from "../../../../src/lib/metrics/quantile.js";
import {wilsonInterval} from "../../../../src/lib/metrics/wilson.js";
import {tracesPage} from "../../../../loaders/queries/traces.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {ingest, jsonl, sharedIngest, tempWorkspace} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const span = (trace: string, id: string, over: Record<string, unknown> = {}) => ({
  trace_id: trace,
  span_id: id,
  name: id,
  kind: "llm",
  start_time: "2026-11-02T10:00:00Z",
  duration_ms: 100,
  ...over
});

/** Three requests of support-chat (two models) and one of autocomplete, with an orphan and a failure. */
const spans = jsonl(
  span("t1", "root", {kind: "chain", duration_ms: 1200, feature: "support-chat", segment: "smb", category: "billing"}),
  span("t1", "ret", {
    kind: "retrieval",
    parent_span_id: "root",
    duration_ms: 80,
    start_time: "2026-11-02T10:00:00.010Z"
  }),
  span("t1", "call", {
    parent_span_id: "root",
    duration_ms: 1000,
    start_time: "2026-11-02T10:00:00.100Z",
    model: "gpt-4.1",
    input_tokens: 1000,
    output_tokens: 100,
    finish_reason: "stop"
  }),
  span("t2", "root", {kind: "chain", duration_ms: 3000, feature: "support-chat", start_time: "2026-11-03T10:00:00Z"}),
  span("t2", "call", {
    parent_span_id: "root",
    duration_ms: 2900,
    start_time: "2026-11-03T10:00:00.050Z",
    model: "claude-sonnet-4",
    input_tokens: 2000,
    output_tokens: 300,
    cost_usd: 0.01,
    finish_reason: "length"
  }),
  span("t3", "root", {
    kind: "chain",
    duration_ms: 700,
    feature: "support-chat",
    start_time: "2026-11-04T10:00:00Z",
    status: "ok"
  }),
  span("t3", "call", {
    parent_span_id: "root",
    duration_ms: 650,
    start_time: "2026-11-04T10:00:00.020Z",
    model: "gpt-4.1",
    status: "error",
    error_message: "503"
  }),
  // An orphan: its parent was never exported, so it is the request's root.
  span("t4", "call", {
    parent_span_id: "lost",
    duration_ms: 400,
    start_time: "2026-11-05T10:00:00Z",
    feature: "autocomplete",
    model: "gpt-4.1",
    input_tokens: 100,
    output_tokens: 10,
    finish_reason: "content_filter"
  })
);
const config = {
  prices: [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}],
  budgets: {latency_p95_ms: {"support-chat": 2500}}
};

const tracesWarehouse = sharedIngest(() => ({"spans.jsonl": spans}), config);

describe("requests, built at ingest", () => {
  test("makes one row per trace: root duration, root attributes, model calls' tokens and cost, failure, refusal and truncation", async () => {
    const db = await tracesWarehouse();
    expect(
      await db.query(`SELECT trace_id, duration_ms, feature, segment, category, model, spans, calls, input_tokens::INTEGER AS input_tokens, output_tokens::INTEGER AS output_tokens,
        round(cost_usd, 8) AS cost_usd, cost_source, failed, refused, truncated FROM requests ORDER BY trace_id`)
    ).toEqual([
      {
        trace_id: "t1",
        duration_ms: 1200,
        feature: "support-chat",
        segment: "smb",
        category: "billing",
        model: "gpt-4.1",
        spans: 3,
        calls: 1,
        input_tokens: 1000,
        output_tokens: 100,
        cost_usd: 0.0028,
        cost_source: "computed",
        failed: false,
        refused: false,
        truncated: false
      },
      {
        trace_id: "t2",
        duration_ms: 3000,
        feature: "support-chat",
        segment: null,
        category: null,
        model: "claude-sonnet-4",
        spans: 2,
        calls: 1,
        input_tokens: 2000,
        output_tokens: 300,
        cost_usd: 0.01,
        cost_source: "reported",
        failed: false,
        refused: false,
        truncated: true
      },
      {
        trace_id: "t3",
        duration_ms: 700,
        feature: "support-chat",
        segment: null,
        category: null,
        model: "gpt-4.1",
        spans: 2,
        calls: 1,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: "missing",
        failed: true,
        refused: false,
        truncated: false
      },
      {
        trace_id: "t4",
        duration_ms: 400,
        feature: "autocomplete",
        segment: null,
        category: null,
        model: "gpt-4.1",
        spans: 1,
        calls: 1,
        input_tokens: 100,
        output_tokens: 10,
        cost_usd: 0.00028,
        cost_source: "computed",
        failed: false,
        refused: true,
        truncated: false
      }
    ]);
  });

  test("takes the parentless span as the root even when part of the trace lost its parent, and an orphan only when the root is missing", async () => {
    db = await ingest({
      "spans.jsonl": jsonl(
        // The root was exported; the span between it and "tool" was not.
        span("kept", "root", {kind: "chain", duration_ms: 900, feature: "support-chat"}),
        span("kept", "tool", {
          kind: "tool",
          parent_span_id: "lost",
          duration_ms: 2000,
          start_time: "2026-11-02T10:00:00.500Z",
          feature: "other"
        }),
        // The root was not exported: the orphan and its child make the request, measured by the orphan.
        span("headless", "call", {parent_span_id: "lost", duration_ms: 400, feature: "autocomplete"}),
        span("headless", "retry", {parent_span_id: "call", duration_ms: 100, start_time: "2026-11-02T10:00:00.600Z"})
      )
    });
    expect(
      await db.query(`SELECT trace_id, duration_ms, feature, roots, spans FROM requests ORDER BY trace_id`)
    ).toEqual([
      {trace_id: "headless", duration_ms: 400, feature: "autocomplete", roots: 1, spans: 2},
      {trace_id: "kept", duration_ms: 900, feature: "support-chat", roots: 1, spans: 2}
    ]);
  });

  test("names a request served by two models by both, and takes the envelope when a trace has two roots", async () => {
    db = await ingest({
      "spans.jsonl": jsonl(
        span("t", "a", {model: "gpt-4.1", duration_ms: 100}),
        span("t", "b", {model: "gpt-4.1-mini", start_time: "2026-11-02T10:00:00.500Z", duration_ms: 200})
      )
    });
    expect(await db.query(`SELECT model, duration_ms, calls FROM requests`)).toEqual([
      {model: "gpt-4.1 + gpt-4.1-mini", duration_ms: 700, calls: 2}
    ]);
  });
});

describe("tracesPage", () => {
  const page = async () => {
    const root = tempWorkspace({"spans.jsonl": spans, "workbench.config.json": JSON.stringify(config)});
    return tracesPage(await tracesWarehouse(), resolveWorkspace({WORKBENCH_WORKSPACE: root}));
  };

  test("gives every feature × model cell and its roll-ups, with type-7 percentiles and Wilson intervals", async () => {
    const p = await page();
    const cell = (feature: string, model: string) => p.summary.find((r) => r.feature === feature && r.model === model)!;
    expect(p.summary.map((r) => [r.feature, r.model, r.requests])).toEqual([
      ["(all)", "(all)", 4],
      ["(all)", "claude-sonnet-4", 1],
      ["(all)", "gpt-4.1", 3],
      ["autocomplete", "(all)", 1],
      ["autocomplete", "gpt-4.1", 1],
      ["support-chat", "(all)", 3],
      ["support-chat", "claude-sonnet-4", 1],
      ["support-chat", "gpt-4.1", 2]
    ]);
    const durations = [1200, 3000, 700];
    expect(cell("support-chat", "(all)").latency).toEqual({
      p50: quantile(durations, 0.5),
      p95: quantile(durations, 0.95),
      p99: quantile(durations, 0.99)
    });
    const w = wilsonInterval(1, 3);
    expect(cell("support-chat", "(all)").errors).toEqual({
      rate: round(w.rate!),
      n: 3,
      successes: 1,
      low: round(w.low!),
      high: round(w.high!)
    });
    expect(cell("(all)", "(all)").refusals.successes).toBe(1);
    expect(cell("(all)", "(all)").truncations.successes).toBe(1);
    expect(cell("support-chat", "(all)").costSources).toEqual({
      reported: 1,
      computed: 1,
      mixed: 0,
      missing: 1,
      no_calls: 0
    });
    expect(cell("support-chat", "(all)").cost).toEqual({
      n: 2,
      mean: 0.0064,
      p50: 0.0064,
      p95: round(quantile([0.0028, 0.01], 0.95)!, 8),
      total: 0.0128
    });
  });

  test("buckets by day for a short span of data and passes the config's budgets through", async () => {
    const p = await page();
    expect(p.granularity).toEqual({volume: "day", trend: "day"});
    expect(p.budgets.latency_p95_ms).toEqual({"support-chat": 2500});
    expect(
      p.volume.filter((r) => r.feature === "(all)" && r.model === "(all)").map((r) => [r.bucket, r.requests])
    ).toEqual([
      ["2026-11-02T00:00:00.000Z", 1],
      ["2026-11-03T00:00:00.000Z", 1],
      ["2026-11-04T00:00:00.000Z", 1],
      ["2026-11-05T00:00:00.000Z", 1]
    ]);
  });

  test("measures span kinds within the requests a filter keeps", async () => {
    const p = await page();
    expect(
      p.kinds.filter((r) => r.feature === "support-chat" && r.model === "gpt-4.1").map((r) => [r.kind, r.n, r.p50])
    ).toEqual([
      ["chain", 2, 950],
      ["llm", 2, 825],
      ["retrieval", 1, 80]
    ]);
  });

  test("ranks the slowest and the most expensive requests and gives their spans as a waterfall", async () => {
    const p = await page();
    expect(
      p.slowest
        .filter((r) => r.feature === "(all)" && r.model === "(all)")
        .map((r) => [r.rank, r.trace_id, r.duration_ms])
    ).toEqual([
      [1, "t2", 3000],
      [2, "t1", 1200],
      [3, "t3", 700],
      [4, "t4", 400]
    ]);
    expect(
      p.costliest
        .filter((r) => r.feature === "(all)" && r.model === "(all)")
        .map((r) => [r.rank, r.trace_id, r.cost_usd])
    ).toEqual([
      [1, "t2", 0.01],
      [2, "t1", 0.0028],
      [3, "t4", 0.00028]
    ]);
    expect(p.waterfalls.t1).toEqual({
      omitted: 0,
      spans: [
        {
          span_id: "root",
          parent_span_id: null,
          name: "root",
          kind: "chain",
          model: null,
          status: null,
          offset_ms: 0,
          duration_ms: 1200,
          depth: 0
        },
        {
          span_id: "ret",
          parent_span_id: "root",
          name: "ret",
          kind: "retrieval",
          model: null,
          status: null,
          offset_ms: 10,
          duration_ms: 80,
          depth: 1
        },
        {
          span_id: "call",
          parent_span_id: "root",
          name: "call",
          kind: "llm",
          model: "gpt-4.1",
          status: null,
          offset_ms: 100,
          duration_ms: 1000,
          depth: 1
        }
      ]
    });
  });

  test("says which file would fill an empty page", async () => {
    db = await ingest({});
    const p = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: tempWorkspace({})}));
    expect(p.totals.requests).toBe(0);
    expect(p.hint).toMatch(/^Add a file such as spans\.jsonl to the workspace \(.*OTLP JSON.*\)\.$/);
  });
});

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// Real trace files dropped into a workspace reach the production pages: the test runs the pages'
// real data loaders (src/data/*.json.ts) on a workspace of the real OpenTelemetry GenAI, Vercel AI
// SDK, OpenInference and Langfuse fixtures, and checks what they write against values computed here
// from the raw files.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {quantile} from "../../src/lib/metrics/quantile.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import {realFixture} from "../realFixtures.js";
import {removeWarehouse, runLoader} from "./dataLoaders.js";
import {realTraceWorkspace} from "./productionWorkspace.js";

interface OtlpRequest {
  feature: string;
  duration_ms: number;
  cost: number | null;
  failed: boolean;
  finish: string | null;
}

/** The 24 requests of the instrumentation-openai file, read straight from the OTLP JSON. */
function otlpRequests(): OtlpRequest[] {
  const doc = JSON.parse(realFixture("otel-genai/instrumentation-openai.otlp.json"));
  const spans = doc.resourceSpans[0].scopeSpans.flatMap((s: any) => s.spans);
  const attrs = (s: any) => Object.fromEntries(s.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
  const ms = (s: any) => Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6;
  const prices: Record<string, [number, number]> = {"gpt-4.1": [2, 8], "gpt-4.1-mini": [0.4, 1.6]};
  return spans
    .filter((s: any) => !s.parentSpanId)
    .map((root: any) => {
      const call = spans.find((s: any) => s.parentSpanId === root.spanId);
      const a = attrs(call);
      const price = prices[a["gen_ai.request.model"]];
      const cost =
        a["gen_ai.usage.input_tokens"] === undefined
          ? null
          : (a["gen_ai.usage.input_tokens"] * price[0] + a["gen_ai.usage.output_tokens"] * price[1]) / 1e6;
      return {
        feature: attrs(root)["app.feature"],
        duration_ms: ms(root),
        cost,
        failed: call.status.code === 2,
        finish: a["gen_ai.response.finish_reasons"]?.values[0].stringValue ?? null
      };
    });
}

describe("real trace files in a workspace", () => {
  const pages: Record<string, any> = {};
  const workspace = realTraceWorkspace();

  beforeAll(async () => {
    pages.traces = await runLoader("traces", workspace);
    [pages.corrections, pages.drift, pages.safety] = await Promise.all(
      ["corrections", "drift", "safety"].map((l) => runLoader(l, workspace))
    );
  }, 180_000);

  afterAll(() => removeWarehouse(workspace));

  test("every span of every file becomes a request's span", () => {
    // 48 OTLP spans in 24 traces, 10 Vercel spans each in its own trace, 3 dated attribute maps, 15 Langfuse observations in 3 traces.
    expect(pages.traces.totals).toMatchObject({requests: 24 + 10 + 3 + 3, spans: 48 + 10 + 3 + 15});
    // The Vercel AI SDK fixture names each call's feature in experimental_telemetry's functionId, so no request is left without one.
    expect(pages.traces.features).toEqual([
      "Agent workflow",
      "claude.conversation",
      "pydantic-ai-qa-trace",
      "support-chat",
      "test-embed",
      "test-generate-object",
      "test-generate-text",
      "test-generate-text-messages",
      "test-stream-text",
      "ticket-summary",
      "weather-bot"
    ]);
  });

  test.each(["support-chat", "ticket-summary"])(
    "%s from instrumentation-openai: latency, cost and rates equal the raw file's",
    (feature) => {
      const raw = otlpRequests().filter((r) => r.feature === feature);
      const row = pages.traces.summary.find((r: any) => r.feature === feature && r.model === "(all)");
      const durations = raw.map((r) => r.duration_ms);
      expect(row.requests).toBe(12);
      expect(row.latency.p50).toBeCloseTo(quantile(durations, 0.5)!, 3);
      expect(row.latency.p95).toBeCloseTo(quantile(durations, 0.95)!, 3);
      expect(row.latency.p99).toBeCloseTo(quantile(durations, 0.99)!, 3);
      const costs = raw.map((r) => r.cost).filter((c): c is number => c !== null);
      expect(row.cost.n).toBe(costs.length);
      expect(row.cost.mean).toBeCloseTo(costs.reduce((a, b) => a + b, 0) / costs.length, 8);
      expect(row.costSources).toEqual({
        reported: 0,
        computed: costs.length,
        mixed: 0,
        missing: 12 - costs.length,
        no_calls: 0
      });
      const count = (p: (r: OtlpRequest) => boolean) => raw.filter(p).length;
      expect(row.errors.successes).toBe(count((r) => r.failed));
      expect(row.refusals.successes).toBe(count((r) => r.finish === "content_filter"));
      expect(row.truncations.successes).toBe(count((r) => r.finish === "length"));
      expect(row.errors.low).toBeCloseTo(
        wilsonInterval(
          count((r) => r.failed),
          12
        ).low!,
        6
      );
    }
  );

  test("the exact figures a reader sees for the instrumentation-openai requests", () => {
    const cell = (f: string) => pages.traces.summary.find((r: any) => r.feature === f && r.model === "(all)");
    expect([
      cell("support-chat").errors.successes,
      cell("support-chat").refusals.successes,
      cell("support-chat").truncations.successes
    ]).toEqual([1, 0, 1]);
    expect([
      cell("ticket-summary").errors.successes,
      cell("ticket-summary").refusals.successes,
      cell("ticket-summary").truncations.successes
    ]).toEqual([1, 1, 2]);
    // One row per model: the dated snapshots (claude-sonnet-4-5-20250929, gpt-4-0613, the Langfuse trace's gpt-4.1-2025-04-14) sit under their model.
    expect(pages.traces.models).toEqual([
      "(none)",
      "claude-sonnet-4-5",
      "gpt-4",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4o",
      "gpt-4o-mini",
      "text-embedding-3-small"
    ]);
  });

  test("Langfuse costs are reported, and a trace's tokens count its generations once", () => {
    const agents = pages.traces.summary.find((r: any) => r.feature === "Agent workflow" && r.model === "(all)");
    expect(agents.costSources).toEqual({reported: 1, computed: 0, mixed: 0, missing: 0, no_calls: 0});
    expect(agents.cost.mean).toBeCloseTo(0.000402 + 0.00023, 10);
    expect(agents.tokens).toEqual({input_mean: 85 + 55, output_mean: 29 + 15});
    const pydantic = pages.traces.summary.find((r: any) => r.feature === "pydantic-ai-qa-trace" && r.model === "(all)");
    expect(pydantic.tokens).toEqual({input_mean: 31, output_mean: 96});
  });

  test("the slowest request is the Langfuse claude conversation, and its waterfall nests the turns under it", () => {
    const [first] = pages.traces.slowest.filter((r: any) => r.feature === "(all)" && r.model === "(all)");
    expect(first).toMatchObject({trace_id: "097f1d8982fa909b8cffb14a166ec272", duration_ms: 7359, spans: 7});
    const spans = pages.traces.waterfalls[first.trace_id].spans;
    // The first turn's observation starts a millisecond before the conversation's own.
    expect(spans.map((s: any) => [s.name, s.kind, s.depth, s.offset_ms])).toEqual([
      ["claude.assistant.turn", "llm", 1, 0],
      ["claude.conversation", "chain", 0, 1],
      ["claude.assistant.turn", "llm", 1, 3197],
      ["claude.assistant.turn", "llm", 1, 3449],
      ["mcp__weather__get_weather", "tool", 1, 3499],
      ["mcp__weather__get_weather", "tool", 1, 3565],
      ["claude.assistant.turn", "llm", 1, 3627]
    ]);
  });

  test("the Langfuse correction reaches the corrections page; pages without their data say what would fill them", () => {
    expect(pages.corrections.overall.find((r: any) => r.feature === "(all)")).toMatchObject({
      n: 1,
      accepted: {successes: 1, n: 1}
    });
    expect(pages.safety.totals.flags).toBe(0);
    expect(pages.safety.hint).toMatch(/^Add a file such as flags\.jsonl/);
    expect(pages.drift.evalFeatures).toEqual([]);
  });
});

// Each real trace file alone in a workspace: the traces page's key numbers (requests, spans, and per
// model the requests, p50 and p95 latency, failed requests and mean tokens) against the test's own
// reading of the raw file, written here without the adapters.
import {afterEach, describe, expect, test} from "vitest";
import {quantile} from "../../../../src/lib/metrics/quantile.js";
import {tracesPage} from "../../../../loaders/queries/traces.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {ingest, tempWorkspace} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One request as read from a raw file: its end-to-end time, the models of its calls, their tokens, whether any span failed. */
interface RawRequest {
  ms: number;
  models: string[];
  input: number | null;
  output: number | null;
  failed: boolean;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
const withoutDate = (model: string) => model.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, "");
const sum = (xs: (number | undefined)[]) =>
  xs.some((x) => x !== undefined) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null;

function langfuseRequests(text: string): {spans: number; requests: RawRequest[]} {
  const {observations} = JSON.parse(text) as {observations: Json[]};
  const root = observations.find((o) => !o.parentObservationId)!;
  const calls = observations.filter((o) => o.type === "GENERATION");
  return {
    spans: observations.length,
    requests: [
      {
        ms: Date.parse(root.endTime) - Date.parse(root.startTime),
        models: [...new Set(calls.map((o) => withoutDate(String(o.model))))].sort(),
        input: sum(calls.map((o) => o.usageDetails?.input)),
        output: sum(calls.map((o) => o.usageDetails?.output)),
        failed: observations.some((o) => o.level === "ERROR")
      }
    ]
  };
}

/** OTel-JS ReadableSpan arrays (the Vercel AI SDK v6 fixture): every span its own trace here, times as [s, ns]. */
function readableSpanRequests(text: string): {spans: number; requests: RawRequest[]} {
  const spans = JSON.parse(text) as Json[];
  const ns = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
  const byTrace = groupBy(spans, (s) => s.spanContext.traceId);
  return {
    spans: spans.length,
    requests: [...byTrace.values()].map((group) => {
      const root = group.find((s) => !s.parentSpanId && !s.parentSpanContext)!;
      const calls = group.filter((s) => /\.do(Generate|Stream|Embed)$/.test(s.name));
      return {
        ms: Number(ns(root.endTime) - ns(root.startTime)) / 1e6,
        models: [
          ...new Set(
            calls.map((s) => withoutDate(String(s.attributes["gen_ai.request.model"] ?? s.attributes["ai.model.id"])))
          )
        ].sort(),
        input: sum(calls.map((s) => s.attributes["gen_ai.usage.input_tokens"] ?? s.attributes["ai.usage.inputTokens"])),
        output: sum(
          calls.map((s) => s.attributes["gen_ai.usage.output_tokens"] ?? s.attributes["ai.usage.outputTokens"])
        ),
        failed: group.some((s) => s.status.code === 2)
      };
    })
  };
}

/** OTLP JSON, one document or one per line: requests by trace, the parentless span's time, calls are chat spans. */
function otlpRequests(text: string): {spans: number; requests: RawRequest[]} {
  const spans = text
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) =>
      JSON.parse(l).resourceSpans.flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans))
    ) as Json[];
  const attrs = (s: Json) => Object.fromEntries(s.attributes.map((a: Json) => [a.key, Object.values(a.value)[0]]));
  return {
    spans: spans.length,
    requests: [...groupBy(spans, (s) => s.traceId).values()].map((group) => {
      const root = group.find((s) => !s.parentSpanId)!;
      const calls = group.filter((s) => attrs(s)["gen_ai.request.model"] !== undefined);
      const n = (s: Json, k: string) => (attrs(s)[k] === undefined ? undefined : Number(attrs(s)[k]));
      return {
        ms: Number(BigInt(root.endTimeUnixNano) - BigInt(root.startTimeUnixNano)) / 1e6,
        models: [...new Set(calls.map((s) => withoutDate(String(attrs(s)["gen_ai.request.model"]))))].sort(),
        input: sum(calls.map((s) => n(s, "gen_ai.usage.input_tokens"))),
        output: sum(calls.map((s) => n(s, "gen_ai.usage.output_tokens"))),
        failed: group.some((s) => s.status?.code === 2)
      };
    })
  };
}

const files: [string, (text: string) => {spans: number; requests: RawRequest[]}][] = [
  ["langfuse/openai-agents-2025-09-30.trace.json", langfuseRequests],
  ["langfuse/claude-agent-2025-12-22.trace.json", langfuseRequests],
  ["human-feedback/pydantic-ai-2025-06-06.trace.json", langfuseRequests],
  ["otel-genai/all-spans.json", readableSpanRequests],
  ["otel-genai/instrumentation-openai.otlp.json", otlpRequests],
  ["otel-genai/vercel-ai-sdk.otlp.jsonl", otlpRequests]
];

const round = (x: number | null, digits: number) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const mean = (xs: (number | null)[]) => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? round(known.reduce((a, b) => a + b, 0) / known.length, 1) : null;
};

describe("every real trace file, alone in a workspace, gives the traces page the raw file's numbers", () => {
  test.each(files)("%s", async (path, read) => {
    const raw = read(realFixture(path));
    const name = path.split("/")[1];
    const root = tempWorkspace({[name]: realFixture(path)});
    db = await ingest({[name]: realFixture(path)});
    const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
    expect(await db.query(`SELECT count(*)::INTEGER n FROM quarantine`)).toEqual([{n: 0}]);
    expect(page.totals).toMatchObject({requests: raw.requests.length, spans: raw.spans});
    const byModel = groupBy(raw.requests, (r) => (r.models.length ? r.models.join(" + ") : "(none)"));
    const cells = page.summary.filter((r) => r.feature === "(all)" && r.model !== "(all)");
    expect(cells.map((c) => c.model).sort()).toEqual([...byModel.keys()].sort());
    for (const [model, requests] of byModel) {
      const cell = cells.find((c) => c.model === model)!;
      const ms = requests.map((r) => r.ms);
      expect({
        model,
        requests: cell.requests,
        p50: cell.latency.p50,
        p95: cell.latency.p95,
        failed: cell.errors.successes,
        input: cell.tokens.input_mean,
        output: cell.tokens.output_mean
      }).toEqual({
        model,
        requests: requests.length,
        p50: round(quantile(ms, 0.5)!, 3),
        p95: round(quantile(ms, 0.95)!, 3),
        failed: requests.filter((r) => r.failed).length,
        input: mean(requests.map((r) => r.input)),
        output: mean(requests.map((r) => r.output))
      });
    }
  });
});

describe("the real bare attribute maps (instrumentation test fixtures), dated by the config", () => {
  const maps: [string, (a: Json) => {model: string; snapshot: string; input: number; output: number}][] = [
    [
      "otel-genai/otel_genai_client_span_tool_calls.json",
      (a) => ({
        model: a["gen_ai.request.model"],
        snapshot: a["gen_ai.response.model"],
        input: a["gen_ai.usage.input_tokens"],
        output: a["gen_ai.usage.output_tokens"]
      })
    ],
    [
      "openinference/openinference_client_span_tool_calls.json",
      (a) => ({
        model: JSON.parse(a["llm.invocation_parameters"]).model,
        snapshot: a["llm.model_name"],
        input: a["llm.token_count.prompt"],
        output: a["llm.token_count.completion"]
      })
    ],
    [
      "openinference/openinference_client_span_input_output_only.json",
      (a) => ({
        model: JSON.parse(a["llm.invocation_parameters"]).model,
        snapshot: a["llm.model_name"],
        input: a["llm.token_count.prompt"],
        output: a["llm.token_count.completion"]
      })
    ]
  ];
  test.each(maps)(
    "%s: one request of the requested model, the snapshot as its detail, the map's tokens",
    async (path, read) => {
      const raw = read(JSON.parse(realFixture(path)));
      const root = tempWorkspace({"map.json": realFixture(path)});
      db = await ingest(
        {"map.json": realFixture(path)},
        {sources: [{path: "map.json", defaults: {start_time: "2026-11-20T10:00:00Z", duration_ms: 900}}]}
      );
      const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
      const cell = page.summary.find((r) => r.feature === "(all)" && r.model !== "(all)")!;
      expect({
        model: cell.model,
        snapshots: cell.snapshots,
        requests: cell.requests,
        input: cell.tokens.input_mean,
        output: cell.tokens.output_mean,
        p95: cell.latency.p95
      }).toEqual({
        model: raw.model,
        snapshots: [{name: raw.snapshot, calls: 1}],
        requests: 1,
        input: raw.input,
        output: raw.output,
        p95: 900
      });
    }
  );
});

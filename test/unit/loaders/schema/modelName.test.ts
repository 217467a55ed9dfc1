import {afterEach, describe, expect, test} from "vitest";
import {quantile} from "../../../../src/lib/metrics/quantile.js";
import {tracesPage} from "../../../../loaders/queries/traces.js";
import {canonicalModel, canonicalModelSql} from "../../../../loaders/schema/modelName.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {ingest, tempWorkspace} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const names: [string, string][] = [
  ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
  ["gpt-4.1-2025-04-14", "gpt-4.1"],
  ["gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"],
  ["gpt-4.1-mini", "gpt-4.1-mini"],
  ["claude-sonnet-4-20250514", "claude-sonnet-4"],
  ["claude-sonnet-4@20250514", "claude-sonnet-4"],
  ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
  ["gpt-4-0613", "gpt-4"],
  ["gpt-3.5-turbo-0125", "gpt-3.5-turbo"],
  ["gpt-4-1106-preview", "gpt-4-1106-preview"],
  ["mistral-large-2407", "mistral-large-2407"],
  ["text-embedding-3-small", "text-embedding-3-small"],
  ["o1-2024-12-17", "o1"],
  ["gemini-1.5-pro-002", "gemini-1.5-pro-002"]
];

describe("canonicalModel(name)", () => {
  test("drops a release-date suffix only, so gpt-4.1-mini never becomes gpt-4.1; the SQL form agrees on every name", async () => {
    expect(names.map(([n]) => canonicalModel(n))).toEqual(names.map(([, c]) => c));
    const sqlDb = await openDatabase();
    try {
      const rows = await sqlDb.query<{c: string}>(
        `SELECT ${canonicalModelSql("n")} AS c FROM (SELECT unnest(string_split($names, chr(31))) AS n, generate_subscripts(string_split($names, chr(31)), 1) AS i) ORDER BY i`,
        {names: names.map(([n]) => n).join("\x1f")}
      );
      expect(rows.map((r) => r.c)).toEqual(names.map(([, c]) => c));
    } finally {
      sqlDb.close();
    }
  });
});

const attr = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? {intValue: String(value)} : {stringValue: value}
});
let seq = 0;
/** An OpenInference-instrumented OpenAI call as Phoenix exports it: a chain root and its LLM span. */
function openInferenceCall(requested: string, answered: string, ms: number, stream = false) {
  const trace = (++seq).toString(16).padStart(32, "0");
  const start = 1_795_325_207_000_000_000n + BigInt(seq) * 1_000_000_000n;
  const end = start + BigInt(ms * 1_000_000);
  return [
    {
      traceId: trace,
      spanId: `a${seq.toString(16).padStart(15, "0")}`,
      name: "support-chat",
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(end),
      attributes: [attr("openinference.span.kind", "CHAIN"), attr("app.feature", "support-chat")]
    },
    {
      traceId: trace,
      spanId: `b${seq.toString(16).padStart(15, "0")}`,
      parentSpanId: `a${seq.toString(16).padStart(15, "0")}`,
      name: "ChatCompletion",
      startTimeUnixNano: String(start + 1_000_000n),
      endTimeUnixNano: String(end - 1_000_000n),
      attributes: [
        attr("openinference.span.kind", "LLM"),
        attr("llm.model_name", answered),
        attr("llm.invocation_parameters", JSON.stringify({model: requested, ...(stream ? {stream: true} : {})})),
        attr("llm.token_count.prompt", 100),
        attr("llm.token_count.completion", 20)
      ]
    }
  ];
}

describe("one identity per model on the traces page", () => {
  test("OpenInference calls answered by the dated snapshot and streamed calls reported under the alias are one model, with one p95; the snapshots are its detail", async () => {
    // As openinference-instrumentation-openai records them: llm.model_name is the response's model
    // (the snapshot) for a normal call and the requested alias for a streamed one.
    const calls = [
      ...[900, 1100, 1300, 1500].map((ms) => ({
        model: "gpt-4o-mini",
        ms,
        spans: openInferenceCall("gpt-4o-mini", "gpt-4o-mini-2024-07-18", ms)
      })),
      ...[4000, 6000].map((ms) => ({
        model: "gpt-4o-mini",
        ms,
        spans: openInferenceCall("gpt-4o-mini", "gpt-4o-mini", ms, true)
      })),
      ...[700, 800].map((ms) => ({
        model: "gpt-4.1-mini",
        ms,
        spans: openInferenceCall("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", ms)
      })),
      ...[2000].map((ms) => ({model: "gpt-4.1", ms, spans: openInferenceCall("gpt-4.1", "gpt-4.1-2025-04-14", ms)}))
    ];
    const doc = {resourceSpans: [{scopeSpans: [{spans: calls.flatMap((c) => c.spans)}]}]};
    const root = tempWorkspace({"phoenix.otlp.json": JSON.stringify(doc)});
    db = await ingest({"phoenix.otlp.json": JSON.stringify(doc)});
    const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
    expect(page.models).toEqual(["gpt-4.1", "gpt-4.1-mini", "gpt-4o-mini"]);
    for (const model of page.models) {
      const ms = calls.filter((c) => c.model === model).map((c) => c.ms);
      const cell = page.summary.find((r) => r.feature === "(all)" && r.model === model)!;
      expect([model, cell.requests, cell.latency.p95]).toEqual([model, ms.length, quantile(ms, 0.95)]);
    }
    const mini = page.summary.find((r) => r.feature === "support-chat" && r.model === "gpt-4o-mini")!;
    expect(mini.snapshots).toEqual([
      {name: "gpt-4o-mini-2024-07-18", calls: 4},
      {name: "gpt-4o-mini", calls: 2}
    ]);
    expect(page.summary.find((r) => r.feature === "(all)" && r.model === "gpt-4.1")!.snapshots).toEqual([
      {name: "gpt-4.1-2025-04-14", calls: 1}
    ]);
  });

  test("the real instrumentation-openai export (gen_ai.request.model gpt-4.1) and the real Langfuse openai-agents trace (model gpt-4.1-2025-04-14) are one gpt-4.1 row", async () => {
    const otlp = JSON.parse(realFixture("otel-genai/instrumentation-openai.otlp.json"));
    const otlpSpans: Json[] = otlp.resourceSpans.flatMap((rs: Json) => rs.scopeSpans.flatMap((ss: Json) => ss.spans));
    const attrs = (s: Json) => Object.fromEntries(s.attributes.map((a: Json) => [a.key, Object.values(a.value)[0]]));
    const otlpGpt41 = otlpSpans.filter((s) => attrs(s)["gen_ai.request.model"] === "gpt-4.1").length;
    const langfuse = JSON.parse(realFixture("langfuse/openai-agents-2025-09-30.trace.json"));
    const langfuseGpt41 = langfuse.observations.filter(
      (o: Json) => o.type === "GENERATION" && o.model === "gpt-4.1-2025-04-14"
    ).length;
    expect([otlpGpt41, langfuseGpt41].every((n) => n > 0)).toBe(true);
    const files = {
      "otlp.json": realFixture("otel-genai/instrumentation-openai.otlp.json"),
      "langfuse.json": realFixture("langfuse/openai-agents-2025-09-30.trace.json")
    };
    const root = tempWorkspace(files);
    db = await ingest(files);
    const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
    expect(page.models.filter((m) => m.startsWith("gpt-4.1"))).toEqual(["gpt-4.1", "gpt-4.1-mini"]);
    const gpt41 = page.summary.find((r) => r.feature === "(all)" && r.model === "gpt-4.1")!;
    const snapshot = Object.fromEntries(gpt41.snapshots.map((s) => [s.name, s.calls]));
    expect(snapshot["gpt-4.1-2025-04-14"]).toBe(langfuseGpt41);
    expect(Object.values(snapshot).reduce((a, b) => a + b, 0)).toBe(otlpGpt41 + langfuseGpt41);
  });
});

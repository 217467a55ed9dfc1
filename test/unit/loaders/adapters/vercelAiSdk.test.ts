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
const file = "otel-genai/vercel-ai-sdk.otlp.jsonl";

/** The test's own reading of the file: one ExportTraceServiceRequest per line, spans with flat attributes. */
function rawSpans(): Json[] {
  const lines = realFixture(file)
    .split("\n")
    .filter((l) => l.trim() !== "");
  return lines.flatMap((line) =>
    JSON.parse(line).resourceSpans.flatMap((rs: Json) =>
      rs.scopeSpans.flatMap((ss: Json) =>
        ss.spans.map((s: Json) => ({
          ...s,
          attrs: Object.fromEntries(s.attributes.map((a: Json) => [a.key, Object.values(a.value)[0]])),
          ms: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6
        }))
      )
    )
  );
}

/** Requests as the raw file has them: a root (generateText/streamText) and its one model call. */
function rawRequests() {
  const spans = rawSpans();
  return spans
    .filter((s) => !s.parentSpanId)
    .map((root) => {
      const call = spans.find((s) => s.parentSpanId === root.spanId)!;
      return {
        feature: root.attrs["ai.telemetry.functionId"] as string,
        segment: root.attrs["ai.telemetry.metadata.segment"] as string,
        model: call.attrs["gen_ai.request.model"] as string,
        ms: root.ms,
        failed: call.status.code === 2,
        input: call.attrs["gen_ai.usage.input_tokens"] as number | undefined,
        output: call.attrs["gen_ai.usage.output_tokens"] as number | undefined
      };
    });
}

describe("the real Vercel AI SDK 6 export, one OTLP request per line (the collector file exporter's framing)", () => {
  test("reads every span of every line; functionId is the feature and metadata.segment the segment", async () => {
    const spans = rawSpans();
    expect(realFixture(file).trim().split("\n")).toHaveLength(6);
    db = await ingest({"vercel.otlp.jsonl": realFixture(file)});
    expect(await db.query(`SELECT count(*)::INTEGER n, count(DISTINCT source_line)::INTEGER lines FROM spans`)).toEqual(
      [{n: spans.length, lines: 6}]
    );
    expect(await db.query(`SELECT count(*)::INTEGER n FROM quarantine`)).toEqual([{n: 0}]);
    const requests = rawRequests();
    const got = await db.query<Json>(
      `SELECT feature, segment, count(*)::INTEGER n FROM requests GROUP BY ALL ORDER BY ALL`
    );
    const want = new Map<string, number>();
    for (const r of requests) want.set(`${r.feature}|${r.segment}`, (want.get(`${r.feature}|${r.segment}`) ?? 0) + 1);
    expect(got).toEqual(
      [...want]
        .map(([k, n]) => ({feature: k.split("|")[0], segment: k.split("|")[1], n}))
        .sort((a, b) => a.feature.localeCompare(b.feature) || a.segment.localeCompare(b.segment))
    );
    expect(got.map((r) => r.feature)).toContain("ticket-summary");
  });

  test("sits next to a single-document OTLP JSON file in one workspace: both read whole, each span on its own line or the document's", async () => {
    const single = JSON.parse(realFixture("otel-genai/instrumentation-openai.otlp.json"));
    const singleSpans = single.resourceSpans.flatMap((rs: Json) =>
      rs.scopeSpans.flatMap((ss: Json) => ss.spans)
    ).length;
    db = await ingest({
      "a/collector.jsonl": realFixture(file),
      "b/export.json": realFixture("otel-genai/instrumentation-openai.otlp.json")
    });
    expect(
      await db.query(
        `SELECT source_file, count(*)::INTEGER n, count(DISTINCT source_line)::INTEGER lines FROM spans GROUP BY ALL ORDER BY 1`
      )
    ).toEqual([
      {source_file: "a/collector.jsonl", n: rawSpans().length, lines: 6},
      {source_file: "b/export.json", n: singleSpans, lines: 1}
    ]);
    expect(await db.query(`SELECT count(*)::INTEGER n FROM quarantine`)).toEqual([{n: 0}]);
  });

  test("the traces page's requests, p50/p95 per model, failed share and tokens equal the raw file's", async () => {
    const requests = rawRequests();
    const root = tempWorkspace({"vercel.otlp.jsonl": realFixture(file)});
    db = await ingest({"vercel.otlp.jsonl": realFixture(file)});
    const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
    const models = [...new Set(requests.map((r) => r.model))].sort();
    expect(models).toEqual(["gpt-4.1", "gpt-4.1-mini", "gpt-4o-mini"]);
    for (const model of models) {
      const mine = requests.filter((r) => r.model === model);
      const cell = page.summary.find((r) => r.feature === "(all)" && r.model === model)!;
      const ms = mine.map((r) => r.ms);
      const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
      const counted = mine.filter((r) => r.input !== undefined);
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
        requests: mine.length,
        p50: Math.round(quantile(ms, 0.5)! * 1000) / 1000,
        p95: Math.round(quantile(ms, 0.95)! * 1000) / 1000,
        failed: mine.filter((r) => r.failed).length,
        input: mean(counted.map((r) => r.input!)),
        output: mean(counted.map((r) => r.output!))
      });
    }
    const all = page.summary.find((r) => r.feature === "(all)" && r.model === "(all)")!;
    expect([all.requests, all.errors.successes]).toEqual([requests.length, requests.filter((r) => r.failed).length]);
    // The SDK's own "content-filter" stop is a refusal.
    expect(all.refusals.successes).toBe(
      rawSpans().filter((s) => s.parentSpanId && s.attrs["ai.response.finishReason"] === "content-filter").length
    );
    expect(all.refusals.successes).toBe(1);
  });

  test("a config entry's columns point feature and segment at other attributes; spans without them keep the default", async () => {
    db = await ingest(
      {"vercel.otlp.jsonl": realFixture(file)},
      {
        sources: [
          {
            path: "*.jsonl",
            columns: {feature: "ai.telemetry.metadata.category", segment: "ai.telemetry.metadata.prompt_version"}
          }
        ]
      }
    );
    const requests = rawSpans().filter((s) => !s.parentSpanId);
    const got = await db.query<Json>(
      `SELECT feature, segment, count(*)::INTEGER n FROM requests GROUP BY ALL ORDER BY ALL`
    );
    const want = new Map<string, number>();
    for (const r of requests) {
      const key = `${r.attrs["ai.telemetry.metadata.category"]}|${r.attrs["ai.telemetry.metadata.prompt_version"]}`;
      want.set(key, (want.get(key) ?? 0) + 1);
    }
    expect(got).toEqual([...want].sort().map(([k, n]) => ({feature: k.split("|")[0], segment: k.split("|")[1], n})));
  });
});

import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

const quarantine = (d: Database) =>
  d.query(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);

// The shape of Phoenix's GET /v1/projects/{project}/spans (src/phoenix/server/api/routers/v1/spans.py).
const phoenixSpan = (over: Record<string, unknown> = {}) => ({
  id: "U3BhbjoxMjM=",
  name: "ChatCompletion",
  context: {trace_id: "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", span_id: "1a2b3c4d5e6f7a8b"},
  span_kind: "LLM",
  parent_id: "0f0e0d0c0b0a0908",
  start_time: "2026-11-20T12:00:00.000250+00:00",
  end_time: "2026-11-20T12:00:01.500Z",
  status_code: "OK",
  status_message: "",
  attributes: {
    "llm.model_name": "gpt-4.1",
    "llm.provider": "openai",
    "llm.token_count.prompt": 100,
    "llm.token_count.completion": 50,
    "llm.cost.total": 0.0006,
    "app.feature": "support-chat",
    "user.segment": "smb"
  },
  events: [],
  ...over
});

describe("openinference adapter", () => {
  test("reads Phoenix's REST span export, kind from span_kind, cost as reported", async () => {
    db = await ingest({
      "phoenix.json": JSON.stringify(
        {
          data: [
            phoenixSpan(),
            phoenixSpan({
              context: {trace_id: "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", span_id: "0f0e0d0c0b0a0908"},
              parent_id: null,
              span_kind: "CHAIN",
              name: "agent",
              status_code: "ERROR",
              status_message: "tool failed",
              attributes: {"input.value": "Where is my order?", "app.feature": "support-chat"}
            })
          ],
          next_cursor: null
        },
        null,
        2
      )
    });
    expect(
      await db.query(
        `SELECT span_id, parent_span_id, name, kind, start_time, duration_ms, feature, segment, model, provider, input_chars, input_tokens, output_tokens, cost_usd, cost_source, status, error_message, source_line FROM spans ORDER BY source_line`
      )
    ).toEqual([
      {
        span_id: "1a2b3c4d5e6f7a8b",
        parent_span_id: "0f0e0d0c0b0a0908",
        name: "ChatCompletion",
        kind: "llm",
        start_time: "2026-11-20T12:00:00.000Z",
        duration_ms: 1499.75,
        feature: "support-chat",
        segment: "smb",
        model: "gpt-4.1",
        provider: "openai",
        input_chars: null,
        input_tokens: 100,
        output_tokens: 50,
        cost_usd: 0.0006,
        cost_source: "reported",
        status: "ok",
        error_message: null,
        source_line: 8
      },
      {
        span_id: "0f0e0d0c0b0a0908",
        parent_span_id: null,
        name: "agent",
        kind: "chain",
        start_time: "2026-11-20T12:00:00.000Z",
        duration_ms: 1499.75,
        feature: "support-chat",
        segment: null,
        model: null,
        provider: null,
        input_chars: 18,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "error",
        error_message: "tool failed",
        source_line: 32
      }
    ]);
  });

  test("reads spans_dataframe rows written as JSON Lines (flat context.* and attributes.* keys, epoch-millisecond times)", async () => {
    const row = {
      name: "llm",
      span_kind: "LLM",
      parent_id: null,
      start_time: 1795168800000,
      end_time: 1795168800750,
      status_code: "UNSET",
      "context.span_id": "1a2b3c4d5e6f7a8b",
      "context.trace_id": "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4",
      "attributes.llm.model_name": "claude-sonnet-4",
      "attributes.llm.token_count.prompt": 10,
      "attributes.llm.token_count.completion": 5
    };
    db = await ingest({"spans.jsonl": jsonl(row)});
    expect(
      await db.query(
        `SELECT trace_id, span_id, kind, start_time, duration_ms, model, input_tokens, output_tokens, status FROM spans`
      )
    ).toEqual([
      {
        trace_id: "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4",
        span_id: "1a2b3c4d5e6f7a8b",
        kind: "llm",
        start_time: "2026-11-20T10:00:00.000Z",
        duration_ms: 750,
        model: "claude-sonnet-4",
        input_tokens: 10,
        output_tokens: 5,
        status: "unset"
      }
    ]);
  });

  test("reads the OpenTelemetry Python SDK's span.to_json() as the console exporter writes it: pretty documents one after another", async () => {
    const span = (spanId: string, parent: string | null, name: string, kind: string) =>
      JSON.stringify(
        {
          name,
          context: {trace_id: "0x5b8aa5a2d2c872e8321cf37308d69df2", span_id: spanId, trace_state: "[]"},
          kind: "SpanKind.INTERNAL",
          parent_id: parent,
          start_time: "2022-04-29T18:52:58.114492Z",
          end_time: "2022-04-29T18:52:58.114631Z",
          status: {status_code: "UNSET"},
          attributes: {"openinference.span.kind": kind},
          events: [],
          links: [],
          resource: {attributes: {"service.name": "rag"}, schema_url: ""}
        },
        null,
        4
      );
    db = await ingest({
      "console.json": `${span("0x051581bf3cb55c13", null, "query", "CHAIN")}\n${span("0x93564f51e1abe1c2", "0x051581bf3cb55c13", "retrieve", "RETRIEVER")}\n`
    });
    expect(
      await db.query(
        `SELECT trace_id, span_id, parent_span_id, name, kind, duration_ms, source_line FROM spans ORDER BY source_line`
      )
    ).toEqual([
      {
        trace_id: "5b8aa5a2d2c872e8321cf37308d69df2",
        span_id: "051581bf3cb55c13",
        parent_span_id: null,
        name: "query",
        kind: "chain",
        duration_ms: 0.139,
        source_line: 5
      },
      {
        trace_id: "5b8aa5a2d2c872e8321cf37308d69df2",
        span_id: "93564f51e1abe1c2",
        parent_span_id: "051581bf3cb55c13",
        name: "retrieve",
        kind: "retrieval",
        duration_ms: 0.139,
        source_line: 31
      }
    ]);
  });

  test("maps the real OpenInference attribute maps exactly as their OTel GenAI twin: the requested model (llm.invocation_parameters) as model, the snapshot as response_model", async () => {
    const defaults = {start_time: "2026-11-20T10:00:00Z", duration_ms: 900};
    db = await ingest(
      {
        "oi/tool_calls.json": realFixture("openinference/openinference_client_span_tool_calls.json"),
        "oi/io_only.json": realFixture("openinference/openinference_client_span_input_output_only.json"),
        "genai/tool_calls.json": realFixture("otel-genai/otel_genai_client_span_tool_calls.json")
      },
      {sources: [{path: "**/*.json", defaults}]}
    );
    expect(
      await db.query(
        `SELECT source_file, source_format, kind, model, response_model, provider, input_tokens, output_tokens, finish_reason, output_excerpt FROM spans ORDER BY source_file`
      )
    ).toEqual([
      {
        source_file: "genai/tool_calls.json",
        source_format: "otlp-json",
        kind: "llm",
        model: "gpt-4",
        response_model: "gpt-4-0613",
        provider: "openai",
        input_tokens: 97,
        output_tokens: 52,
        finish_reason: "stop",
        output_excerpt: "The weather in Paris is currently rainy with a temperature of 57°F."
      },
      {
        source_file: "oi/io_only.json",
        source_format: "openinference",
        kind: "llm",
        model: "gpt-4",
        response_model: "gpt-4-0613",
        provider: "openai",
        input_tokens: 97,
        output_tokens: 52,
        finish_reason: "stop",
        output_excerpt: "The weather in Paris is currently rainy with a temperature of 57°F."
      },
      {
        source_file: "oi/tool_calls.json",
        source_format: "openinference",
        kind: "llm",
        model: "gpt-4",
        response_model: "gpt-4-0613",
        provider: "openai",
        input_tokens: 97,
        output_tokens: 52,
        finish_reason: "stop",
        output_excerpt: "The weather in Paris is currently rainy with a temperature of 57°F."
      }
    ]);
    expect(await quarantine(db)).toEqual([]);
  });

  test("quarantines a span without start or end, and a span ending before it starts, naming the field", async () => {
    db = await ingest({
      "phoenix.jsonl": jsonl(
        phoenixSpan({end_time: undefined}),
        phoenixSpan({context: {trace_id: "t2", span_id: "s2"}, end_time: "2026-11-20T11:59:59Z"})
      )
    });
    expect(await quarantine(db)).toEqual([
      {source_file: "phoenix.jsonl", line: 1, field: "duration_ms", reason: "duration_ms: missing required field"},
      {source_file: "phoenix.jsonl", line: 2, field: "duration_ms", reason: 'duration_ms: expected ≥ 0, got "-1000.25"'}
    ]);
  });
});

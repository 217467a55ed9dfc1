import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

const columns = `trace_id, span_id, parent_span_id, name, kind, start_time, duration_ms, feature, segment, model, provider,
  input_tokens, output_tokens, cost_usd, cost_source, status, finish_reason, error_message, source_format, source_line`;
const quarantine = (d: Database) =>
  d.query(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);
const attr = (key: string, value: Record<string, unknown>) => ({key, value});

describe("otlp-json adapter", () => {
  test("reads the real @opentelemetry/instrumentation-openai export span by span", async () => {
    db = await ingest(
      {"traces.otlp.json": realFixture("otel-genai/instrumentation-openai.otlp.json")},
      {
        prices: [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}]
      }
    );
    const [{n, llm, chains, errors}] = await db.query<Record<string, number>>(`SELECT count(*)::INTEGER n,
      count(*) FILTER (kind = 'llm')::INTEGER llm, count(*) FILTER (kind = 'chain')::INTEGER chains, count(*) FILTER (status = 'error')::INTEGER errors FROM spans`);
    expect({n, llm, chains, errors}).toEqual({n: 48, llm: 24, chains: 24, errors: 2});
    const rows = await db.query(
      `SELECT ${columns} FROM spans WHERE span_id IN ('817b1305cff893a4', 'e5fb4e9be63f2a02', '1c69ab4f4f706792', '50894dafd0964be9') ORDER BY start_time, span_id`
    );
    expect(rows).toEqual([
      {
        trace_id: "3a5d8473a0d6bcf99f12c60b9ca97f46",
        span_id: "e5fb4e9be63f2a02",
        parent_span_id: null,
        name: "support-chat",
        kind: "chain",
        start_time: "2026-11-22T05:26:47.368Z",
        duration_ms: 48.279441,
        feature: "ticket-summary",
        segment: "enterprise",
        model: null,
        provider: null,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "unset",
        finish_reason: null,
        error_message: null,
        source_format: "otlp-json",
        source_line: 1
      },
      {
        trace_id: "3a5d8473a0d6bcf99f12c60b9ca97f46",
        span_id: "817b1305cff893a4",
        parent_span_id: "e5fb4e9be63f2a02",
        name: "chat gpt-4.1",
        kind: "llm",
        start_time: "2026-11-22T05:26:47.369Z",
        duration_ms: 46.874016,
        feature: null,
        segment: null,
        model: "gpt-4.1",
        provider: "openai",
        input_tokens: 117,
        output_tokens: 73,
        cost_usd: (117 * 2 + 73 * 8) / 1e6,
        cost_source: "computed",
        status: "unset",
        finish_reason: "stop",
        error_message: null,
        source_format: "otlp-json",
        source_line: 1
      },
      {
        trace_id: "fffe77d435dae65221b405d79a0b391c",
        span_id: "1c69ab4f4f706792",
        parent_span_id: "f6fde900e3181008",
        name: "chat gpt-4.1-mini",
        kind: "llm",
        start_time: "2026-11-22T05:26:47.712Z",
        duration_ms: 2.774446,
        feature: null,
        segment: null,
        model: "gpt-4.1-mini",
        provider: "openai",
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "error",
        finish_reason: null,
        error_message: "500 upstream overloaded",
        source_format: "otlp-json",
        source_line: 1
      },
      {
        trace_id: "d77ffc912d85faecf3e4ec1274af9955",
        span_id: "50894dafd0964be9",
        parent_span_id: "1305f2548ca57d28",
        name: "chat gpt-4.1",
        kind: "llm",
        start_time: "2026-11-22T05:26:47.823Z",
        duration_ms: 49.032844,
        feature: null,
        segment: null,
        model: "gpt-4.1",
        provider: "openai",
        input_tokens: 161,
        output_tokens: 109,
        cost_usd: (161 * 2 + 109 * 8) / 1e6,
        cost_source: "computed",
        status: "unset",
        finish_reason: "content_filter",
        error_message: null,
        source_format: "otlp-json",
        source_line: 1
      }
    ]);
    expect(
      await db.query(
        `SELECT finish_reason, count(*)::INTEGER n FROM spans WHERE kind = 'llm' GROUP BY ALL ORDER BY 1 NULLS LAST`
      )
    ).toEqual([
      {finish_reason: "content_filter", n: 1},
      {finish_reason: "length", n: 3},
      {finish_reason: "stop", n: 18},
      {finish_reason: null, n: 2}
    ]);
    expect(await quarantine(db)).toEqual([]);
  });

  test("keeps nanosecond timestamps exact: start to the microsecond, duration from integer nanoseconds", async () => {
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "0af7651916cd43dd8448eb211c80319c",
                  spanId: "b7ad6b7169203331",
                  name: "chat",
                  startTimeUnixNano: "1795325207369123456",
                  endTimeUnixNano: "1795325207369124457",
                  attributes: [attr("gen_ai.operation.name", {stringValue: "chat"})]
                }
              ]
            }
          ]
        }
      ]
    };
    db = await ingest({"t.json": JSON.stringify(request)});
    const [{start_us, duration_ms}] = await db.query<{start_us: number; duration_ms: number}>(
      `SELECT epoch_us(start_time)::BIGINT start_us, duration_ms FROM spans`
    );
    expect(start_us).toBe(1795325207369123);
    expect(duration_ms).toBe(0.001001);
  });

  test("reads the collector's JSON Lines, deprecated GenAI names, snake_case keys and base64 ids; a bad line is one quarantined record", async () => {
    const line1 = {
      resourceSpans: [
        {
          resource: {attributes: [attr("app.feature", {stringValue: "support-chat"})]},
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "AAECAwQFBgcICQoLDA0ODw==",
                  spanId: "AAECAwQFBgc=",
                  name: "chat gpt-4.1",
                  startTimeUnixNano: "1795325207000000000",
                  endTimeUnixNano: "1795325208500000000",
                  status: {code: "STATUS_CODE_ERROR", message: "boom"},
                  attributes: [
                    attr("gen_ai.system", {stringValue: "openai"}),
                    attr("gen_ai.request.model", {stringValue: "gpt-4.1"}),
                    attr("gen_ai.usage.prompt_tokens", {intValue: "1200"}),
                    attr("gen_ai.usage.completion_tokens", {intValue: 30})
                  ]
                }
              ]
            }
          ]
        }
      ]
    };
    const line3 = {
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: "0af7651916cd43dd8448eb211c80319c",
                  span_id: "00f067aa0ba902b7",
                  name: "chat",
                  start_time_unix_nano: 1795325207000000000,
                  end_time_unix_nano: 1795325207250000000,
                  attributes: [
                    attr("gen_ai.provider.name", {string_value: "anthropic"}),
                    attr("gen_ai.operation.name", {string_value: "chat"}),
                    attr("gen_ai.response.finish_reasons", {array_value: {values: [{string_value: "max_tokens"}]}})
                  ]
                },
                {
                  trace_id: "0af7651916cd43dd8448eb211c80319c",
                  span_id: "00f067aa0ba902b8",
                  name: "no start",
                  end_time_unix_nano: 1795325207250000000
                }
              ]
            }
          ]
        }
      ]
    };
    db = await ingest({
      "collector.jsonl": [JSON.stringify(line1), '{"resourceSpans": [', JSON.stringify(line3)].join("\n") + "\n"
    });
    expect(
      await db.query(
        `SELECT trace_id, span_id, kind, feature, provider, model, input_tokens, output_tokens, status, error_message, finish_reason, duration_ms, source_line FROM spans ORDER BY source_line, span_id`
      )
    ).toEqual([
      {
        trace_id: "000102030405060708090a0b0c0d0e0f",
        span_id: "0001020304050607",
        kind: "llm",
        feature: "support-chat",
        provider: "openai",
        model: "gpt-4.1",
        input_tokens: 1200,
        output_tokens: 30,
        status: "error",
        error_message: "boom",
        finish_reason: null,
        duration_ms: 1500,
        source_line: 1
      },
      {
        trace_id: "0af7651916cd43dd8448eb211c80319c",
        span_id: "00f067aa0ba902b7",
        kind: "llm",
        feature: null,
        provider: "anthropic",
        model: null,
        input_tokens: null,
        output_tokens: null,
        status: "unset",
        error_message: null,
        finish_reason: "length",
        duration_ms: 250,
        source_line: 3
      }
    ]);
    expect(await quarantine(db)).toEqual([
      {
        source_file: "collector.jsonl",
        line: 2,
        field: null,
        reason: expect.stringMatching(/^malformed JSON starting at line 2: /)
      },
      {
        source_file: "collector.jsonl",
        line: 3,
        field: "start_time",
        reason: "start_time: missing required field; duration_ms: missing required field"
      }
    ]);
  });

  test("reads Phoenix's otlpv1 span list and the older instrumentationLibrarySpans nesting", async () => {
    const phoenix = {
      data: [
        {
          trace_id: "0af7651916cd43dd8448eb211c80319c",
          span_id: "b7ad6b7169203331",
          parent_span_id: null,
          name: "ChatCompletion",
          start_time_unix_nano: 1795325207000000000,
          end_time_unix_nano: 1795325207500000000,
          attributes: [
            attr("openinference.span.kind", {string_value: "LLM"}),
            attr("llm.model_name", {string_value: "gpt-4.1"}),
            attr("llm.token_count.prompt", {int_value: 12})
          ],
          status: {code: 1}
        }
      ],
      next_cursor: null
    };
    const legacy = {
      resourceSpans: [
        {
          instrumentationLibrarySpans: [
            {
              spans: [
                {
                  traceId: "1af7651916cd43dd8448eb211c80319c",
                  spanId: "c7ad6b7169203331",
                  name: "retrieve",
                  startTimeUnixNano: "1795325207000000000",
                  endTimeUnixNano: "1795325207020000000",
                  attributes: [attr("openinference.span.kind", {stringValue: "RETRIEVER"})]
                }
              ]
            }
          ]
        }
      ]
    };
    db = await ingest({"phoenix.json": JSON.stringify(phoenix), "legacy.json": JSON.stringify(legacy)});
    expect(
      await db.query(
        `SELECT source_file, kind, model, input_tokens, duration_ms, status FROM spans ORDER BY source_file`
      )
    ).toEqual([
      {
        source_file: "legacy.json",
        kind: "retrieval",
        model: null,
        input_tokens: null,
        duration_ms: 20,
        status: "unset"
      },
      {source_file: "phoenix.json", kind: "llm", model: "gpt-4.1", input_tokens: 12, duration_ms: 500, status: "ok"}
    ]);
  });

  test("reads OTel-JS ReadableSpan arrays (the Vercel AI SDK fixture): [seconds, nanoseconds] times, ai.* and gen_ai.* attributes", async () => {
    db = await ingest({"vercel.json": realFixture("otel-genai/all-spans.json")});
    expect(
      await db.query(
        `SELECT name, kind, start_time, duration_ms, model, provider, input_tokens, output_tokens, finish_reason, source_line FROM spans ORDER BY source_line`
      )
    ).toEqual([
      {
        name: "ai.generateText.doGenerate",
        kind: "llm",
        start_time: "2026-02-03T15:19:52.242Z",
        duration_ms: 1779.415667,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 14,
        output_tokens: 20,
        finish_reason: "stop",
        source_line: 6
      },
      {
        name: "ai.generateText",
        kind: "chain",
        start_time: "2026-02-03T15:19:52.241Z",
        duration_ms: 1781.541,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 14,
        output_tokens: 20,
        finish_reason: "stop",
        source_line: 55
      },
      {
        name: "ai.generateText.doGenerate",
        kind: "llm",
        start_time: "2026-02-03T15:19:54.023Z",
        duration_ms: 3034.285833,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 50,
        output_tokens: 9,
        finish_reason: "stop",
        source_line: 92
      },
      {
        name: "ai.generateText",
        kind: "chain",
        start_time: "2026-02-03T15:19:54.023Z",
        duration_ms: 3034.733667,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 50,
        output_tokens: 9,
        finish_reason: "stop",
        source_line: 140
      },
      {
        name: "ai.generateObject.doGenerate",
        kind: "llm",
        start_time: "2026-02-03T15:19:57.066Z",
        duration_ms: 3519.812667,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 63,
        output_tokens: 156,
        finish_reason: "stop",
        source_line: 176
      },
      {
        name: "ai.generateObject",
        kind: "chain",
        start_time: "2026-02-03T15:19:57.065Z",
        duration_ms: 3523.601792,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 63,
        output_tokens: 156,
        finish_reason: "stop",
        source_line: 224
      },
      {
        name: "ai.streamText.doStream",
        kind: "llm",
        start_time: "2026-02-03T15:20:00.598Z",
        duration_ms: 5386.307375,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 15,
        output_tokens: 112,
        finish_reason: "stop",
        source_line: 262
      },
      {
        name: "ai.streamText",
        kind: "chain",
        start_time: "2026-02-03T15:20:00.594Z",
        duration_ms: 5392.741708,
        model: "gpt-4o-mini",
        provider: "openai.responses",
        input_tokens: 15,
        output_tokens: 112,
        finish_reason: "stop",
        source_line: 334
      },
      {
        name: "ai.embed.doEmbed",
        kind: "embedding",
        start_time: "2026-02-03T15:20:06.016Z",
        duration_ms: 253.719584,
        model: "text-embedding-3-small",
        provider: "openai.embedding",
        input_tokens: null,
        output_tokens: null,
        finish_reason: null,
        source_line: 372
      },
      {
        name: "ai.embed",
        kind: "chain",
        start_time: "2026-02-03T15:20:06.015Z",
        duration_ms: 254.932417,
        model: "text-embedding-3-small",
        provider: "openai.embedding",
        input_tokens: null,
        output_tokens: null,
        finish_reason: null,
        source_line: 409
      }
    ]);
  });

  test("reads a bare GenAI attribute map when the config dates it, and quarantines it with the fix when not", async () => {
    const map = realFixture("otel-genai/otel_genai_client_span_tool_calls.json");
    db = await ingest({"genai.json": map});
    expect(await db.query(`SELECT count(*)::INTEGER n FROM spans`)).toEqual([{n: 0}]);
    expect(await quarantine(db)).toEqual([
      {
        source_file: "genai.json",
        line: 1,
        field: null,
        reason:
          "an attribute map without trace, span or times: give start_time and duration_ms under sources[].defaults in workbench.config.json to read it"
      }
    ]);
    db.close();
    db = await ingest(
      {"genai.json": map},
      {
        sources: [
          {path: "genai.json", defaults: {start_time: "2026-11-20T10:00:00Z", duration_ms: 900, feature: "weather"}}
        ]
      }
    );
    expect(
      await db.query(
        `SELECT trace_id, span_id, name, kind, start_time, duration_ms, feature, model, provider, input_tokens, output_tokens, finish_reason, output_excerpt FROM spans`
      )
    ).toEqual([
      {
        trace_id: "genai.json#1",
        span_id: "1",
        name: "llm gpt-4",
        kind: "llm",
        start_time: "2026-11-20T10:00:00.000Z",
        duration_ms: 900,
        feature: "weather",
        model: "gpt-4",
        provider: "openai",
        input_tokens: 97,
        output_tokens: 52,
        finish_reason: "stop",
        output_excerpt: "The weather in Paris is currently rainy with a temperature of 57°F."
      }
    ]);
  });
});

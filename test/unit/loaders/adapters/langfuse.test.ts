import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

describe("langfuse adapter", () => {
  test("maps observations to spans: the type names the kind, usage and cost as Langfuse reported them", async () => {
    db = await ingest({"agents.json": realFixture("langfuse/openai-agents-2025-09-30.trace.json")});
    expect(
      await db.query(
        `SELECT span_id, parent_span_id, name, kind, start_time, duration_ms, feature, model, input_tokens, output_tokens, cost_usd, cost_source, status, output_excerpt FROM spans ORDER BY start_time, span_id`
      )
    ).toEqual([
      {
        span_id: "d950b668796240b5",
        parent_span_id: "e5a76f27f51ad40e",
        name: "Hello world",
        kind: "agent",
        start_time: "2025-09-30T09:03:59.962Z",
        duration_ms: 2190,
        feature: "Agent workflow",
        model: null,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "unset",
        output_excerpt: null
      },
      {
        span_id: "e5a76f27f51ad40e",
        parent_span_id: null,
        name: "Agent workflow",
        kind: "agent",
        start_time: "2025-09-30T09:03:59.962Z",
        duration_ms: 2190,
        feature: "Agent workflow",
        model: null,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "unset",
        output_excerpt: null
      },
      {
        span_id: "98870087af69bf06",
        parent_span_id: "d950b668796240b5",
        name: "response",
        kind: "llm",
        start_time: "2025-09-30T09:03:59.963Z",
        duration_ms: 1036,
        feature: "Agent workflow",
        model: "gpt-4.1-2025-04-14",
        input_tokens: 55,
        output_tokens: 15,
        cost_usd: 0.00023,
        cost_source: "reported",
        status: "unset",
        output_excerpt: expect.stringMatching(/^\{"id":"resp_0f00ca5b7e22bb4c0068db9d000be4819d824c447c54b65bc1"/)
      },
      {
        span_id: "5b99c3e3411ed17b",
        parent_span_id: "d950b668796240b5",
        name: "get_weather",
        kind: "tool",
        start_time: "2025-09-30T09:04:01.000Z",
        duration_ms: 0,
        feature: "Agent workflow",
        model: null,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        cost_source: null,
        status: "unset",
        output_excerpt: "The weather in Tokyo is sunny."
      },
      {
        span_id: "90d94774e8e3724d",
        parent_span_id: "d950b668796240b5",
        name: "response",
        kind: "llm",
        start_time: "2025-09-30T09:04:01.001Z",
        duration_ms: 1150,
        feature: "Agent workflow",
        model: "gpt-4.1-2025-04-14",
        input_tokens: 85,
        output_tokens: 29,
        cost_usd: 0.000402,
        cost_source: "reported",
        status: "unset",
        output_excerpt:
          "The weather in Tokyo is currently sunny. If you need more details like temperature or forecast for the upcoming days, just let me know!"
      }
    ]);
  });

  test("a SPAN that repeats its generation's token usage stays a span, so a request's tokens are not counted twice", async () => {
    db = await ingest({"pydantic.json": realFixture("human-feedback/pydantic-ai-2025-06-06.trace.json")});
    expect(
      await db.query(`SELECT name, kind, input_tokens, output_tokens, model FROM spans ORDER BY start_time, name`)
    ).toEqual([
      {name: "chat gpt-4o", kind: "llm", input_tokens: 31, output_tokens: 96, model: "gpt-4o"},
      {name: "pydantic-ai-qa-trace", kind: "chain", input_tokens: null, output_tokens: null, model: null},
      {name: "qa_agent run", kind: "unknown", input_tokens: 31, output_tokens: 96, model: null}
    ]);
  });

  test("turns the CORRECTION score into a corrections row (accepted: the person kept the output word for word)", async () => {
    db = await ingest(
      {"pydantic.json": realFixture("human-feedback/pydantic-ai-2025-06-06.trace.json")},
      {privacy: {redact_free_text: true, excerpt_chars: 40}}
    );
    expect(
      await db.query(
        `SELECT event_id, "at", feature, model, trace_id, action, edit_distance, original_text, edited_text, source_format FROM corrections`
      )
    ).toEqual([
      {
        event_id: "9c7e9644-912b-46c5-9a1a-859c1724695c",
        at: "2026-03-05T09:13:54.218Z",
        feature: "pydantic-ai-qa-trace",
        model: "gpt-4o",
        trace_id: "25f4bdeebaab60e6e1bee7e8469554bc",
        action: "accepted",
        edit_distance: 0,
        original_text: "Langfuse is a tool designed for observab…",
        edited_text: "Langfuse is a tool designed for observab…",
        source_format: "langfuse"
      }
    ]);
    expect(
      await db.query(
        `SELECT file, table_name, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY table_name`
      )
    ).toEqual([
      {file: "pydantic.json", table_name: "corrections", rows_in: 1, rows_accepted: 1, rows_quarantined: 0},
      {file: "pydantic.json", table_name: "spans", rows_in: 3, rows_accepted: 3, rows_quarantined: 0}
    ]);
  });

  test("a corrected text that differs is an edit, with its distance computed at ingest", async () => {
    const trace = JSON.parse(realFixture("human-feedback/pydantic-ai-2025-06-06.trace.json"));
    trace.trace.corrections[0].longStringValue = "Langfuse is an open-source LLM observability tool.";
    trace.trace.metadata = JSON.stringify({"app.feature": "docs-qa", "user.segment": "enterprise"});
    db = await ingest({"edited.json": JSON.stringify(trace)});
    const [row] = await db.query<{action: string; feature: string; segment: string; edit_distance: number}>(
      `SELECT action, feature, segment, edit_distance FROM corrections`
    );
    expect(row).toMatchObject({action: "edited", feature: "docs-qa", segment: "enterprise"});
    expect(row.edit_distance).toBeGreaterThan(0.8);
    expect(await db.query(`SELECT DISTINCT feature FROM spans`)).toEqual([{feature: "docs-qa"}]);
  });
});

// A workspace of every real trace fixture, shared by the production integration and browser tests.
import {tempWorkspace} from "../helpers.js";
import {realFixture} from "../realFixtures.js";

/** The workspace the browser test builds too: every real trace fixture, and a config that prices the OTLP models and dates the bare attribute maps. */
export function realTraceWorkspace(): string {
  return tempWorkspace({
    "otel/instrumentation-openai.otlp.json": realFixture("otel-genai/instrumentation-openai.otlp.json"),
    "otel/vercel-ai-sdk.json": realFixture("otel-genai/all-spans.json"),
    "maps/genai-tool-calls.json": realFixture("otel-genai/otel_genai_client_span_tool_calls.json"),
    "maps/openinference-tool-calls.json": realFixture("openinference/openinference_client_span_tool_calls.json"),
    "maps/openinference-io-only.json": realFixture("openinference/openinference_client_span_input_output_only.json"),
    "langfuse/openai-agents.json": realFixture("langfuse/openai-agents-2025-09-30.trace.json"),
    "langfuse/claude-agent.json": realFixture("langfuse/claude-agent-2025-12-22.trace.json"),
    "langfuse/pydantic-ai.json": realFixture("human-feedback/pydantic-ai-2025-06-06.trace.json"),
    "workbench.config.json": JSON.stringify({
      prices: [
        {model: "gpt-4.1", provider: "openai", input_per_mtok: 2, output_per_mtok: 8},
        {model: "gpt-4.1-mini", provider: "openai", input_per_mtok: 0.4, output_per_mtok: 1.6}
      ],
      sources: [
        {path: "maps/*.json", defaults: {start_time: "2026-11-20T10:00:00Z", duration_ms: 1500, feature: "weather-bot"}}
      ]
    })
  });
}

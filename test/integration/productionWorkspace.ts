// A workspace of every real trace fixture, shared by the production integration and browser tests.
import {rmSync} from "node:fs";
import {warehousePath} from "../../loaders/warehouse/warehouse.js";
import {resolveWorkspace} from "../../loaders/workspace/config.js";
import {tempWorkspace} from "../helpers.js";
import {real} from "../unit/production/realFixtures.js";

/** The workspace the browser test builds too: every real trace fixture, and a config that prices the OTLP models and dates the bare attribute maps. */
export function realTraceWorkspace(): string {
  return tempWorkspace({
    "otel/instrumentation-openai.otlp.json": real("otel-genai/instrumentation-openai.otlp.json"),
    "otel/vercel-ai-sdk.json": real("otel-genai/all-spans.json"),
    "maps/genai-tool-calls.json": real("otel-genai/otel_genai_client_span_tool_calls.json"),
    "maps/openinference-tool-calls.json": real("openinference/openinference_client_span_tool_calls.json"),
    "maps/openinference-io-only.json": real("openinference/openinference_client_span_input_output_only.json"),
    "langfuse/openai-agents.json": real("langfuse/openai-agents-2025-09-30.trace.json"),
    "langfuse/claude-agent.json": real("langfuse/claude-agent-2025-12-22.trace.json"),
    "langfuse/pydantic-ai.json": real("human-feedback/pydantic-ai-2025-06-06.trace.json"),
    "workbench.config.json": JSON.stringify({
      prices: [{model: "gpt-4.1", provider: "openai", input_per_mtok: 2, output_per_mtok: 8}, {model: "gpt-4.1-mini", provider: "openai", input_per_mtok: 0.4, output_per_mtok: 1.6}],
      sources: [{path: "maps/*.json", defaults: {start_time: "2026-11-20T10:00:00Z", duration_ms: 1500, feature: "weather-bot"}}],
    }),
  });
}


/** Removes the warehouse a build or a loader made for a temporary workspace under .workbench/. */
export function removeWarehouse(workspace: string): void {
  const path = warehousePath(resolveWorkspace({WORKBENCH_WORKSPACE: workspace}));
  for (const file of [path, `${path}.fingerprint`, `${path}.wal`]) rmSync(file, {force: true});
}

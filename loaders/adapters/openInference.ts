// OpenInference spans as Arize Phoenix exports them: the REST API's {data: [span…]} (context,
// span_kind, parent_id, ISO start_time/end_time, status_code, flat attributes), the same objects as
// an array or one per line, spans_dataframe rows written with to_json (flat "context.trace_id" and
// "attributes.llm.model_name" keys), and the OpenTelemetry Python SDK's span.to_json(). A bare
// attribute map (what an instrumentor's test fixture holds) has no trace, span or time: it is
// read when the config's sources[].defaults give start_time and duration_ms, else quarantined.
import type {Adapter} from "./adapter.js";
import {isObject, jsonValues, LineLocator, type JsonObject, type JsonValue} from "./jsonValues.js";
import {statusOf} from "./otlpJson.js";
import {attributeMapRecord, spanRecord, type SpanInput} from "./spanRecords.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {spans} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

const openInferenceKinds: Readonly<Record<string, string>> = {
  LLM: "llm",
  CHAIN: "chain",
  TOOL: "tool",
  RETRIEVER: "retrieval",
  EMBEDDING: "embedding",
  AGENT: "agent",
  RERANKER: "reranker",
  GUARDRAIL: "guardrail",
  EVALUATOR: "evaluator"
};

/** Phoenix's dataframe rows flatten nested keys with dots; put context and attributes back together. */
function unflattenRow(row: JsonObject): JsonObject {
  if (!Object.keys(row).some((k) => k.startsWith("context.") || k.startsWith("attributes."))) return row;
  const out: JsonObject = {context: {}, attributes: {}};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith("context.")) (out.context as JsonObject)[key.slice(8)] = value;
    else if (key.startsWith("attributes.")) (out.attributes as JsonObject)[key.slice(11)] = value;
    else out[key] = value;
  }
  return out;
}

/** Times arrive as ISO strings, or as epoch numbers from to_json (milliseconds unless told otherwise by their size). */
function isoTime(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const ms = value > 1e17 ? value / 1e6 : value > 1e14 ? value / 1e3 : value > 1e11 ? value : value * 1000;
  return new Date(ms).toISOString();
}

const isSpanObject = (o: JsonObject) => isObject(o.context) && ("trace_id" in o.context || "span_id" in o.context);

function phoenixSpan(row: JsonObject, locator: LineLocator): SpanInput {
  const span = unflattenRow(row);
  const context = span.context as JsonObject;
  const attributes = isObject(span.attributes) ? span.attributes : {};
  const status = isObject(span.status) ? span.status : {};
  const kindName = String(span.span_kind ?? attributes["openinference.span.kind"] ?? "").toUpperCase();
  return {
    line: locator.lineOf(
      typeof context.span_id === "string" ? context.span_id : undefined,
      "context.span_id" in row ? "context.span_id" : "span_id"
    ),
    raw: JSON.stringify(row),
    traceId: context.trace_id,
    spanId: context.span_id,
    parentSpanId: span.parent_id,
    name: span.name,
    start: isoTime(span.start_time),
    end: isoTime(span.end_time),
    status: statusOf(span.status_code ?? status.status_code),
    statusMessage: span.status_message ?? status.description,
    attributes,
    kind: openInferenceKinds[kindName]
  };
}

function* valueRecords(v: JsonValue, file: WorkspaceFile, counter: {n: number}): Generator<StagedRecord> {
  if (v.error) {
    yield {line: v.line, raw: v.text, values: {}, error: v.error};
    return;
  }
  const locator = new LineLocator(v.text, v.line);
  const items = Array.isArray(v.value)
    ? v.value
    : isObject(v.value) && Array.isArray(v.value.data)
      ? v.value.data
      : [v.value];
  for (const item of items) {
    if (!isObject(item)) continue;
    const row = unflattenRow(item);
    if (isSpanObject(row)) yield spanRecord(phoenixSpan(item, locator), file.source);
    else if (isAttributeMap(item)) yield attributeMapRecord(item, ++counter.n, v.line, file);
  }
}

const isAttributeMap = (o: JsonObject) => "openinference.span.kind" in o || "llm.model_name" in o;

async function* records(file: WorkspaceFile): AsyncGenerator<StagedRecord> {
  const counter = {n: 0};
  for await (const v of jsonValues(file.path)) yield* valueRecords(v, file, counter);
}

export const openInference: Adapter = {
  name: "openinference",
  description:
    "OpenInference spans exported from Arize Phoenix (REST {data: [...]}, span JSON or JSON Lines, spans dataframe rows) or the OTel Python SDK's span.to_json()",
  tables: ["spans"],
  detect: (file) =>
    /\.(json|jsonl|ndjson)$/i.test(file.name) &&
    (/"openinference\.span\.kind"\s*:/.test(file.head) ||
      /"context"\s*:\s*\{\s*"trace_id"\s*:/.test(file.head) ||
      /"context\.trace_id"\s*:/.test(file.head)),
  async stage(ctx, file) {
    await stageRecords(ctx, spans, file, openInference.name, records(file));
  }
};

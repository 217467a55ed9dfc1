// Langfuse trace exports: {trace, observations} as the UI downloads a trace, or a trace object with
// its observations and scores embedded (public API), one per file, in an array, {data: [...]} or
// one per line. Observations become spans (their type names the kind; the OpenTelemetry attributes
// Langfuse keeps in metadata fill in the rest). A CORRECTION score (a person's corrected output)
// becomes a corrections row: edited when the text differs from the output, accepted when not.
// Model-graded EVAL scores are a grader's opinion, not a user's action, and are not read.
import type {Adapter} from "./adapter.js";
import {isObject, jsonValues, LineLocator, type JsonObject, type JsonValue} from "./jsonValues.js";
import {finishReason, messageText as outputText, namedKind} from "./spanAttributes.js";
import {spanRecord, type SpanInput} from "./spanRecords.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {corrections, spans} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

const observationKinds: Readonly<Record<string, string>> = {
  GENERATION: "llm",
  EMBEDDING: "embedding",
  TOOL: "tool",
  AGENT: "agent",
  RETRIEVER: "retrieval",
  CHAIN: "chain",
  EVALUATOR: "evaluator",
  GUARDRAIL: "guardrail"
};

interface Trace {
  trace: JsonObject;
  observations: JsonObject[];
  locator: LineLocator;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseJson(value: unknown): any {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Langfuse keeps the span's OpenTelemetry attributes (and the resource's) in metadata, as a JSON string. */
function otelAttributes(metadata: unknown): Record<string, unknown> {
  const m = parseJson(metadata);
  if (!isObject(m)) return {};
  return {
    ...(isObject(m.resourceAttributes) ? m.resourceAttributes : {}),
    ...(isObject(m.attributes) ? m.attributes : {}),
    ...appKeys(m)
  };
}

/** app.* keys set as plain trace or observation metadata. */
function appKeys(m: JsonObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith("app.") || k === "user.segment"));
}

function outputFinishReason(value: unknown): string | undefined {
  const v = parseJson(value);
  if (!isObject(v)) return undefined;
  const incomplete = isObject(v.incomplete_details) ? v.incomplete_details.reason : undefined;
  const choice = Array.isArray(v.choices) && isObject(v.choices[0]) ? v.choices[0].finish_reason : undefined;
  return finishReason(v.finish_reason ?? v.stop_reason ?? choice ?? incomplete);
}

const durationMs = (o: JsonObject): number | undefined => {
  const start = typeof o.startTime === "string" ? Date.parse(o.startTime) : NaN;
  const end = typeof o.endTime === "string" ? Date.parse(o.endTime) : NaN;
  if (!Number.isNaN(start) && !Number.isNaN(end)) return undefined; // computed from the timestamps
  return typeof o.latency === "number" ? o.latency * 1000 : undefined;
};

function traceMetadata(trace: JsonObject): Record<string, unknown> {
  return otelAttributes(trace.metadata);
}

/** The feature: app.feature where the app set one, else the config default, else the trace's name. */
function featureOf(trace: JsonObject, file: WorkspaceFile): unknown {
  return traceMetadata(trace)["app.feature"] ?? file.source?.defaults?.feature ?? trace.name;
}

function observationSpan(o: JsonObject, t: Trace, file: WorkspaceFile): SpanInput {
  const attributes = {...traceMetadata(t.trace), ...otelAttributes(o.metadata)};
  const usage = isObject(o.usageDetails) ? o.usageDetails : {};
  const hasCost = isObject(o.costDetails) && Object.keys(o.costDetails).length > 0;
  const failed = o.level === "ERROR";
  const promptVersion = o.promptVersion ?? undefined;
  return {
    line: t.locator.lineOf(typeof o.id === "string" ? o.id : undefined, "id"),
    raw: JSON.stringify({...o, input: undefined, output: undefined, metadata: undefined}),
    traceId: o.traceId ?? t.trace.id,
    spanId: o.id,
    parentSpanId: o.parentObservationId,
    name: o.name,
    start: typeof o.startTime === "string" ? o.startTime : undefined,
    end: typeof o.endTime === "string" ? o.endTime : undefined,
    status: failed ? "error" : "unset",
    statusMessage: o.statusMessage,
    attributes,
    // Langfuse's type is authoritative: a SPAN that repeats its generation's usage is not a second LLM call.
    kind: observationKinds[String(o.type)] ?? namedKind(attributes) ?? (o.parentObservationId ? "unknown" : "chain"),
    overrides: {
      model: o.model,
      input_tokens: usage.input,
      output_tokens: usage.output,
      cost_usd: hasCost ? o.totalCost : undefined,
      finish_reason: outputFinishReason(o.output),
      output_excerpt: o.type === "GENERATION" ? outputText(o.output) : undefined,
      prompt_version: promptVersion === undefined ? undefined : String(promptVersion),
      feature: attributes["app.feature"] ?? featureOf(t.trace, file),
      duration_ms: durationMs(o)
    }
  };
}

function generationFor(t: Trace, observationId: unknown): JsonObject | undefined {
  const generations = t.observations
    .filter((o) => o.type === "GENERATION")
    .sort((a, b) => String(a.startTime).localeCompare(String(b.startTime)));
  return generations.find((o) => o.id === observationId) ?? generations.at(-1);
}

function correctionRecord(score: JsonObject, t: Trace, file: WorkspaceFile): StagedRecord {
  const target = t.observations.find((o) => o.id === score.observationId);
  const generation = generationFor(t, score.observationId);
  const original = outputText(target?.output ?? t.trace.output) ?? outputText(generation?.output);
  const edited =
    typeof score.longStringValue === "string" && score.longStringValue !== ""
      ? score.longStringValue
      : score.stringValue;
  const metadata = traceMetadata(t.trace);
  const values: Record<string, unknown> = {
    event_id: score.id,
    at: score.timestamp ?? score.createdAt,
    feature: featureOf(t.trace, file),
    model: generation?.model,
    prompt_version:
      generation?.promptVersion === null || generation?.promptVersion === undefined
        ? undefined
        : String(generation.promptVersion),
    trace_id: score.traceId ?? t.trace.id,
    segment: metadata["user.segment"],
    category: metadata["app.category"],
    action: typeof edited !== "string" ? undefined : edited === original ? "accepted" : "edited",
    original_text: original,
    edited_text: edited,
    reason: score.comment
  };
  for (const [field, value] of Object.entries(file.source?.defaults ?? {}))
    if (values[field] === undefined || values[field] === null || values[field] === "") values[field] = value;
  return {
    line: t.locator.lineOf(typeof score.id === "string" ? score.id : undefined, "id"),
    raw: JSON.stringify({...score, longStringValue: undefined}),
    values
  };
}

function tracesOf(v: JsonValue): Trace[] {
  const items = Array.isArray(v.value)
    ? v.value
    : isObject(v.value) && Array.isArray(v.value.data)
      ? v.value.data
      : [v.value];
  const locator = new LineLocator(v.text, v.line);
  return items.filter(isObject).flatMap((item) => {
    const trace = isObject(item.trace) ? item.trace : item;
    const observations = (
      Array.isArray(item.observations) ? item.observations : Array.isArray(trace.observations) ? trace.observations : []
    ).filter(isObject);
    return trace.id === undefined ? [] : [{trace, observations, locator}];
  });
}

const correctionScores = (trace: JsonObject): JsonObject[] =>
  [
    ...(Array.isArray(trace.corrections) ? trace.corrections : []),
    ...(Array.isArray(trace.scores) ? trace.scores : [])
  ].filter((s): s is JsonObject => isObject(s) && s.dataType === "CORRECTION");

export const langfuse: Adapter = {
  name: "langfuse",
  description:
    "Langfuse trace exports ({trace, observations} or traces with embedded observations and scores); CORRECTION scores become corrections",
  tables: ["spans", "corrections"],
  detect: (file) =>
    /\.(json|jsonl|ndjson)$/i.test(file.name) &&
    /"observations"\s*:/.test(file.head) &&
    /"parentObservationId"\s*:|"projectId"\s*:/.test(file.head),
  async stage(ctx, file) {
    const spanRows: StagedRecord[] = [];
    const correctionRows: StagedRecord[] = [];
    for await (const v of jsonValues(file.path)) {
      if (v.error) {
        spanRows.push({line: v.line, raw: v.text, values: {}, error: v.error});
        continue;
      }
      for (const t of tracesOf(v)) {
        for (const o of t.observations) spanRows.push(spanRecord(observationSpan(o, t, file), file.source));
        for (const score of correctionScores(t.trace)) correctionRows.push(correctionRecord(score, t, file));
      }
    }
    await stageRecords(ctx, spans, file, langfuse.name, spanRows);
    if (correctionRows.length) await stageRecords(ctx, corrections, file, langfuse.name, correctionRows);
  }
};

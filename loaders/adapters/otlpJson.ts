// OpenTelemetry traces as JSON: OTLP ExportTraceServiceRequest documents (resourceSpans →
// scopeSpans → spans; one per file or one per line, as the collector's file exporter writes them),
// bare OTLP span lists ({data: [...]} from Phoenix's otlpv1 endpoint, snake_case keys accepted), and
// arrays of OTel-JS ReadableSpan-like objects (spanContext, [seconds, nanoseconds] times).
import type {Adapter} from "./adapter.js";
import {firstRecord, isObject, jsonValues, LineLocator, type JsonObject, type JsonValue} from "./jsonValues.js";
import {attributeMapRecord, nanoseconds, spanRecord, type SpanInput} from "./spanRecords.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {spans} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

const get = (o: JsonObject, camel: string, snake: string): unknown => o[camel] ?? o[snake];

/** An OTLP AnyValue ({stringValue}, {intValue: "42"}, {arrayValue: {values}}, …) as a plain value. */
export function anyValue(v: unknown): unknown {
  if (!isObject(v)) return v;
  for (const [camel, snake] of [
    ["stringValue", "string_value"],
    ["boolValue", "bool_value"],
    ["doubleValue", "double_value"],
    ["bytesValue", "bytes_value"]
  ]) {
    if (camel in v || snake in v) return get(v, camel, snake);
  }
  if ("intValue" in v || "int_value" in v) {
    const n = get(v, "intValue", "int_value");
    return typeof n === "string" && /^-?\d+$/.test(n) ? Number(n) : n;
  }
  const array = get(v, "arrayValue", "array_value");
  if (isObject(array)) return ((array.values as unknown[]) ?? []).map(anyValue);
  const kvlist = get(v, "kvlistValue", "kvlist_value");
  if (isObject(kvlist)) return attributeMap(kvlist.values);
  return undefined;
}

/** OTLP attributes ([{key, value}]) or an already flat map, as a flat map. */
export function attributeMap(attributes: unknown): Record<string, unknown> {
  if (Array.isArray(attributes))
    return Object.fromEntries(attributes.filter(isObject).map((kv) => [String(kv.key), anyValue(kv.value)]));
  return isObject(attributes) ? attributes : {};
}

// A Map, not an object literal: a status code named "constructor" or "__proto__" must not find Object.prototype's.
const statusNames: ReadonlyMap<string, SpanInput["status"]> = new Map(
  Object.entries({
    "0": "unset",
    "1": "ok",
    "2": "error",
    STATUS_CODE_UNSET: "unset",
    STATUS_CODE_OK: "ok",
    STATUS_CODE_ERROR: "error",
    UNSET: "unset",
    OK: "ok",
    ERROR: "error"
  } as const)
);

/** The canonical status of an OTLP status code; a code no convention names is passed on as text, so the quarantine shows it. */
export function statusOf(code: unknown): SpanInput["status"] {
  if (code === undefined || code === null) return "unset";
  return (
    statusNames.get(String(code).toUpperCase()) ??
    statusNames.get(String(code)) ??
    ((typeof code === "string" ? code : JSON.stringify(code)) as SpanInput["status"])
  );
}

/** An exception event's message, for failed spans whose status carries none. */
function exceptionMessage(events: unknown): string | undefined {
  if (!Array.isArray(events)) return undefined;
  const exception = events.find((e) => isObject(e) && e.name === "exception") as JsonObject | undefined;
  const attributes = attributeMap(exception?.attributes);
  const message = attributes["exception.message"] ?? attributes["exception.type"];
  return typeof message === "string" ? message : undefined;
}

/**
 * The feature_flag.* attributes of the span's first flag evaluation event ("feature_flag.evaluation",
 * or "feature_flag" in older conventions): OpenFeature's SpanEventHook records the flag, and so the
 * experiment's arm, there rather than on the span. The span's own attributes take precedence.
 */
function flagEventAttributes(events: unknown): Record<string, unknown> {
  if (!Array.isArray(events)) return {};
  const event = events.find(
    (e) => isObject(e) && (e.name === "feature_flag.evaluation" || e.name === "feature_flag")
  ) as JsonObject | undefined;
  return Object.fromEntries(
    Object.entries(attributeMap(event?.attributes)).filter(([key]) => key.startsWith("feature_flag."))
  );
}

function otlpSpan(span: JsonObject, inherited: Record<string, unknown>, locator: LineLocator): SpanInput {
  const traceId = get(span, "traceId", "trace_id");
  const spanId = get(span, "spanId", "span_id");
  const status = isObject(span.status) ? span.status : {};
  return {
    line: locator.lineOf(typeof spanId === "string" ? spanId : undefined, "spanId" in span ? "spanId" : "span_id"),
    raw: excerpt(span),
    traceId,
    spanId,
    parentSpanId: get(span, "parentSpanId", "parent_span_id"),
    name: span.name,
    start: nanoseconds(get(span, "startTimeUnixNano", "start_time_unix_nano")),
    end: nanoseconds(get(span, "endTimeUnixNano", "end_time_unix_nano")),
    status: statusOf(status.code),
    statusMessage: status.message || exceptionMessage(span.events),
    attributes: {...inherited, ...flagEventAttributes(span.events), ...attributeMap(span.attributes)}
  };
}

/** OTel-JS ReadableSpan (as serialized by tests and exporters of the SDK): spanContext, HrTime pairs. */
function readableSpan(span: JsonObject, locator: LineLocator): SpanInput {
  const context = isObject(span.spanContext) ? span.spanContext : {};
  const parentContext = isObject(span.parentSpanContext) ? span.parentSpanContext : {};
  const status = isObject(span.status) ? span.status : {};
  const resource = isObject(span.resource) ? attributeMap(span.resource.attributes) : {};
  return {
    line: locator.lineOf(typeof context.spanId === "string" ? context.spanId : undefined, "spanId"),
    raw: excerpt(span),
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanId ?? parentContext.spanId,
    name: span.name,
    start: nanoseconds(span.startTime),
    end: nanoseconds(span.endTime),
    status: statusOf(status.code),
    statusMessage: status.message || exceptionMessage(span.events),
    attributes: {...resource, ...attributeMap(span.attributes)}
  };
}

/** A value found where a span or a list of them belongs, which holds none: one record in, quarantined. */
interface NotASpan {
  notASpan: string;
  raw: unknown;
}

const describeValue = (v: unknown) =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "an array"
      : typeof v === "object"
        ? `an object with keys ${Object.keys(v).slice(0, 5).join(", ") || "(none)"}`
        : `a ${typeof v}`;

function* spansOf(value: unknown, locator: LineLocator, top = true): Generator<SpanInput | NotASpan> {
  if (Array.isArray(value)) {
    for (const item of value) yield* spansOf(item, locator, top);
    return;
  }
  if (!isObject(value)) {
    if (top) yield {notASpan: `${describeValue(value)}, not a span or OTLP document`, raw: value};
    return;
  }
  const resourceSpans = get(value, "resourceSpans", "resource_spans");
  if (Array.isArray(resourceSpans)) {
    for (const rs of resourceSpans) {
      const scopeSpans = isObject(rs)
        ? (get(rs, "scopeSpans", "scope_spans") ??
          get(rs, "instrumentationLibrarySpans", "instrumentation_library_spans"))
        : undefined;
      if (!isObject(rs) || !Array.isArray(scopeSpans)) {
        yield {notASpan: `resourceSpans holds ${describeValue(rs)}, not a resource with a scopeSpans list`, raw: rs};
        continue;
      }
      const resource = isObject(rs.resource) ? attributeMap(rs.resource.attributes) : {};
      for (const ss of scopeSpans) {
        if (!isObject(ss) || !Array.isArray(ss.spans)) {
          yield {notASpan: `scopeSpans holds ${describeValue(ss)}, not a scope with a spans list`, raw: ss};
          continue;
        }
        for (const span of ss.spans as unknown[]) {
          if (isObject(span)) yield otlpSpan(span, resource, locator);
          else yield {notASpan: `spans holds ${describeValue(span)}, not a span`, raw: span};
        }
      }
    }
  } else if (Array.isArray(value.data)) yield* spansOf(value.data, locator, top);
  else if (isObject(value.spanContext)) yield readableSpan(value, locator);
  else if (
    get(value, "traceId", "trace_id") !== undefined &&
    get(value, "startTimeUnixNano", "start_time_unix_nano") !== undefined
  )
    yield otlpSpan(value, {}, locator);
  else if (top && !isGenAiAttributeMap(value))
    yield {notASpan: `${describeValue(value)}, not a span or OTLP document`, raw: value};
}

async function* records(file: WorkspaceFile): AsyncGenerator<StagedRecord> {
  const counter = {n: 0};
  for await (const v of jsonValues(file.path, {exactIntegerKeys: /[A-Za-z_]*[nN]ano/}))
    yield* valueRecords(v, file, counter);
}

/** A flat map of GenAI attributes with no span around it (as instrumentation test fixtures hold). */
const isGenAiAttributeMap = (v: unknown): v is JsonObject =>
  isObject(v) && Object.keys(v).some((k) => k.startsWith("gen_ai.")) && !("traceId" in v || "spanContext" in v);

function* valueRecords(v: JsonValue, file: WorkspaceFile, counter: {n: number}): Generator<StagedRecord> {
  if (v.error) {
    yield {line: v.line, raw: v.text, values: {}, error: v.error};
    return;
  }
  const locator = new LineLocator(v.text, v.line);
  try {
    for (const span of spansOf(v.value, locator)) {
      if ("notASpan" in span)
        yield {line: locator.current(), raw: excerpt(span.raw), values: {}, error: `holds no span: ${span.notASpan}`};
      else yield deepGuard(() => spanRecord(span, file.source), span.line);
    }
    for (const map of (Array.isArray(v.value) ? v.value : [v.value]).filter(isGenAiAttributeMap))
      yield deepGuard(() => attributeMapRecord(map, ++counter.n, v.line, file), v.line);
  } catch (error) {
    // Walking a value nested thousands deep overflows the stack: that value is one bad record.
    if (!(error instanceof RangeError)) throw error;
    yield {line: v.line, raw: v.text.slice(0, 400), values: {}, error: nestingError};
  }
}

const nestingError =
  "nested too deeply to read (a stack overflow while walking it): flatten the value or split the record";

/** A record whose conversion overflows the stack (JSON.stringify of a 10k-deep attribute) becomes a quarantined record. */
function deepGuard(convert: () => StagedRecord, line: number): StagedRecord {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {line, raw: "", values: {}, error: nestingError};
  }
}

function excerpt(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 400);
  } catch {
    return String(value).slice(0, 400);
  }
}

export const otlpJson: Adapter = {
  name: "otlp-json",
  description:
    "OpenTelemetry traces as OTLP JSON (resourceSpans, a document per file or per line) or OTel-JS span arrays, with GenAI or OpenInference attributes",
  tables: ["spans"],
  detect: (file) =>
    /\.(json|jsonl|ndjson)$/i.test(file.name) &&
    (/"resource_?[sS]pans"\s*:/.test(file.head) ||
      /"start_?[tT]ime_?[uU]nix_?[nN]ano"\s*:/.test(file.head) ||
      (/^\s*\[/.test(file.head) && /"spanContext"\s*:/.test(file.head)) ||
      isGenAiAttributeMap(firstRecord(file.head))),
  async stage(ctx, file) {
    await stageRecords(ctx, spans, file, otlpJson.name, records(file));
  }
};

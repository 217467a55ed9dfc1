// The last step every trace adapter shares: one span, already read from its format, becomes the
// canonical spans record. Span identity and timing are converted here (hex or base64 ids,
// nanosecond strings, [seconds, nanoseconds] pairs), so that every format follows one rule.
import type {SourceConfig, WorkspaceFile} from "../workspace/files.js";
import type {StagedRecord} from "../warehouse/stageRecords.js";
import {spanFacts, type Attributes} from "./spanAttributes.js";

export interface SpanInput {
  line: number;
  raw: string;
  traceId: unknown;
  spanId: unknown;
  parentSpanId: unknown;
  name: unknown;
  /** Start and end as nanoseconds since the epoch, or an ISO string; a value that is neither is passed on so the quarantine shows it. */
  start: bigint | string | undefined;
  end: bigint | string | undefined;
  status: "ok" | "error" | "unset" | undefined;
  statusMessage?: unknown;
  /** Span attributes over resource attributes, flat. */
  attributes: Attributes;
  /** Set by formats that name the kind outside the attributes (Phoenix's span_kind, Langfuse's type). */
  kind?: string;
  /** Fields the format carries outside its attributes (Langfuse's model, usage and cost); they win. */
  overrides?: Record<string, unknown>;
}

/** Canonical values for one span; a root span that no convention names wraps a request: chain. */
export function spanRecord(span: SpanInput, source?: SourceConfig): StagedRecord {
  const facts = spanFacts(span.attributes);
  const parent = id(span.parentSpanId);
  const kind = span.kind ?? facts.kind ?? (parent ? "unknown" : "chain");
  const values: Record<string, unknown> = {
    ...facts,
    trace_id: id(span.traceId),
    span_id: id(span.spanId),
    parent_span_id: parent,
    name: typeof span.name === "string" ? span.name : undefined,
    kind,
    start_time: timestamp(span.start),
    duration_ms: durationMs(span.start, span.end),
    status: span.status,
    error_message: span.status === "error" ? (textOf(span.statusMessage) ?? facts.error_message) : undefined
  };
  for (const [field, value] of Object.entries(span.overrides ?? {}))
    if (value !== undefined && value !== null) values[field] = value;
  // For a trace file, a config entry's columns name the attribute a field comes from (feature ←
  // "ai.telemetry.metadata.product"); where a span lacks that attribute the usual mapping stands.
  for (const [field, key] of Object.entries(source?.columns ?? {})) {
    const value = span.attributes[key];
    if (value !== undefined && value !== null && value !== "")
      values[field] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const [field, value] of Object.entries(source?.defaults ?? {}))
    if (values[field] === undefined || values[field] === null || values[field] === "") values[field] = value;
  return {line: span.line, raw: span.raw, values};
}

const textOf = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** Trace and span ids as lowercase hex: OTLP/JSON writes hex, protobuf's JSON mapping base64, the Python SDK 0x-prefixed hex. */
export function id(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const hex = value.replace(/^0x/i, "");
  if (/^[0-9a-f]+$/i.test(hex) && (hex.length === 16 || hex.length === 32)) return hex.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && (value.length === 12 || value.length === 24)) {
    const bytes = Buffer.from(value, "base64");
    if (bytes.length === 8 || bytes.length === 16) return bytes.toString("hex");
  }
  return value;
}

/** Nanoseconds since the epoch from an OTLP string or number, or an OTel-JS [seconds, nanoseconds] pair. */
export function nanoseconds(value: unknown): bigint | string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v)))
    return BigInt(value[0]) * 1_000_000_000n + BigInt(value[1]);
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** ISO 8601 with the source's full sub-second precision (the warehouse keeps microseconds). */
export function nanosToIso(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

function timestamp(value: bigint | string | undefined): string | undefined {
  return typeof value === "bigint" ? nanosToIso(value) : value;
}

/** End − start in milliseconds, subtracted as integers so nanosecond timestamps keep their precision. */
function durationMs(start: bigint | string | undefined, end: bigint | string | undefined): number | string | undefined {
  if (start === undefined || end === undefined) return undefined;
  const a = typeof start === "bigint" ? start : isoToNanos(start);
  const b = typeof end === "bigint" ? end : isoToNanos(end);
  if (a === undefined || b === undefined) return undefined;
  return Number(b - a) / 1e6;
}

/** Nanoseconds of an ISO timestamp, keeping digits beyond the millisecond that Date.parse drops. */
export function isoToNanos(iso: string): bigint | undefined {
  // A timestamp without an offset is UTC in the workbench (as in SQL), never the machine's zone.
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /\.(\d+)/.exec(iso.replace(/[+-]\d{2}:?\d{2}$|Z$/i, ""))?.[1] ?? "";
  const extra = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, "0")) : 0n;
  return BigInt(ms) * 1_000_000n + extra;
}

/**
 * A bare attribute map (what an instrumentation's test fixture holds) is one span whose identity is
 * its place in the file: trace `<file>#<n>`, span `<n>`. It has no times, so it is read only when the
 * config's sources[].defaults give start_time and duration_ms; otherwise it is quarantined saying so.
 */
export function attributeMapRecord(map: Attributes, index: number, line: number, file: WorkspaceFile): StagedRecord {
  const model = map["gen_ai.request.model"] ?? map["llm.model_name"];
  const record = spanRecord(
    {
      line,
      raw: JSON.stringify(map),
      traceId: `${file.name}#${index}`,
      spanId: String(index),
      parentSpanId: undefined,
      name: typeof model === "string" ? `llm ${model}` : "span",
      start: undefined,
      end: undefined,
      status: "unset",
      attributes: map
    },
    file.source
  );
  const defaults = file.source?.defaults ?? {};
  if (defaults.start_time === undefined || defaults.duration_ms === undefined) {
    record.error = `an attribute map without trace, span or times: give start_time and duration_ms under sources[].defaults in workbench.config.json to read it`;
  }
  return record;
}

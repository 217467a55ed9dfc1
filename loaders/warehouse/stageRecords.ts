// Adapters that parse a format in JavaScript (CSV, promptfoo, Inspect, OTLP…) hand their mapped
// records to the same staging table the SQL path fills, so one validation serves every format.
import type {TableSpec} from "../schema/fields.js";
import type {StageContext} from "../adapters/adapter.js";
import {stageTable} from "./validate.js";

export interface StagedRecord {
  /** Line in the source file where the record starts (or the record's position for whole-file JSON). */
  line: number;
  /** Excerpt of the raw record, shown in the quarantine. */
  raw: string;
  /** Canonical field → value; unknown keys are ignored, missing ones are NULL. */
  values: Record<string, unknown>;
  /** Set when the record could not be parsed at all. */
  error?: string;
}

export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid date" : value.toISOString();
  return JSON.stringify(value);
}

export async function stageRecords(
  ctx: StageContext,
  spec: TableSpec,
  file: {name: string},
  format: string,
  records: Iterable<StagedRecord> | AsyncIterable<StagedRecord>
): Promise<number> {
  const appender = await ctx.db.connection.createAppender(stageTable(spec));
  const put = (v: string | null) => (v === null ? appender.appendNull() : appender.appendVarchar(v));
  let n = 0;
  for await (const record of records) {
    const [texts, error] = fieldTexts(spec, record);
    put(file.name);
    put(format);
    appender.appendInteger(record.line);
    put(record.raw.slice(0, 400));
    put(error);
    for (const text of texts) put(text);
    appender.endRow();
    n++;
  }
  appender.closeSync();
  ctx.staged(spec.name, n);
  return n;
}

/**
 * A record's fields as text, and its error. A value nested thousands deep overflows JSON.stringify's
 * stack: that record is quarantined saying so, and the file goes on.
 */
function fieldTexts(spec: TableSpec, record: StagedRecord): [(string | null)[], string | null] {
  try {
    const texts = spec.fields.map((field) => toText(record.values[field.name]));
    return [texts, record.error ?? invalidUtf8(spec, texts)];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [
      spec.fields.map(() => null),
      record.error ?? `a value nested too deeply to store (${error.message}): flatten it or split the record`
    ];
  }
}

/**
 * Node decodes bytes that are not UTF-8 as U+FFFD, silently: a record holding one is not what its
 * file says, so it is quarantined naming the field, as the native readers do, and the file goes on.
 */
function invalidUtf8(spec: TableSpec, texts: readonly (string | null)[]): string | null {
  const i = texts.findIndex((t) => t?.includes("\uFFFD"));
  return i < 0
    ? null
    : `${spec.fields[i].name}: invalid UTF-8: a byte that is not UTF-8 text (or a U+FFFD replacement character)`;
}

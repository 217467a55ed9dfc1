// One field definition drives three things that must never disagree: the zod schema used at
// JavaScript boundaries, the SQL that validates rows at volume inside DuckDB, and the docs.
import {z} from "zod";

export type FieldType = "string" | "number" | "integer" | "boolean" | "timestamp";

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required?: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Free text written by users or models: redacted and truncated before it is stored. */
  readonly freeText?: boolean;
  /**
   * A class label: its spellings that differ only by edge whitespace or case are merged into one
   * after ingest and listed on the Data quality page (warehouse/labelSpellings.ts), so the row checks
   * keep its edges for that step to see.
   */
  readonly classLabel?: boolean;
  /** Value used when the source leaves the field empty. */
  readonly default?: string | number | boolean;
  readonly doc: string;
}

/**
 * A column the warehouse writes itself, not read from any file (so not in the formats doc, nor in
 * the browser's exports): `insertSql` computes it from the row's fields as the row is accepted, else
 * it is NULL until a check across tables writes it (loaders/warehouse/experiments.ts).
 */
export interface DerivedColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly insertSql?: string;
  readonly doc: string;
}

export interface TableSpec {
  readonly name: string;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
  /** Columns after the fields that the warehouse derives; no input file holds them. */
  readonly derived?: readonly DerivedColumn[];
  /** Columns that identify a row; a second row with the same key is quarantined as a duplicate. */
  readonly key: readonly string[];
  /** The timestamp column that gives the table's time span, if any. */
  readonly timeField?: string;
}

/** ISO 8601 date-time, `T` or space separated, offset optional (naive means UTC). Shared by zod and SQL. */
export const timestampPattern = String.raw`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$`;

/**
 * Common exact shapes of timestampPattern as GLOB patterns (`d` a digit): what JavaScript's
 * toISOString and Python's isoformat write. Each shape is a subset of the pattern, so a value of one
 * of them needs no regular expression: in DuckDB a GLOB of a fixed shape cost 0.41–0.45 s of CPU at 6M
 * values against 0.76–0.83 s for the pattern (test/unit/loaders/warehouse/validate.test.ts keeps them
 * inside it).
 */
export const timestampShapes = [
  "dddd-dd-ddTdd:dd:dd.dddZ",
  "dddd-dd-ddTdd:dd:ddZ",
  "dddd-dd-ddTdd:dd:dd.dddddd+dd:dd"
].map((shape) => shape.replaceAll("d", "[0-9]"));

/**
 * Whole numbers are stored as BIGINT but read through DOUBLE and handed to pages as JavaScript
 * numbers: beyond 2^53 they are no longer exact, and beyond BIGINT a cast gives NULL silently. Every
 * integer field is bounded by this, whatever its own max.
 */
export const largestExactInteger = Number.MAX_SAFE_INTEGER;

/**
 * The range a timestamp must fall in to be believed: not before `earliest` (no AI product logged in
 * 1970; an epoch-zero time is a missing value written as 0), not after `latest` (the build's day plus
 * the tolerance in workbench.config.json `checks`). ISO 8601 instants; the same bounds drive zod and SQL.
 */
export interface TimeBounds {
  readonly earliest: string;
  readonly latest: string;
}

export function sqlType(type: FieldType): string {
  return {string: "VARCHAR", number: "DOUBLE", integer: "BIGINT", boolean: "BOOLEAN", timestamp: "TIMESTAMPTZ"}[type];
}

export function zodField(field: FieldSpec, bounds?: TimeBounds): z.ZodType {
  let schema: z.ZodType;
  if (field.values) schema = z.enum(field.values as [string, ...string[]]);
  else if (field.type === "string") schema = z.string().min(field.required ? 1 : 0);
  else if (field.type === "boolean") schema = z.boolean();
  else if (field.type === "timestamp") {
    const ms = (v: string) =>
      Date.parse(/(Z|[+-]\d{2}(:?\d{2})?)$/.test(v) ? v.replace(" ", "T") : `${v.replace(" ", "T")}Z`);
    schema = z
      .string()
      .regex(new RegExp(timestampPattern))
      .refine((v) => !Number.isNaN(ms(v)));
    if (bounds)
      schema = schema.refine(
        (v) => ms(v as string) >= Date.parse(bounds.earliest) && ms(v as string) <= Date.parse(bounds.latest),
        {message: `expected between ${bounds.earliest} and ${bounds.latest}`}
      );
  } else {
    let n = field.type === "integer" ? z.number().int().min(-largestExactInteger).max(largestExactInteger) : z.number();
    if (field.min !== undefined) n = n.min(field.min);
    if (field.max !== undefined) n = n.max(field.max);
    schema = n;
  }
  return field.required ? schema : schema.nullish();
}

export function zodTable(spec: TableSpec, bounds?: TimeBounds) {
  return z.strictObject(Object.fromEntries(spec.fields.map((f) => [f.name, zodField(f, bounds)])));
}

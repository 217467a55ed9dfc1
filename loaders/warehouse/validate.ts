// Row validation at volume: every staged row (all fields as text) is checked in SQL against the same
// FieldSpec that generates the zod schema, so the two cannot disagree. Rows that fail, and duplicates
// of a key, go to the quarantine with file, line, field and reason; the rest are cast into the
// canonical table. Rows in = rows accepted + rows quarantined, by construction.
import type {FieldSpec, TableSpec} from "../schema/fields.js";
import {sqlType, timestampPattern} from "../schema/fields.js";
import {ident, literal, type Database} from "./duckdb.js";
import {redactSql, truncateSql} from "./redact.js";

export interface TextPolicy {
  redact: boolean;
  excerptChars: number;
}

export const stageTable = (spec: TableSpec) => `stage_${spec.name}`;

export const systemColumns = ["source_file", "source_format", "source_line"] as const;

export async function createStagingTable(db: Database, spec: TableSpec): Promise<void> {
  const fields = spec.fields.map((f) => `${ident(f.name)} VARCHAR`).join(", ");
  await db.run(
    `CREATE OR REPLACE TABLE ${stageTable(spec)} (source_file VARCHAR, source_format VARCHAR, line INTEGER, raw VARCHAR, parse_error VARCHAR, ${fields})`,
  );
}

export function createCanonicalTableSql(spec: TableSpec): string {
  const fields = spec.fields.map((f) => `${ident(f.name)} ${sqlType(f.type)}`);
  const cost = spec.fields.some((f) => f.name === "cost_usd") ? ["cost_source VARCHAR"] : [];
  return `CREATE OR REPLACE TABLE ${spec.name} (${[...fields, ...cost, "source_file VARCHAR", "source_format VARCHAR", "source_line INTEGER"].join(", ")})`;
}

export const createQuarantineSql = `CREATE OR REPLACE TABLE quarantine (source_file VARCHAR, line INTEGER, table_name VARCHAR, field VARCHAR, reason VARCHAR, raw_excerpt VARCHAR)`;

const number = (v: string) => `TRY_CAST(${v} AS DOUBLE)`;
const truthy = ["true", "1", "yes", "t", "y"];
const falsy = ["false", "0", "no", "f", "n"];
const list = (values: readonly string[]) => values.map(literal).join(", ");
const shown = (v: string) => `'"' || left(${v}, 40) || '"'`;

/** SQL yielding 'field<TAB>reason' when the value breaks the field's spec, else NULL. */
export function fieldCheckSql(field: FieldSpec): string {
  const v = ident(field.name);
  const fail = (reason: string) => `${literal(field.name + "\t")} || ${reason}`;
  const cases: string[] = [];
  if (field.required) cases.push(`WHEN ${v} IS NULL THEN ${fail(literal("missing required field"))}`);
  if (field.type === "number" || field.type === "integer") {
    cases.push(`WHEN ${v} IS NOT NULL AND ${number(v)} IS NULL THEN ${fail(`'expected a number, got ' || ${shown(v)}`)}`);
    cases.push(`WHEN isnan(${number(v)}) OR isinf(${number(v)}) THEN ${fail(`'expected a finite number, got ' || ${shown(v)}`)}`);
    if (field.type === "integer") cases.push(`WHEN ${number(v)} <> floor(${number(v)}) THEN ${fail(`'expected a whole number, got ' || ${shown(v)}`)}`);
    if (field.min !== undefined) cases.push(`WHEN ${number(v)} < ${field.min} THEN ${fail(`'expected ≥ ${field.min}, got ' || ${shown(v)}`)}`);
    if (field.max !== undefined) cases.push(`WHEN ${number(v)} > ${field.max} THEN ${fail(`'expected ≤ ${field.max}, got ' || ${shown(v)}`)}`);
  }
  if (field.type === "boolean") {
    cases.push(`WHEN ${v} IS NOT NULL AND lower(${v}) NOT IN (${list([...truthy, ...falsy])}) THEN ${fail(`'expected true or false, got ' || ${shown(v)}`)}`);
  }
  if (field.type === "timestamp") {
    cases.push(`WHEN ${v} IS NOT NULL AND (NOT regexp_full_match(${v}, ${literal(timestampPattern)}) OR TRY_CAST(${v} AS TIMESTAMPTZ) IS NULL) THEN ${fail(`'expected an ISO 8601 timestamp, got ' || ${shown(v)}`)}`);
  }
  if (field.values) {
    cases.push(`WHEN ${v} IS NOT NULL AND ${v} NOT IN (${list(field.values)}) THEN ${fail(`'expected one of ${field.values.join(", ")}, got ' || ${shown(v)}`)}`);
  }
  return cases.length ? `CASE ${cases.join(" ")} END` : "NULL";
}

/** SQL casting the validated text value into the canonical column type. */
export function castSql(field: FieldSpec, text: TextPolicy): string {
  const v = ident(field.name);
  if (field.type === "number") return number(v);
  if (field.type === "integer") return `TRY_CAST(${number(v)} AS BIGINT)`;
  if (field.type === "boolean") return `(CASE WHEN lower(${v}) IN (${list(truthy)}) THEN true WHEN ${v} IS NOT NULL THEN false END)`;
  if (field.type === "timestamp") return `TRY_CAST(${v} AS TIMESTAMPTZ)`;
  if (field.freeText) return truncateSql(text.redact ? `(${redactSql(v)})` : v, text.excerptChars);
  return v;
}

/** Values computed at ingest when the source leaves them out, from the unredacted text. */
function derivedSql(spec: TableSpec, field: FieldSpec, cast: string): string {
  if (spec.name === "corrections" && field.name === "edit_distance") {
    // Normalized Levenshtein: edits divided by the longer text's length, so 0 = unchanged, 1 = rewritten.
    return `coalesce(${cast}, CASE WHEN original_text IS NOT NULL AND edited_text IS NOT NULL
      THEN levenshtein(original_text, edited_text) / greatest(length(original_text), length(edited_text), 1) END)`;
  }
  return cast;
}

function normalizedStageSql(spec: TableSpec): string {
  const fields = spec.fields.map((f) => {
    const value = `nullif(trim(${ident(f.name)}), '')`;
    const withDefault = f.default === undefined ? value : `coalesce(${value}, ${literal(String(f.default))})`;
    return `${withDefault} AS ${ident(f.name)}`;
  });
  return `SELECT source_file, source_format, line, raw, parse_error, ${fields.join(", ")} FROM ${stageTable(spec)}`;
}

export async function validateStaged(db: Database, spec: TableSpec, text: TextPolicy): Promise<void> {
  const checks = spec.fields.map(fieldCheckSql).filter((c) => c !== "NULL");
  const key = spec.key.map(ident).join(", ");
  const order = "source_file, line";
  await db.run(`CREATE OR REPLACE TEMP TABLE checked AS
    SELECT *, list_filter([${checks.join(", ")}], p -> p IS NOT NULL) AS problems FROM (${normalizedStageSql(spec)})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ranked AS
    SELECT *, row_number() OVER w AS occurrence, first_value(source_file || ':' || line) OVER w AS first_at
    FROM checked WHERE parse_error IS NULL AND len(problems) = 0
    WINDOW w AS (PARTITION BY ${key} ORDER BY ${order})`);
  const excerpt = truncateSql(`(${redactSql("raw")})`, 200);
  await db.run(`INSERT INTO quarantine
    SELECT source_file, line, ${literal(spec.name)}, field, reason, ${excerpt} FROM (
      SELECT source_file, line, raw, NULL AS field, parse_error AS reason FROM checked WHERE parse_error IS NOT NULL
      UNION ALL
      SELECT source_file, line, raw, split_part(problems[1], chr(9), 1),
             array_to_string(list_transform(problems, p -> replace(p, chr(9), ': ')), '; ')
      FROM checked WHERE parse_error IS NULL AND len(problems) > 0
      UNION ALL
      SELECT source_file, line, raw, ${literal(spec.key.join(", "))},
             'duplicate key (' || ${spec.key.map((k) => `${literal(k + "=")} || ${ident(k)}`).join(` || ', ' || `)} || '); first seen at ' || first_at
      FROM ranked WHERE occurrence > 1
    ) ORDER BY source_file, line`);
  const casts = spec.fields.map((f) => `${derivedSql(spec, f, castSql(f, text))} AS ${ident(f.name)}`);
  const cost = spec.fields.some((f) => f.name === "cost_usd") ? [`CASE WHEN cost_usd IS NOT NULL THEN 'reported' END AS cost_source`] : [];
  await db.run(`INSERT INTO ${spec.name}
    SELECT ${[...casts, ...cost, "source_file", "source_format", "line AS source_line"].join(", ")}
    FROM ranked WHERE occurrence = 1 ORDER BY ${order}`);
  await db.run(`DROP TABLE checked; DROP TABLE ranked; DROP TABLE ${stageTable(spec)}`);
}

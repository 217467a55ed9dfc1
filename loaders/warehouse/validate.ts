// Row validation at volume: every staged row (all fields as text) is checked in SQL against the same
// FieldSpec that generates the zod schema, so the two cannot disagree. Rows that fail, and duplicates
// of a key, go to the quarantine with file, line, field and reason; the rest are cast into the
// canonical table. Rows in = rows accepted + rows quarantined, by construction.
import type {FieldSpec, TableSpec, TimeBounds} from "../schema/fields.js";
import {largestExactInteger, sqlType, timestampPattern, timestampShapes} from "../schema/fields.js";
import {hasRows, quotedIdentifier, quotedString, type Database} from "./duckdb.js";
import {EDIT_DISTANCE_FUNCTION} from "./editDistanceFunction.js";
import {redactSql, truncateSql} from "./redact.js";
import {RESERVED_LABELS} from "../../src/lib/all.js";

export interface TextPolicy {
  redact: boolean;
  excerptChars: number;
  /** The range timestamps must fall in (workbench.config.json `checks`); unbounded when absent. */
  timeBounds?: TimeBounds;
}

export const stageTable = (spec: TableSpec) => `stage_${spec.name}`;

/** The rows of one file in a staging table. */
type StagedFileRow = {n: number};

/** How many rows an adapter staged from one file: what it reports as the file's rows in. */
export async function stagedRowsOf(db: Database, spec: TableSpec, file: string): Promise<number> {
  const [{n}] = await db.query<StagedFileRow>(
    `SELECT count(*)::INTEGER AS n
    FROM ${quotedIdentifier(stageTable(spec))}
    WHERE source_file = $file`,
    {file}
  );
  return n;
}

/** Characters past the excerpt that are redacted too: longer than any secret the detectors know but a private key. */
const REDACT_MARGIN = 1000;

export const systemColumns = ["source_file", "source_format", "source_line"] as const;

export async function createStagingTable(db: Database, spec: TableSpec): Promise<void> {
  const fields = spec.fields.map((f) => `${quotedIdentifier(f.name)} VARCHAR`).join(",\n    ");
  await db.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(stageTable(spec))} (
    source_file VARCHAR,
    source_format VARCHAR,
    line INTEGER,
    raw VARCHAR,
    parse_error VARCHAR,
    ${fields}
  )`);
}

/** CREATE TABLE IF NOT EXISTS: an incremental ingest keeps the tables it finds (loaders/warehouse/ingest.ts). */
export function createCanonicalTableSql(spec: TableSpec): string {
  const fields = spec.fields.map((f) => `${quotedIdentifier(f.name)} ${sqlType(f.type)}`);
  const cost = spec.fields.some((f) => f.name === "cost_usd") ? ["cost_source VARCHAR"] : [];
  const derived = (spec.derived ?? []).map((d) => `${quotedIdentifier(d.name)} ${d.sqlType}`);
  const columns = [
    ...fields,
    ...cost,
    ...derived,
    "source_file VARCHAR",
    "source_format VARCHAR",
    "source_line INTEGER"
  ];
  return `CREATE TABLE IF NOT EXISTS ${quotedIdentifier(spec.name)} (
    ${columns.join(",\n    ")}
  )`;
}

export const createQuarantineSql = `CREATE TABLE IF NOT EXISTS quarantine (
    source_file VARCHAR,
    line INTEGER,
    table_name VARCHAR,
    field VARCHAR,
    reason VARCHAR,
    raw_excerpt VARCHAR
  )`;

const number = (v: string) => `TRY_CAST(${v} AS DOUBLE)`;
/**
 * A number or timestamp field's text parsed once per row (a column of the normalized rows), since
 * its checks and its cast each need it.
 */
const parsed = (field: FieldSpec) => quotedIdentifier(`${field.name}#parsed`);
function parseSql(field: FieldSpec): string | undefined {
  if (field.type === "number" || field.type === "integer")
    return `${number(quotedIdentifier(field.name))} AS ${parsed(field)}`;
  if (field.type === "timestamp") return `TRY_CAST(${quotedIdentifier(field.name)} AS TIMESTAMPTZ) AS ${parsed(field)}`;
  return undefined;
}
const truthy = ["true", "1", "yes", "t", "y"];
const falsy = ["false", "0", "no", "f", "n"];
const list = (values: readonly string[]) => values.map(quotedString).join(", ");
const shown = (v: string) => `'"' || left(${v}, 40) || '"'`;

const instant = (iso: string) => `${quotedString(iso)}::TIMESTAMPTZ`;

/**
 * An identifier or label (a string that is neither free text nor of a closed vocabulary) may not be
 * spelled as one of the pages' RESERVED_LABELS: a feature named "(all)" would be summed into the roll-up
 * over features, and a segment named "(none)" counted with the rows that have none. Such a row is
 * quarantined, naming the field, rather than failing a page.
 */
const isLabel = (field: FieldSpec) => field.type === "string" && !field.freeText && !field.values;

/** SQL yielding 'field<TAB>reason' when the value breaks the field's spec, else NULL; over normalized rows. */
export function fieldCheckSql(field: FieldSpec, bounds?: TimeBounds): string {
  const v = quotedIdentifier(field.name);
  const fail = (reason: string) => `${quotedString(field.name + "\t")} || ${reason}`;
  const cases: string[] = [];
  if (field.required) cases.push(`WHEN ${v} IS NULL THEN ${fail(quotedString("missing required field"))}`);
  if (field.type === "number" || field.type === "integer") {
    const n = parsed(field);
    cases.push(`WHEN ${v} IS NOT NULL AND ${n} IS NULL THEN ${fail(`'expected a number, got ' || ${shown(v)}`)}`);
    cases.push(`WHEN isnan(${n}) OR isinf(${n}) THEN ${fail(`'expected a finite number, got ' || ${shown(v)}`)}`);
    if (field.type === "integer")
      cases.push(`WHEN ${n} <> floor(${n}) THEN ${fail(`'expected a whole number, got ' || ${shown(v)}`)}`);
    if (field.type === "integer")
      cases.push(
        `WHEN abs(${n}) > ${largestExactInteger} THEN ${fail(`'too large for a whole-number column (beyond 2^53), got ' || ${shown(v)}`)}`
      );
    if (field.min !== undefined)
      cases.push(`WHEN ${n} < ${field.min} THEN ${fail(`'expected ≥ ${field.min}, got ' || ${shown(v)}`)}`);
    if (field.max !== undefined)
      cases.push(`WHEN ${n} > ${field.max} THEN ${fail(`'expected ≤ ${field.max}, got ' || ${shown(v)}`)}`);
  }
  if (field.type === "boolean") {
    cases.push(
      `WHEN ${v} IS NOT NULL AND lower(${v}) NOT IN (${list([...truthy, ...falsy])}) THEN ${fail(`'expected true or false, got ' || ${shown(v)}`)}`
    );
  }
  if (field.type === "timestamp") {
    cases.push(
      `WHEN ${v} IS NOT NULL AND (NOT regexp_full_match(${v}, ${quotedString(timestampPattern)}) OR ${parsed(field)} IS NULL) THEN ${fail(`'expected an ISO 8601 timestamp, got ' || ${shown(v)}`)}`
    );
    if (bounds) {
      cases.push(
        `WHEN ${parsed(field)} < ${instant(bounds.earliest)} THEN ${fail(`'expected at or after ${bounds.earliest}, got ' || ${shown(v)}`)}`
      );
      cases.push(
        `WHEN ${parsed(field)} > ${instant(bounds.latest)} THEN ` +
          `${fail(`'expected at or before ${bounds.latest} (the build day plus the future tolerance in workbench.config.json checks), got ' || ${shown(v)}`)}`
      );
    }
  }
  if (field.values) {
    cases.push(
      `WHEN ${v} IS NOT NULL AND ${v} NOT IN (${list(field.values)}) THEN ${fail(`'expected one of ${field.values.join(", ")}, got ' || ${shown(v)}`)}`
    );
  }
  if (isLabel(field)) {
    for (const {label, meaning} of RESERVED_LABELS)
      cases.push(
        `WHEN ${v} = ${quotedString(label)} THEN ${fail(quotedString(`"${label}" is the name the pages give ${meaning}; rename it in the source`))}`
      );
  }
  return cases.length ? `CASE ${cases.join(" ")} END` : "NULL";
}

/**
 * SQL that is true exactly when fieldCheckSql is NULL: the same rules as one boolean, which DuckDB
 * filters on far faster than on the first non-NULL of many CASEs. A test keeps the two equal. It is
 * never NULL (each rule that could be comes after the one that rules its NULL out), because the
 * quarantine takes NOT valid, and a NULL would leave a row on neither side.
 */
export function fieldValidSql(field: FieldSpec, bounds?: TimeBounds): string {
  const v = quotedIdentifier(field.name);
  const rules: string[] = [];
  if (field.type === "number" || field.type === "integer") {
    const n = parsed(field);
    rules.push(`${n} IS NOT NULL`, `NOT isnan(${n})`, `NOT isinf(${n})`);
    if (field.type === "integer") rules.push(`${n} = floor(${n})`, `abs(${n}) <= ${largestExactInteger}`);
    if (field.min !== undefined) rules.push(`${n} >= ${field.min}`);
    if (field.max !== undefined) rules.push(`${n} <= ${field.max}`);
  }
  if (field.type === "boolean") rules.push(`lower(${v}) IN (${list([...truthy, ...falsy])})`);
  if (field.type === "timestamp") rules.push(timestampTextSql(v), `${parsed(field)} IS NOT NULL`);
  if (field.type === "timestamp" && bounds)
    rules.push(`${parsed(field)} >= ${instant(bounds.earliest)}`, `${parsed(field)} <= ${instant(bounds.latest)}`);
  if (field.values) rules.push(`${v} IN (${list(field.values)})`);
  if (isLabel(field)) rules.push(`${v} NOT IN (${list(RESERVED_LABELS.map((r) => r.label))})`);
  if (field.required) return [`${v} IS NOT NULL`, ...rules].join(" AND ");
  return rules.length ? `(${v} IS NULL OR (${rules.join(" AND ")}))` : "true";
}

/**
 * SQL true when the text `v` matches timestampPattern (NULL for NULL): a value of one of the common
 * shapes is matched by GLOB, and only the rest by the regular expression (a CASE evaluates each branch
 * on the rows the earlier ones left, while an OR evaluated both on every row).
 */
export function timestampTextSql(v: string): string {
  const shapes = timestampShapes.map((shape) => `WHEN ${v} GLOB ${quotedString(shape)} THEN true`);
  return `CASE ${shapes.join(" ")} ELSE regexp_full_match(${v}, ${quotedString(timestampPattern)}) END`;
}

/** SQL casting the validated text value into the canonical column type; over normalized rows. */
export function castSql(field: FieldSpec, text: TextPolicy): string {
  const v = quotedIdentifier(field.name);
  if (field.type === "number") return parsed(field);
  if (field.type === "integer") return `TRY_CAST(${parsed(field)} AS BIGINT)`;
  if (field.type === "boolean")
    return `(CASE WHEN lower(${v}) IN (${list(truthy)}) THEN true WHEN ${v} IS NOT NULL THEN false END)`;
  if (field.type === "timestamp") return parsed(field);
  if (field.freeText) return truncateSql(redactedColumn(field), text.excerptChars);
  return v;
}

/** A free-text field's redacted text, a column of the rows castSql reads (see acceptedRowsSql). */
const redactedColumn = (field: FieldSpec) => quotedIdentifier(`${field.name}#redacted`);

/**
 * SQL for a free-text field's redacted text, computed once in a column of its own: truncateSql names
 * its argument three times, and each copy of the redaction compiled the detectors' RE2 pattern again,
 * which made up most of the planning of a small file's insert (0.2 of 0.3 s CPU for eval_results).
 */
function redactedSql(field: FieldSpec, text: TextPolicy): string {
  // Secrets are redacted even when the config keeps personal data (privacy.redact_free_text false).
  // Only the part that can be kept is redacted, with room for a secret that starts inside it, so a
  // long text costs no more than a short one (a private key cut short is still found).
  const kept = `left(${quotedIdentifier(field.name)}, ${text.excerptChars + REDACT_MARGIN})`;
  return `${redactSql(kept, text.redact ? "all" : "secrets")} AS ${redactedColumn(field)}`;
}

/**
 * SQL for a value the workbench computes when the source leaves it out, from the row's normalized
 * text (before redaction and truncation, which the cast applies): for corrections, the normalized
 * edit distance, in code points (see editDistanceFunction.ts).
 */
function derivedSql(spec: TableSpec, field: FieldSpec, row: string): string | undefined {
  if (spec.name !== "corrections" || field.name !== "edit_distance") return undefined;
  const [original, edited] = [`${row}.original_text`, `${row}.edited_text`];
  return `CASE WHEN ${original} IS NOT NULL AND ${edited} IS NOT NULL THEN ${EDIT_DISTANCE_FUNCTION}(${original}, ${edited}) END`;
}

/** Blank means missing. trim() copies every string, so only values with an edge space pay for it. */
function blankAsNullSql(column: string): string {
  return `CASE WHEN ${column} = '' THEN NULL WHEN starts_with(${column}, ' ') OR ends_with(${column}, ' ') THEN nullif(trim(${column}), '') ELSE ${column} END`;
}

/**
 * A class label keeps its edges (see labelSpellings.ts), but one of only whitespace is missing. Only a
 * value that starts with whitespace can be all whitespace, so the regular expression runs on those alone
 * (at 3M values, about 0.2 s instead of 0.4 s).
 */
function blankLabelAsNullSql(column: string): string {
  // ascii() is the first character's code: space, tab, line feed, carriage return, form feed (RE2's \s).
  return `CASE WHEN ${column} = '' OR (ascii(${column}) IN (32, 9, 10, 13, 12) AND regexp_full_match(${column}, '\\s*')) THEN NULL ELSE ${column} END`;
}

/**
 * `source` yields source_file, source_format, line, raw, parse_error and every field as text (a
 * staging table, or a reader's SELECT); this yields the same rows with blanks as missing and the
 * spec's defaults applied.
 */
export function normalizedSql(spec: TableSpec, source: string): string {
  const fields = spec.fields.map((f) => {
    const value = f.classLabel
      ? blankLabelAsNullSql(quotedIdentifier(f.name))
      : blankAsNullSql(quotedIdentifier(f.name));
    const withDefault = f.default === undefined ? value : `coalesce(${value}, ${quotedString(String(f.default))})`;
    return `${withDefault} AS ${quotedIdentifier(f.name)}`;
  });
  // A reader that keeps no raw line (the whole-file JSON reader) is shown by the fields it read.
  const read = spec.fields.flatMap((f) => [quotedString(f.name), quotedIdentifier(f.name)]).join(", ");
  const text = `SELECT source_file,
      source_format,
      line,
      coalesce(raw, json_object(${read})::VARCHAR) AS raw,
      parse_error,
      ${fields.join(",\n      ")}
    FROM ${source}`;
  const typed = spec.fields.map(parseSql).filter((p) => p !== undefined);
  return typed.length
    ? `SELECT *,
      ${typed.join(",\n      ")}
    FROM (${text})`
    : text;
}

/** True for a row that breaks no field's spec: one condition a line. */
function validSql(spec: TableSpec, bounds?: TimeBounds): string {
  const fields = spec.fields.map((f) => fieldValidSql(f, bounds)).filter((c) => c !== "true");
  return ["parse_error IS NULL", ...fields].join("\n      AND ");
}

/** The valid rows of `source`, cast into the canonical table's columns, in source order. */
export function acceptedRowsSql(spec: TableSpec, text: TextPolicy, source: string): string {
  const casts = spec.fields.map((f) => {
    const derived = derivedSql(spec, f, "normalized");
    return `${derived ? `coalesce(${castSql(f, text)}, ${derived})` : castSql(f, text)} AS ${quotedIdentifier(f.name)}`;
  });
  const cost = spec.fields.some((f) => f.name === "cost_usd")
    ? [`CASE WHEN cost_usd IS NOT NULL THEN 'reported' END AS cost_source`]
    : [];
  const redacted = spec.fields.filter((f) => f.freeText).map((f) => `,\n        ${redactedSql(f, text)}`);
  const derived = (spec.derived ?? []).map(
    (d) => `${d.insertSql ?? "NULL"}::${d.sqlType} AS ${quotedIdentifier(d.name)}`
  );
  const columns = [...casts, ...cost, ...derived, "source_file", "source_format", "line AS source_line"];
  return `SELECT ${columns.join(",\n      ")}
    FROM (
      SELECT *${redacted.join("")}
      FROM (${normalizedSql(spec, source)})
    ) AS normalized
    WHERE ${validSql(spec, text.timeBounds)}`;
}

/**
 * Runs a statement that checks normalized rows with DuckDB's filter pushdown off. Pushdown copies
 * each normalized value's expression (blank check, trim, parse) into the filter below the projection
 * that computes it once, so a value was recomputed for every rule that reads it and again for its
 * cast: about a quarter of the spans insert at 2M rows. The setting changes the plan, not the result.
 */
export async function runChecked(db: Database, sql: string): Promise<void> {
  await withCheckedPlans(db, () => db.run(sql));
}

/**
 * Runs `work` with filter pushdown off, as runChecked does one statement: for work that checks rows
 * inside a transaction of its own, which has ended (committed or rolled back) when the setting is
 * reset, since no statement runs in a transaction a failed statement aborted.
 *
 * `keepOrder`, for an INSERT whose rows must be stored in the reader's order (insertNumbered numbers
 * them by rowid): DuckDB's IN-clause rewrite is off as well. It turns a check such as `kind IN ('llm',
 * …)` into a join with the list, and past one read buffer of the file (about 16 MB) the join stored
 * the rows out of order: in a 112 MB file of 500,000 eval results, 448,298 rows got another row's
 * line. The IN lists are then compared value by value, which gives the same result. Keeping the order
 * costs DuckDB's ordered insert (BATCH_INSERT, planned only when no operator such as that join reorders
 * rows): about 2–3 s of CPU for 2M spans, while the comparisons cost 0.03 s, so no other form of the lists
 * (OR, CASE, ENUM, list_contains) is measurably cheaper (docs/scale.md, 2026-12-06).
 */
export async function withCheckedPlans<T>(
  db: Database,
  work: () => Promise<T>,
  {keepOrder = false}: {keepOrder?: boolean} = {}
): Promise<T> {
  await db.run(`SET disabled_optimizers = '${keepOrder ? "filter_pushdown,in_clause" : "filter_pushdown"}'`);
  try {
    return await work();
  } finally {
    await db.run(`RESET disabled_optimizers`);
  }
}

/**
 * Validates every staged row of a table in set-based passes: the rows that break a field's spec go
 * to the quarantine with every reason, the rest are cast into the canonical table in staging order,
 * and then later occurrences of a key are moved to the quarantine naming the first. Rows in =
 * accepted + quarantined, by construction.
 */
/** The column quarantineRedactedSql computes and quarantineExcerptSql cuts. */
const QUARANTINE_REDACTED = quotedIdentifier("#excerpt");

/**
 * A quarantined row's redacted text, from a text column holding the row: everything is redacted,
 * whatever the config, because it holds every field, identifiers included. Computed once in a column
 * of its own, which quarantineExcerptSql cuts in the SELECT above it: as with redactedSql, truncateSql
 * names its argument three times, and each copy compiled the detectors' RE2 pattern again. Every writer
 * of the quarantine uses the pair, and redacts its reason (reasons quote bad values) with redactSql.
 */
export function quarantineRedactedSql(column: string): string {
  return `${redactSql(`left(${column}, ${200 + REDACT_MARGIN})`)} AS ${QUARANTINE_REDACTED}`;
}

/** A quarantined row's raw excerpt: the first 200 characters of quarantineRedactedSql's column. */
export const quarantineExcerptSql = truncateSql(QUARANTINE_REDACTED, 200);

type StagedRow = {staged: number};

/** Staged rows to the quarantine or the canonical table, row by row (duplicates are quarantineDuplicates' work); the staging table dropped. */
export async function checkStagedRows(db: Database, spec: TableSpec, text: TextPolicy): Promise<void> {
  // Planning these two statements costs about 0.2 s per table; a workspace fills few of its tables.
  const stage = quotedIdentifier(stageTable(spec));
  const [{staged}] = await db.query<StagedRow>(`SELECT count(*)::INTEGER AS staged
    FROM ${stage}`);
  if (staged > 0) await checkStaged(db, spec, text);
  await db.run(`DROP TABLE ${stage}`);
}

/**
 * Every row quarantined as a duplicate, with its key's hash and the file that holds the key's first
 * occurrence: an incremental ingest re-reads the files that share a key with a changed file
 * (loaders/warehouse/ingest.ts), since which occurrence comes first, and what the reason names, can change.
 */
export const createDuplicateLinksSql = `CREATE TABLE IF NOT EXISTS duplicate_links (
    table_name VARCHAR,
    source_file VARCHAR,
    source_line INTEGER,
    key_hash UBIGINT,
    first_file VARCHAR
  )`;

/** The hash of a table's key, as duplicate_links records it (DuckDB's hash() of the key's columns). */
export const keyHashSql = (spec: TableSpec, alias?: string) =>
  `hash(${spec.key.map((k) => (alias ? `${alias}.` : "") + quotedIdentifier(k)).join(", ")})`;

async function checkStaged(db: Database, spec: TableSpec, text: TextPolicy): Promise<void> {
  const checks = spec.fields.map((f) => fieldCheckSql(f, text.timeBounds)).filter((c) => c !== "NULL");
  await runChecked(
    db,
    `INSERT INTO quarantine
    SELECT source_file,
      line,
      ${quotedString(spec.name)},
      field,
      ${redactSql("reason")},
      ${quarantineExcerptSql}
    FROM (
      SELECT source_file,
        line,
        ${quarantineRedactedSql("raw")},
        CASE WHEN parse_error IS NULL THEN split_part(problems[1], chr(9), 1) END AS field,
        coalesce(parse_error, array_to_string(list_transform(problems, p -> replace(p, chr(9), ': ')), '; ')) AS reason
      FROM (
        SELECT *, list_filter([${checks.join(", ")}], p -> p IS NOT NULL) AS problems
        FROM (${normalizedSql(spec, stageTable(spec))})
        WHERE NOT (${validSql(spec, text.timeBounds)})
      )
    )
    ORDER BY source_file, line`
  );
  await runChecked(db, `INSERT INTO ${quotedIdentifier(spec.name)} ${acceptedRowsSql(spec, text, stageTable(spec))}`);
}

/** How many rows repeat a key already seen (by hash: a collision only costs the exact check). */
type RepeatsRow = {repeats: number};

/**
 * A key seen again is kept where it first appears (by file, then line); later rows are quarantined.
 * Run over the whole table, so after an incremental ingest it gives what a cold build would.
 *
 * `newFiles`, after an incremental ingest: a temp table (`file`) of the files just read, when the
 * rest of the table is known to hold each key once. A repeat then involves a key of their rows, so
 * only the rows sharing such a key's hash are counted, instead of every distinct key of the table.
 *
 * `within`: part of the key on which the rows are usually distinct as well (an assignment's
 * experiment and unit, which the experiment checks need distinct). Rows distinct on part of the key
 * are distinct on all of it, so when they are, one count answers both questions: at 10M experiment
 * rows the second count over the assignments cost about 0.7 s of CPU. Returns whether the whole
 * table's rows were distinct on `within` (false without it, and with `newFiles`, which counts only
 * some of the rows: the experiment checks then count for themselves).
 */
export async function quarantineDuplicates(
  db: Database,
  spec: TableSpec,
  {newFiles, within}: {newFiles?: string; within?: readonly string[]} = {}
): Promise<boolean> {
  const table = quotedIdentifier(spec.name);
  // Distinct hashes prove distinct keys, and hashing is far cheaper than grouping the text itself;
  // a collision only sends the table to the exact check below.
  const repeatsOf = async (columns: readonly string[]) => {
    const hashed = `hash(${columns.map(quotedIdentifier).join(", ")})`;
    const rows = newFiles
      ? `(SELECT ${hashed} AS h
        FROM ${table}) AS keyed
        WHERE h IN (
          SELECT ${hashed}
          FROM ${table}
          WHERE source_file IN (SELECT file FROM ${quotedIdentifier(newFiles)})
        )`
      : `(SELECT ${hashed} AS h
        FROM ${table}) AS keyed`;
    const [{repeats}] = await db.query<RepeatsRow>(`SELECT (count(*) - count(DISTINCT h))::INTEGER AS repeats
      FROM ${rows}`);
    return repeats;
  };
  if (within?.some((c) => !spec.key.includes(c)))
    throw new Error(
      `${spec.name}: the columns ${within.join(", ")} are not all part of its key ${spec.key.join(", ")}`
    );
  if (within && !newFiles && (await repeatsOf(within)) === 0) return true;
  const key = spec.key.map(quotedIdentifier).join(", ");
  if ((await repeatsOf(spec.key)) === 0) return false;
  const repeated = `SELECT ${key}
      FROM ${table}
      GROUP BY ALL
      HAVING count(*) > 1`;
  await db.run(`CREATE OR REPLACE TEMP TABLE duplicates AS
    SELECT *
    FROM (
      SELECT t.*,
        row_number() OVER w AS occurrence,
        first_value(source_file || ':' || source_line) OVER w AS first_at,
        first_value(source_file) OVER w AS "#first_file"
      FROM ${table} t
      JOIN (${repeated}) USING (${key})
      WINDOW w AS (PARTITION BY ${key} ORDER BY source_file, source_line)
    )
    WHERE occurrence > 1`);
  if (await hasRows(db, "duplicates")) {
    const shownKey = spec.key.map((k) => `${quotedString(k + "=")} || ${quotedIdentifier(k)}`).join(` || ', ' || `);
    // The row as accepted (free text already redacted) stands in for the raw line; its identifiers,
    // and the key the reason quotes, are redacted like a raw line.
    const row = `json_object(${spec.fields.flatMap((f) => [quotedString(f.name), quotedIdentifier(f.name)]).join(", ")})::VARCHAR`;
    await db.run(`INSERT INTO quarantine
      SELECT source_file,
        source_line,
        ${quotedString(spec.name)},
        ${quotedString(spec.key.join(", "))},
        ${redactSql(`"#reason"`)},
        ${quarantineExcerptSql}
      FROM (
        SELECT *,
          'duplicate key (' || ${shownKey} || '); first seen at ' || first_at AS "#reason",
          ${quarantineRedactedSql(row)}
        FROM duplicates
      )
      ORDER BY source_file, source_line`);
    await db.run(createDuplicateLinksSql);
    await db.run(`INSERT INTO duplicate_links
      SELECT ${quotedString(spec.name)},
        source_file,
        source_line,
        ${keyHashSql(spec)},
        "#first_file"
      FROM duplicates`);
    await db.run(`DELETE FROM ${table} t
      USING duplicates d
      WHERE t.source_file = d.source_file
        AND t.source_line = d.source_line`);
  }
  await db.run(`DROP TABLE duplicates`);
  return false;
}

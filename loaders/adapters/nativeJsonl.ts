// Native JSONL: one JSON object per line with canonical field names. Parsed and checked inside
// DuckDB so that a million lines stay within a small factor of DuckDB's own read_json: a clean file
// goes through read_json itself, a file with malformed or blank lines through a line-by-line reader
// that keeps every line's number.
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {quotedIdentifier, quotedString, pathLiteral, type Database} from "../warehouse/duckdb.js";
import {acceptedRowsSql, runChecked, stagedRowsOf, stageTable} from "../warehouse/validate.js";
import type {WorkspaceFile} from "../workspace/files.js";
import type {TableSpec} from "../schema/fields.js";
import {scanLines, type LineScan} from "../workspace/lineScan.js";
import {textLines} from "../workspace/textLines.js";

export function firstJsonObject(head: string): Record<string, unknown> | undefined {
  for (const line of head.split("\n").slice(0, 20)) {
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch {
      // a malformed or cut-off line: try the next one
    }
  }
  return undefined;
}

function tableOf(file: WorkspaceFile): TableSpec | undefined {
  if (file.source?.format && file.source.format !== nativeJsonl.name) return undefined;
  const first = firstJsonObject(file.head);
  if (file.source?.table) return identifyTable([], file.source);
  return first ? identifyTable(Object.keys(first), file.source) : undefined;
}

/** Reads a text file as (line number, line) pairs; blank lines are kept so numbering stays true. */
export function linesSql(path: string): string {
  return `SELECT row_number() OVER () AS ln,
      raw
    FROM read_csv(
      ${pathLiteral(path)},
      columns = {'raw': 'VARCHAR'},
      delim = E'\\x1F',
      quote = '',
      escape = '',
      header = false,
      auto_detect = false,
      strict_mode = false,
      max_line_size = 100000000
    )`;
}

function jsonPath(key: string): string {
  return quotedString(`$."${key.replaceAll('"', '\\"')}"`);
}

export const nativeJsonl: Adapter = {
  name: "native-jsonl",
  description: "workbench JSONL: one object per line with canonical field names (docs/formats.md)",
  tables: ["eval_results", "spans", "corrections", "predictions", "flags", "assignments", "outcomes"],
  detect: (file) => /\.(jsonl|ndjson|json)$/i.test(file.name) && tableOf(file) !== undefined,
  async stage(ctx, file) {
    const spec = tableOf(file)!;
    const source = readJsonSql(file, spec);
    // Fastest, for the usual file (every line a valid object, every row valid): read, check and cast
    // in one pass straight into the canonical table.
    const direct = source
      ? await insertNumbered(
          ctx.db,
          file,
          `INSERT INTO ${quotedIdentifier(spec.name)}
          ${acceptedRowsSql(spec, ctx.text, source)}`,
          spec.name
        )
      : {clean: false};
    let rows = direct.rows;
    // Clean JSON with rows to quarantine: staged through the same reader.
    if (rows === undefined && direct.clean)
      rows = (
        await insertNumbered(
          ctx.db,
          file,
          `INSERT INTO ${quotedIdentifier(stageTable(spec))}
          SELECT *
          FROM ${source}`,
          stageTable(spec)
        )
      ).rows;
    if (rows === undefined) rows = await stageLineByLine(ctx.db, file, spec);
    ctx.staged(spec.name, rows);
  }
};

/** Each field's text, with the config's default where the file leaves it out. */
function fieldValues(file: WorkspaceFile, spec: TableSpec, value: (i: number) => string): string[] {
  const defaults = file.source?.defaults ?? {};
  return spec.fields.map((f, i) =>
    f.name in defaults ? `coalesce(${value(i)}, ${quotedString(String(defaults[f.name]))})` : value(i)
  );
}

/**
 * A record's number in the reader's order, which is its line when the reader read one record per
 * line and no blank line came before a record (insertNumbered checks both, else nothing is kept).
 * Numbered in the INSERT itself rather than by an UPDATE of the rows afterwards: DuckDB versions each
 * updated value, and at 10M experiment rows the UPDATE of the outcomes' lines took 6.7 s of CPU against
 * 7.3 s for their whole INSERT (0.1 s at 1M). An empty OVER () runs as DuckDB's streaming window, which
 * keeps the source's order; it reads the file on one thread, which cost less CPU than the UPDATE at 10M
 * (docs/experiments.md).
 */
export function recordNumberSql(firstLine = 1): string {
  return `(row_number() OVER () + ${firstLine - 1})::INTEGER`;
}

/** DuckDB's own JSON reader, every field read as text so that validation sees what the line-by-line reader would. */
function readJsonSql(file: WorkspaceFile, spec: TableSpec): string | undefined {
  const keys = spec.fields.map((f) => sourceColumn(f.name, file.source));
  if (new Set(keys).size !== keys.length) return undefined;
  const columns = keys.map((k) => `${quotedString(k)}: 'VARCHAR'`).join(", ");
  const fields = fieldValues(file, spec, (i) => quotedIdentifier(keys[i])).map(
    (v, i) => `${v} AS ${quotedIdentifier(spec.fields[i].name)}`
  );
  return `(
    SELECT ${quotedString(file.name)} AS source_file,
      ${quotedString(nativeJsonl.name)} AS source_format,
      ${recordNumberSql()} AS line,
      NULL::VARCHAR AS raw,
      NULL::VARCHAR AS parse_error,
      ${fields.join(",\n      ")}
    FROM read_json(${pathLiteral(file.path)}, columns = {${columns}}, format = 'newline_delimited')
  )`;
}

/**
 * Runs an INSERT of a file's rows from the JSON reader, numbered by line (recordNumberSql), scanning
 * the file meanwhile for what would make the numbers wrong. `rows` is set when every record of the
 * file landed in `table` and its numbers are its lines; otherwise the file's rows are taken back out,
 * and `clean` says whether the JSON itself read cleanly (so a failure can only have been rows the
 * INSERT filtered out).
 */
async function insertNumbered(
  db: Database,
  file: WorkspaceFile,
  insertSql: string,
  table: string
): Promise<{rows?: number; clean: boolean}> {
  const insert = runChecked(db, insertSql);
  // DuckDB reads on its own threads; the scan runs meanwhile on this one.
  let scan: LineScan;
  try {
    scan = scanLines(file.path);
  } catch (error) {
    await insert.catch(() => undefined);
    throw error;
  }
  const read = await insert.then(
    () => true,
    () => false
  );
  const clean = read && !scan.bom && !scan.blankBeforeData;
  if (clean && (await everyLineRead(db, table, file, scan.dataLines))) return {rows: scan.dataLines, clean};
  await db.run(
    `DELETE FROM ${quotedIdentifier(table)}
    WHERE source_file = $file`,
    {file: file.name}
  );
  return {clean};
}

/** A file's rows in a table. */
type FileRowsRow = {n: number};

/**
 * Whether one INSERT of a file's records, numbered in the reader's order (recordNumberSql), put a row
 * in `table` for each of the file's `lines`: with no blank line before a record, record n is then on
 * line n (n + 1 below a CSV header), so the numbers are the lines.
 */
export async function everyLineRead(db: Database, table: string, file: WorkspaceFile, lines: number): Promise<boolean> {
  const [{n}] = await db.query<FileRowsRow>(
    `SELECT count(*)::INTEGER AS n
    FROM ${quotedIdentifier(table)}
    WHERE source_file = $file`,
    {file: file.name}
  );
  return n === lines;
}

/**
 * Line by line: every line is kept with its number, and a line that is not a JSON object is
 * quarantined. DuckDB reads the lines; when it refuses the file whole (a byte that is not UTF-8, a
 * line beyond its limit), Node reads them into a temporary table instead, marking the bad lines.
 */
async function stageLineByLine(db: Database, file: WorkspaceFile, spec: TableSpec): Promise<number> {
  try {
    const lines = `(
      SELECT ln,
        raw,
        NULL::VARCHAR AS bad
      FROM (${linesSql(file.path)})
    )`;
    return await stageLines(db, file, spec, lines);
  } catch (error) {
    await db.run(
      `DELETE FROM ${quotedIdentifier(stageTable(spec))}
      WHERE source_file = $file`,
      {file: file.name}
    );
    await db.run(`CREATE OR REPLACE TEMP TABLE node_lines (
      ln INTEGER,
      raw VARCHAR,
      bad VARCHAR
    )`);
    try {
      const appender = await db.connection.createAppender("node_lines");
      for await (const l of textLines(file.path)) {
        appender.appendInteger(l.line);
        appender.appendVarchar(l.text);
        if (l.invalidUtf8) appender.appendVarchar("invalid UTF-8: this line holds bytes that are not UTF-8 text");
        else appender.appendNull();
        appender.endRow();
      }
      appender.closeSync();
      return await stageLines(db, file, spec, "node_lines");
    } catch (fallbackError) {
      throw new Error(
        `${(error as Error).message}; reading it line by line also failed: ${(fallbackError as Error).message}`
      );
    } finally {
      await db.run(`DROP TABLE IF EXISTS node_lines`);
    }
  }
}

/** Stages (ln, raw, bad) lines: a bad line or one that is not a JSON object is a quarantined record with its reason. */
async function stageLines(db: Database, file: WorkspaceFile, spec: TableSpec, lines: string): Promise<number> {
  const paths = spec.fields.map((f) => jsonPath(sourceColumn(f.name, file.source)));
  const stage = quotedIdentifier(stageTable(spec));
  const columns = ["source_file", "source_format", "line", "raw", "parse_error", ...spec.fields.map((f) => f.name)];
  await db.run(`INSERT INTO ${stage} (${columns.map(quotedIdentifier).join(", ")})
    WITH parsed AS (
      SELECT ln,
        raw,
        bad,
        bad IS NULL AND coalesce(json_type(CASE WHEN json_valid(raw) THEN raw ELSE 'null' END) = 'OBJECT', false) AS ok
      FROM ${lines}
      WHERE raw IS NOT NULL
        AND trim(raw) <> ''
    ),
    extracted AS (
      SELECT ln,
        raw,
        bad,
        ok,
        json_extract_string(CASE WHEN ok THEN raw ELSE '{}' END, [${paths.join(", ")}]) AS f
      FROM parsed
    )
    SELECT ${quotedString(file.name)},
      ${quotedString(nativeJsonl.name)},
      ln,
      left(raw, 400),
      CASE WHEN bad IS NOT NULL THEN bad WHEN NOT ok THEN 'malformed JSON: expected one JSON object on this line' END,
      ${fieldValues(file, spec, (i) => `f[${i + 1}]`).join(",\n      ")}
    FROM extracted`);
  return stagedRowsOf(db, spec, file.name);
}

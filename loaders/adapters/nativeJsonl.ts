// Native JSONL: one JSON object per line with canonical field names. Parsed and checked inside
// DuckDB so that a million lines stay within a small factor of DuckDB's own read_json: a clean file
// goes through read_json itself, a file with malformed or blank lines through a line-by-line reader
// that keeps every line's number.
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {inTransaction, quotedIdentifier, quotedString, pathLiteral, type Database} from "../warehouse/duckdb.js";
import {acceptedRowsSql, stagedRowsOf, stageTable, withCheckedPlans} from "../warehouse/validate.js";
import type {WorkspaceFile} from "../workspace/files.js";
import type {TableSpec} from "../schema/fields.js";
import {scanLines} from "../workspace/lineScan.js";
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
    // What would make a record's number in the reader's order other than its line.
    const records = () => {
      const scan = scanLines(file.path);
      return scan.bom || scan.blankBeforeData ? undefined : scan.dataLines;
    };
    // Fastest, for the usual file (every line a valid object, every row valid): read, check and cast
    // in one pass straight into the canonical table.
    const direct = source
      ? await insertNumbered(ctx.db, file, {
          insertSql: `INSERT INTO ${quotedIdentifier(spec.name)}
          ${acceptedRowsSql(spec, ctx.text, source)}`,
          table: spec.name,
          lineColumn: "source_line",
          records
        })
      : {clean: false};
    let rows = direct.rows;
    // Clean JSON with rows to quarantine: staged through the same reader.
    if (rows === undefined && direct.clean)
      rows = (
        await insertNumbered(ctx.db, file, {
          insertSql: `INSERT INTO ${quotedIdentifier(stageTable(spec))}
          SELECT *
          FROM ${source}`,
          table: stageTable(spec),
          lineColumn: "line",
          records
        })
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

/** DuckDB's own JSON reader, every field read as text so that validation sees what the line-by-line reader would; no line yet (insertNumbered). */
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
      NULL::INTEGER AS line,
      NULL::VARCHAR AS raw,
      NULL::VARCHAR AS parse_error,
      ${fields.join(",\n      ")}
    FROM read_json(${pathLiteral(file.path)}, columns = {${columns}}, format = 'newline_delimited')
  )`;
}

export interface NumberedInsert {
  /** Puts one file's records into `table`, their line NULL, in the reader's order. */
  insertSql: string;
  table: string;
  /** The table's column for a row's line. */
  lineColumn: "line" | "source_line";
  /** The line of the file's first record (2 below a CSV header). */
  firstLine?: number;
  /**
   * Run on this thread while DuckDB reads: how many records the file holds when they are one per
   * line from firstLine on, so that record n is on line firstLine + n - 1; else undefined.
   */
  records: () => number | undefined;
}

/**
 * A file's rows in a table, the span of their rowids, and the first and last rowid as text (all NULL
 * for none): rows not yet committed have rowids from 2^55, beyond a JavaScript number's exact range.
 */
type FileRowsRow = {n: number; span: number | null; first: string | null; last: string | null};

/**
 * Runs a NumberedInsert and gives each row its line. `rows` is set when every record of the file landed
 * in the table, numbered; otherwise none of the file's rows are left there, and `clean` says whether
 * the reader read the file and its records are one per line (so a failure can only have been rows the
 * INSERT filtered out).
 *
 * Numbered after the INSERT rather than in it: row_number() OVER () keeps the reader's order, but as
 * DuckDB's streaming window it ran the read, the checks and the casts on one thread. DuckDB keeps a
 * query's order when it stores the result (preserve_insertion_order), so one INSERT gives the file's
 * rows consecutive rowids in the reader's order, and a record's number is its rowid's distance from the
 * file's first.
 *
 * In a transaction of its own (a cold build), the INSERT is committed first and the committed rows are
 * numbered after: an UPDATE of rows not yet committed makes DuckDB write every column of the file's
 * rows again at the commit (the INSERT had already written them to the database file as they came),
 * and at 2.1M spans that UPDATE and its commit took 1.7–2.6 s of CPU, against 0.2–0.5 s for the same
 * UPDATE after the commit, which writes the line column alone (docs/scale.md). The committed rows are
 * the table's last n, found from its largest rowid and checked to be the file's before they are
 * numbered. An ingest that runs in a transaction already (loaders/warehouse/warehouse.ts) numbers in
 * that one, before its commit.
 */
export async function insertNumbered(
  db: Database,
  file: WorkspaceFile,
  {insertSql, table, lineColumn, firstLine = 1, records}: NumberedInsert
): Promise<{rows?: number; clean: boolean}> {
  const own = !(await inTransaction(db));
  const t = quotedIdentifier(table);
  const line = quotedIdentifier(lineColumn);
  return withCheckedPlans(
    db,
    async () => {
      if (own) await db.run("BEGIN TRANSACTION");
      let result: {rows?: number; clean: boolean} = {clean: false};
      let committed = false;
      try {
        const insert = db.run(insertSql).then(
          () => true,
          () => false
        );
        // DuckDB reads on its own threads; the scan runs meanwhile on this one.
        let count: number | undefined;
        try {
          count = records();
        } finally {
          await insert;
        }
        if (!(await insert) || count === undefined) return result;
        result = {clean: true};
        const [{n, span, first, last}] = await db.query<FileRowsRow>(
          `SELECT count(*)::INTEGER AS n,
          (max(rowid) - min(rowid) + 1)::INTEGER AS span,
          min(rowid)::VARCHAR AS first,
          max(rowid)::VARCHAR AS last
        FROM ${t}
        WHERE source_file = $file`,
          {file: file.name}
        );
        // Rowids that are not one run (never seen) would give wrong lines: the line-by-line reader then.
        if (n !== count || (n > 0 && span !== n)) return result;
        if (own) {
          await db.run("COMMIT");
          committed = true;
          if (n > 0 && !(await numberCommitted(db, file, t, line, n, firstLine))) {
            await db.run(
              `DELETE FROM ${t}
            WHERE source_file = $file`,
              {file: file.name}
            );
            return result;
          }
        }
        // n rows in a run of n rowids: the run holds this file's rows and no other's. Selecting them by
        // rowid, with the first as a constant, cost 0.44–0.46 s of CPU at 6M outcome rows, against
        // 0.70–1.34 s by source_file with the first rowid as a subquery, which read every row's
        // source_file twice (2 turns each, load average 11 on 2 cores).
        else if (n > 0)
          await db.run(
            `UPDATE ${t}
          SET ${line} = (rowid - $first::BIGINT + ${firstLine})::INTEGER
          WHERE rowid BETWEEN $first::BIGINT AND $last::BIGINT`,
            {first, last}
          );
        result = {rows: n, clean: true};
        return result;
      } finally {
        if (own && !committed) await db.run(result.rows !== undefined ? "COMMIT" : "ROLLBACK");
        else if (!own && result.rows === undefined)
          await db.run(
            `DELETE FROM ${t}
          WHERE source_file = $file`,
            {file: file.name}
          );
      }
    },
    {keepOrder: true}
  );
}

/** The rows in a range of rowids, and how many of them are one file's. */
type RangeRow = {rows: number; mine: number};

/** The last n rowids of a table, as text: a rowid need not fit a JavaScript number. */
type LastRowsRow = {first: string; last: string};

/**
 * Numbers a file's n rows just committed: they are the table's last n (one connection writes, and a
 * commit appends a transaction's rows in their order), which is checked before they are numbered.
 * False, with nothing numbered, when the last n rows are not all the file's.
 */
async function numberCommitted(
  db: Database,
  file: WorkspaceFile,
  table: string,
  line: string,
  n: number,
  firstLine: number
): Promise<boolean> {
  const [{first, last}] = await db.query<LastRowsRow>(
    `SELECT (max(rowid) - $n::BIGINT + 1)::VARCHAR AS first,
      max(rowid)::VARCHAR AS last
    FROM ${table}`,
    {n}
  );
  const range = `rowid BETWEEN $first::BIGINT AND $last::BIGINT`;
  const [{rows, mine}] = await db.query<RangeRow>(
    `SELECT count(*)::INTEGER AS rows,
      count(*) FILTER (source_file = $file)::INTEGER AS mine
    FROM ${table}
    WHERE ${range}`,
    {first, last, file: file.name}
  );
  if (rows !== n || mine !== n) return false;
  await db.run(
    `UPDATE ${table}
    SET ${line} = (rowid - $first::BIGINT + ${firstLine})::INTEGER
    WHERE ${range}`,
    {first, last}
  );
  return true;
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

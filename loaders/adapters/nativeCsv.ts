// Native CSV: a header row of canonical field names (or names mapped in the config). A plain file (no
// quotes, one line end: see csvScan.ts) is read, checked and cast by DuckDB's read_csv in one pass, as
// native JSONL is by read_json; any other is parsed with csv-parse, which tracks physical lines. Either
// way a quarantined row names the line a person would open, with the same field and reason.
import {createReadStream} from "node:fs";
import {parse} from "csv-parse";
import type {Adapter, StageContext} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {insertNumbered} from "./nativeJsonl.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {pathLiteral, quotedIdentifier, quotedString} from "../warehouse/duckdb.js";
import {acceptedRowsSql, stageTable} from "../warehouse/validate.js";
import type {TableSpec} from "../schema/fields.js";
import type {SourceConfig, WorkspaceFile} from "../workspace/files.js";
import {scanCsv} from "../workspace/csvScan.js";

/**
 * Any of the three line ends, as one break: files written by hand or stitched together on different
 * systems mix them, and a stray \r left on a value makes "pass\r" a label of its own.
 */
export const lineBreak = /\r\n|\r|\n/g;

/** The header line's delimiter: a tab when it holds a tab and no comma. */
export function csvDelimiter(head: string): "," | "\t" {
  const line = head.split(lineBreak, 1)[0] ?? "";
  return line.includes("\t") && !line.includes(",") ? "\t" : ",";
}

export function csvHeader(head: string): string[] {
  const line = head.split(lineBreak, 1)[0] ?? "";
  return line.split(csvDelimiter(head)).map((h) => h.trim().replace(/^"(.*)"$/, "$1"));
}

function tableOf(file: WorkspaceFile): TableSpec | undefined {
  if (file.source?.format && file.source.format !== nativeCsv.name) return undefined;
  return identifyTable(csvHeader(file.head), file.source);
}

/**
 * Streams a CSV file's rows, the header first, as cells with the physical line each starts on.
 * csv-parse would take the first line's end as the only one (so a \n header over \r\n rows leaves
 * \r in the last column), and its own line count takes a \r\n inside quotes for two; so every line
 * end is a record delimiter, and lines are counted here: a record spans its quoted line breaks plus
 * its own end, and the blank lines skipped before it. A record the parser cannot read (a stray
 * quote) is yielded with its error, at the line csv-parse names, and the parse goes on, so one bad
 * record never costs the file; a quote that opens a field it never closes still runs to the next
 * closing quote, which CSV cannot tell apart from a long quoted field.
 */
export async function* csvRows(path: string): AsyncGenerator<{line: number; cells?: string[]; error?: string}> {
  const skipped: {line: number; error: string}[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      delimiter: [",", "\t"],
      record_delimiter: ["\r\n", "\n", "\r"],
      skip_records_with_error: true,
      on_skip: (error) => {
        const err = error as (Error & {lines?: number}) | undefined;
        if (err) skipped.push({line: err.lines ?? 0, error: `unreadable CSV record: ${err.message}`});
      }
    })
  );
  let nextLine = 1;
  let blankLines = 0;
  for await (const {record, info} of parser as AsyncIterable<{record: string[]; info: {empty_lines: number}}>) {
    for (const bad of skipped.splice(0)) {
      yield bad;
      // The skipped record's lines are not in our count; continue after the line csv-parse named.
      nextLine = Math.max(nextLine, bad.line + 1);
    }
    const line = nextLine + info.empty_lines - blankLines;
    blankLines = info.empty_lines;
    nextLine = line + 1 + record.reduce((n, v) => n + (v.match(lineBreak)?.length ?? 0), 0);
    yield {line, cells: record};
  }
  yield* skipped.splice(0);
}

/** Header-keyed records of a CSV file (see csvRows), each with its line, or the reason it cannot be read. */
export async function* csvRecords(
  path: string
): AsyncGenerator<{line: number; raw: string; record?: Record<string, string>; error?: string}> {
  let header: string[] | undefined;
  for await (const {line, cells, error} of csvRows(path)) {
    if (!cells) {
      yield {line, raw: "", error};
      continue;
    }
    if (!header) {
      header = cells.map((h) => h.trim());
      continue;
    }
    const raw = cells.join(",");
    if (cells.length !== header.length) {
      yield {line, raw, error: `expected ${header.length} columns as in the header, found ${cells.length}`};
    } else if (raw.includes("\uFFFD")) {
      // Bytes that are not UTF-8 reach us as U+FFFD: the record is not what the file says.
      yield {
        line,
        raw,
        error: "invalid UTF-8: a byte that is not UTF-8 text (or a U+FFFD replacement character) in this record"
      };
    } else {
      yield {line, raw, record: Object.fromEntries(header.map((h, i) => [h, cells[i]]))};
    }
  }
}

async function* toStaged(path: string, spec: TableSpec, source?: SourceConfig): AsyncGenerator<StagedRecord> {
  const defaults = source?.defaults ?? {};
  for await (const r of csvRecords(path)) {
    const values: Record<string, unknown> = {};
    for (const f of spec.fields) values[f.name] = r.record?.[sourceColumn(f.name, source)] || defaults[f.name];
    yield {line: r.line, raw: r.raw, values, error: r.error};
  }
}

/**
 * A plain file's rows as the staging table's columns, read by DuckDB: every cell as text, split at the
 * delimiter only (no quoting, as the scan found no quote), empty cells NULL as csvRecords' `||` makes
 * them, the config's defaults where a cell is empty or its column absent, and the raw line rebuilt as
 * csvRecords joins it. No line yet: insertNumbered numbers the rows below the header.
 */
function readCsvSql(file: WorkspaceFile, spec: TableSpec, header: readonly string[], delimiter: string): string {
  const cell = (i: number) => quotedIdentifier(`c${i}`);
  const columns = header.map((_, i) => `${quotedString(`c${i}`)}: 'VARCHAR'`).join(", ");
  const defaults = file.source?.defaults ?? {};
  const values = spec.fields.map((f) => {
    // Object.fromEntries keeps a repeated header's last column: so does lastIndexOf.
    const i = header.lastIndexOf(sourceColumn(f.name, file.source));
    const value = i < 0 ? "NULL::VARCHAR" : cell(i);
    const withDefault = f.name in defaults ? `coalesce(${value}, ${quotedString(String(defaults[f.name]))})` : value;
    return `${withDefault} AS ${quotedIdentifier(f.name)}`;
  });
  const raw = `left(concat(${header.map((_, i) => `coalesce(${cell(i)}, '')`).join(", ',', ")}), 400)`;
  return `(SELECT ${quotedString(file.name)} AS source_file, ${quotedString(nativeCsv.name)} AS source_format,
      NULL::INTEGER AS line, ${raw} AS raw, NULL::VARCHAR AS parse_error, ${values.join(", ")}
    FROM read_csv(${pathLiteral(file.path)}, columns = {${columns}}, delim = ${quotedString(delimiter)},
      quote = '', escape = '', header = false, skip = 1, auto_detect = false, new_line = '\\n'))`;
}

/**
 * Reads a plain file with DuckDB: straight into the canonical table when every row is valid, else
 * into the staging table (validated there with every other file's rows). Returns the rows read, or
 * undefined when the file is not plain or DuckDB refuses it (bytes that are not UTF-8): the caller
 * then reads it with csv-parse, and nothing of the file is left behind.
 */
async function stagePlainCsv(ctx: StageContext, file: WorkspaceFile, spec: TableSpec): Promise<number | undefined> {
  const delimiter = csvDelimiter(file.head);
  const scan = scanCsv(file.path, delimiter);
  if (!scan.plain) return undefined;
  const source = readCsvSql(file, spec, scan.header, delimiter);
  const into = async (insertSql: string, table: string, lineColumn: "line" | "source_line") =>
    (await insertNumbered(ctx.db, file, {insertSql, table, lineColumn, firstLine: 2, records: () => scan.records}))
      .rows !== undefined;
  if (
    await into(
      `INSERT INTO ${quotedIdentifier(spec.name)} ${acceptedRowsSql(spec, ctx.text, source)}`,
      spec.name,
      "source_line"
    )
  )
    return scan.records;
  if (await into(`INSERT INTO ${quotedIdentifier(stageTable(spec))} SELECT * FROM ${source}`, stageTable(spec), "line"))
    return scan.records;
  return undefined;
}

export const nativeCsv: Adapter = {
  name: "native-csv",
  description: "workbench CSV: a header of canonical field names (docs/formats.md)",
  tables: ["eval_results", "spans", "corrections", "predictions", "flags", "assignments", "outcomes"],
  detect: (file) => /\.(csv|tsv)$/i.test(file.name) && tableOf(file) !== undefined,
  async stage(ctx, file) {
    const spec = tableOf(file)!;
    const rows = await stagePlainCsv(ctx, file, spec);
    if (rows !== undefined) ctx.staged(spec.name, rows);
    else await stageRecords(ctx, spec, file, nativeCsv.name, toStaged(file.path, spec, file.source));
  }
};

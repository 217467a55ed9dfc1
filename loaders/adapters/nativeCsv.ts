// Native CSV: a header row of canonical field names (or names mapped in the config). Parsed with
// csv-parse, which tracks physical lines, so a quarantined row names the line a person would open.
import {createReadStream} from "node:fs";
import {parse} from "csv-parse";
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import type {TableSpec} from "../schema/fields.js";
import type {SourceConfig, WorkspaceFile} from "../workspace/files.js";

/**
 * Any of the three line ends, as one break: files written by hand or stitched together on different
 * systems mix them, and a stray \r left on a value makes "pass\r" a label of its own.
 */
export const lineBreak = /\r\n|\r|\n/g;

export function csvHeader(head: string): string[] {
  const line = head.split(lineBreak, 1)[0] ?? "";
  const delimiter = line.includes("\t") && !line.includes(",") ? "\t" : ",";
  return line.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, "$1"));
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

export const nativeCsv: Adapter = {
  name: "native-csv",
  description: "workbench CSV: a header of canonical field names (docs/formats.md)",
  tables: ["eval_results", "spans", "corrections", "predictions", "flags", "assignments", "outcomes"],
  detect: (file) => /\.(csv|tsv)$/i.test(file.name) && tableOf(file) !== undefined,
  async stage(ctx, file) {
    const spec = tableOf(file)!;
    await stageRecords(ctx, spec, file, nativeCsv.name, toStaged(file.path, spec, file.source));
  }
};

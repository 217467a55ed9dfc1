// Native CSV: a header row of canonical field names (or names mapped in the config). Parsed with
// csv-parse, which tracks physical lines, so a quarantined row names the line a person would open.
import {createReadStream} from "node:fs";
import {parse} from "csv-parse";
import type {Adapter} from "./adapter.js";
import {identifyTable, sourceColumn} from "./nativeTable.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import type {TableSpec} from "../schema/fields.js";
import type {SourceConfig, WorkspaceFile} from "../workspace/files.js";

export function csvHeader(head: string): string[] {
  const line = head.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = line.includes("\t") && !line.includes(",") ? "\t" : ",";
  return line.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, "$1"));
}

function tableOf(file: WorkspaceFile): TableSpec | undefined {
  if (file.source?.format && file.source.format !== nativeCsv.name) return undefined;
  return identifyTable(csvHeader(file.head), file.source);
}

/** Streams a CSV file as header-keyed records with the physical line each starts on. */
export async function* csvRecords(path: string): AsyncGenerator<{line: number; raw: string; record?: Record<string, string>; error?: string}> {
  const parser = createReadStream(path).pipe(
    parse({bom: true, info: true, relax_column_count: true, skip_empty_lines: true, delimiter: [",", "\t"]}),
  );
  let header: string[] | undefined;
  for await (const {record, info} of parser as AsyncIterable<{record: string[]; info: {lines: number}}>) {
    const newlinesInside = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
    const line = info.lines - newlinesInside;
    if (!header) {
      header = record.map((h) => h.trim());
      continue;
    }
    const raw = record.join(",");
    if (record.length !== header.length) {
      yield {line, raw, error: `expected ${header.length} columns as in the header, found ${record.length}`};
    } else {
      yield {line, raw, record: Object.fromEntries(header.map((h, i) => [h, record[i]]))};
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
  },
};

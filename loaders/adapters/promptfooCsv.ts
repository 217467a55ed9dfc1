// promptfoo's CSV export (`promptfoo eval -o results.csv`, the web view's "Download CSV"): one row
// per test × repeat in testIdx order, the test's Description (when any test has one) and vars, then
// for each provider × prompt column "[provider label] prompt label" (the output), Status
// (PASS/FAIL/ERROR), Score (2 decimals), Named Scores, one "Metric: <name>" per metric, Grader Reason
// and Comment. Read into the same rows as the run's JSON (options, cases, epochs), but the CSV holds
// no latency, tokens, cost, provider id, assertion types, metadata, error text, timestamp or eval id:
// started_at and eval_id come from the file's `sources` entry, and a labelled provider's model is
// its label.
import {parse as parseSync} from "csv-parse/sync";
import type {Adapter} from "./adapter.js";
import {csvRows} from "./nativeCsv.js";
import {caseIds, optionName, splitProviderId, varsText} from "./promptfoo.js";
import {fileStem, withSourceDefaults} from "./sourceDefaults.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {evalResults} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

/** One provider × prompt column group of the header. */
interface Column {
  provider: string;
  prompt: string;
  output: number;
  status: number;
  score: number;
  namedScores: number;
  reason: number;
}

interface Layout {
  description: number | null;
  vars: {name: string; index: number}[];
  columns: Column[];
}

/** promptfoo prefixes a cell that starts with =, @, + or - (and is no number) with ' so a spreadsheet
 * does not run it as a formula (CWE-1236); the prefix is not part of the value. */
export function unescapeFormula(cell: string): string {
  if (!cell.startsWith("'")) return cell;
  const rest = cell.slice(1);
  const unpadded = rest.replace(/^[\s\u200B\u200C\u200D]+/, "");
  const first = unpadded[0];
  const numeric = unpadded.trim() !== "" && Number.isFinite(Number(unpadded));
  return first === "=" || first === "@" || ((first === "-" || first === "+") && !numeric) ? rest : cell;
}

export function csvLayout(header: readonly string[]): Layout | undefined {
  const columns: Column[] = [];
  let firstGroup = -1;
  for (let i = 0; i + 3 < header.length; i++) {
    if (header[i + 1] !== "Status" || header[i + 2] !== "Score" || header[i + 3] !== "Named Scores") continue;
    let end = i + 4;
    while (end < header.length && header[end].startsWith("Metric: ")) end++;
    if (header[end] !== "Grader Reason" || header[end + 1] !== "Comment") return undefined;
    const title = /^\[(.*?)\] ([\s\S]*)$/.exec(header[i]);
    columns.push({
      provider: title?.[1] ?? "",
      prompt: title ? title[2] : header[i],
      output: i,
      status: i + 1,
      score: i + 2,
      namedScores: i + 3,
      reason: end
    });
    if (firstGroup < 0) firstGroup = i;
    i = end + 1;
  }
  if (!columns.length) return undefined;
  const description = header[0] === "Description" ? 0 : null;
  const vars = header
    .slice(description === null ? 0 : 1, firstGroup)
    .map((name, k) => ({name, index: k + (description === null ? 0 : 1)}));
  return {description, vars, columns};
}

function headerOf(head: string): string[] | undefined {
  try {
    const [first] = parseSync(head, {bom: true, to: 1, relax_column_count: true, relax_quotes: true}) as string[][];
    return first?.map(unescapeFormula);
  } catch {
    return undefined;
  }
}

function layoutOf(file: WorkspaceFile): Layout | undefined {
  if (file.source?.format && file.source.format !== promptfooCsv.name) return undefined;
  if (!/\.csv$/i.test(file.name)) return undefined;
  const header = headerOf(file.head);
  return header ? csvLayout(header) : undefined;
}

/** Every data row with the physical line it starts on, or the reason it cannot be read (nativeCsv's
 * reader: any line ends, stray quotes cost one record). promptfoo repeats its column names (Status,
 * Score… per column), so rows stay cells here instead of header-keyed records. */
async function dataRows(path: string): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  let header = true;
  for await (const row of csvRows(path)) {
    if (row.cells && header) header = false;
    else
      rows.push(
        row.cells
          ? {line: row.line, cells: row.cells.map(unescapeFormula)}
          : {line: row.line, cells: [], error: row.error}
      );
  }
  return rows;
}

type CsvRow = {line: number; cells: string[]; error?: string};

const STARTED_AT_MISSING =
  "started_at: promptfoo's CSV export holds no timestamp; give this file a sources entry in workbench.config.json with defaults.started_at (when the eval ran), or read the run's results.json instead";

export function promptfooCsvRecords(allRows: readonly CsvRow[], layout: Layout, file: WorkspaceFile): StagedRecord[] {
  const rows = allRows.filter((r) => !r.error);
  const defaults = file.source?.defaults ?? {};
  const evalId = typeof defaults.eval_id === "string" ? defaults.eval_id : `promptfoo-csv:${file.name}`;
  const suite = typeof defaults.suite === "string" ? defaults.suite : fileStem(file);
  const multiplePrompts = new Set(layout.columns.map((c) => c.prompt)).size > 1;
  const varsKey = (cells: string[]) =>
    JSON.stringify(
      layout.vars.map((v) => [v.name, cells[v.index] ?? ""]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    );
  const cases = caseIds(
    rows.map((r) => ({
      description: layout.description === null ? undefined : r.cells[layout.description] || undefined,
      vars: varsKey(r.cells)
    }))
  );
  const epochs = new Map<string, number>();
  const records: StagedRecord[] = [];
  rows.forEach((row, i) => {
    const vars = Object.fromEntries(layout.vars.map((v) => [v.name, row.cells[v.index]]));
    for (const column of layout.columns) {
      const cell = (k: number) => row.cells[k] ?? "";
      // A column the test did not run (a provider filtered out for it) is left blank: no result.
      if (!cell(column.output) && !cell(column.status) && !cell(column.score)) continue;
      const provider = column.provider || "unknown-provider";
      const {provider: vendor, model} = splitProviderId(provider);
      const runId = `${evalId}/${provider}${multiplePrompts ? `/${column.prompt}` : ""}`;
      const key = `${runId}\u0000${cases[i]}`;
      const epoch = (epochs.get(key) ?? 0) + 1;
      epochs.set(key, epoch);
      const status = cell(column.status);
      const values = withSourceDefaults(
        {
          run_id: runId,
          eval_id: evalId,
          option: optionName(provider, column.prompt, multiplePrompts),
          case_id: cases[i],
          epoch,
          suite,
          model,
          provider: vendor,
          prompt_version: column.prompt,
          category: vars.category || undefined,
          // The CSV holds the vars but not the assertions, so no expected output.
          input_excerpt: varsText(layout.vars.map((v) => [v.name, row.cells[v.index]])),
          // Anything but PASS, FAIL or ERROR stays as written, so validation names the field.
          passed: status === "PASS" ? true : status === "FAIL" || status === "ERROR" ? false : status,
          score: cell(column.score) === "" ? undefined : Number(cell(column.score)),
          error:
            status === "ERROR" ? "promptfoo status ERROR (the CSV export does not carry the error message)" : undefined,
          output_excerpt: cell(column.output) || undefined,
          named_scores: cell(column.namedScores) || undefined,
          reason: cell(column.reason) || undefined
        },
        file
      );
      const raw = JSON.stringify({
        column: `[${column.provider}] ${column.prompt}`,
        Status: status,
        Score: cell(column.score)
      });
      records.push({line: row.line, raw, values, error: values.started_at ? undefined : STARTED_AT_MISSING});
    }
  });
  for (const bad of allRows) if (bad.error) records.push({line: bad.line, raw: "", values: {}, error: bad.error});
  return records;
}

export const promptfooCsv: Adapter = {
  name: "promptfoo-csv",
  description: "promptfoo results CSV (promptfoo eval -o results.csv); started_at from the file's sources entry",
  tables: [evalResults.name],
  detect: (file) => layoutOf(file) !== undefined,
  async stage(ctx, file) {
    const layout = layoutOf(file)!;
    await stageRecords(
      ctx,
      evalResults,
      file,
      promptfooCsv.name,
      promptfooCsvRecords(await dataRows(file.path), layout, file)
    );
  }
};

// The rows behind a table or chart as a CSV file, for every page's "Download" link. Escaping follows
// RFC 4180 (a cell holding a comma, quote or line break is quoted, quotes doubled). A cell that starts
// with = + - @ (or a tab or carriage return) would run as a formula when the file is opened in a
// spreadsheet, so it gets a leading single quote, as OWASP's CSV-injection advice and the spreadsheets
// themselves expect; a plain number keeps its sign, since a number is not text a spreadsheet evaluates.
import {html} from "npm:htl";
import {fmtInt} from "./format.js";

export interface CsvColumn<R> {
  /** The header of the column in the file. */
  name: string;
  /** The cell of a row; defaults to the row's property of the same name. */
  value?: (row: R) => unknown;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\n\r]/;

/** One cell as CSV text: dates as ISO 8601, missing as empty, formulas defused, quoted where needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  let text =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as a CSV document: a header line, then one line per row, CRLF-separated as RFC 4180 says. */
export function toCsv<R>(rows: readonly R[], columns: readonly (string | CsvColumn<R>)[]): string {
  const specs = columns.map((c) => (typeof c === "string" ? {name: c} : c));
  const cellOf = (row: R, c: CsvColumn<R>) => (c.value ? c.value(row) : (row as Record<string, unknown>)[c.name]);
  const lines = [specs.map((c) => csvCell(c.name)).join(",")];
  for (const row of rows) lines.push(specs.map((c) => csvCell(cellOf(row, c))).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** A link that saves the rows as `filename`; the file is made only when clicked, so an unclicked link costs nothing. */
export function csvDownload<R>(
  rows: readonly R[],
  columns: readonly (string | CsvColumn<R>)[],
  {filename, label = "Download"}: {filename: string; label?: string}
): HTMLAnchorElement {
  const link =
    html`<a class="csv-download" download=${filename} href="#">${label} ${fmtInt(rows.length)} ${rows.length === 1 ? "row" : "rows"} as CSV</a>` as HTMLAnchorElement;
  link.addEventListener("click", () => {
    if (link.href.startsWith("blob:")) return;
    link.href = URL.createObjectURL(new Blob([toCsv(rows, columns)], {type: "text/csv;charset=utf-8"}));
  });
  return link;
}

/**
 * A row with nested objects (a rate with its interval, latency percentiles) as flat columns named by
 * their path: {errors: {rate, low}} becomes errors.rate, errors.low. Arrays are kept as JSON text.
 */
export function flattenRow(row: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date))
      Object.assign(out, flattenRow(value as Record<string, unknown>, name));
    else out[name] = value;
  }
  return out;
}

/** The columns of flattened rows: every name any row has, in first-seen order. */
export function flatColumns(rows: readonly Record<string, unknown>[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return [...names];
}

/** A file name from its parts: "traces", "cost", "support-chat" → traces-cost-support-chat.csv. */
export const csvFilename = (...parts: string[]): string =>
  `${parts
    .map((p) => p.replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, ""))
    .filter(Boolean)
    .join("-")}.csv`;

/** A confusion matrix's cells as rows (the true label's column named `row`, the predicted one's `column`), for its download. */
export function matrixCells(
  matrix: {labels: readonly string[]; counts: readonly (readonly number[])[]},
  row: string,
  column: string
): Record<string, string | number>[] {
  return matrix.labels.flatMap((r, i) =>
    matrix.labels.map((c, j) => ({[row]: r, [column]: c, items: matrix.counts[i][j]}))
  );
}

/** A table or chart with the download of the rows behind it under it, nested fields as flat columns. */
export function withCsv(node: Node, rows: readonly object[], filename: string): HTMLElement {
  const flat = rows.map((r) => flattenRow(r as Record<string, unknown>));
  return html`<div class="with-csv">${node}${csvDownload(flat, flatColumns(flat), {filename})}</div>`;
}

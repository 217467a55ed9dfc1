// The rows behind a table or chart as a CSV file, for every page's "Download" link. Escaping follows
// RFC 4180 (a cell holding a comma, quote or line break is quoted, quotes doubled). A cell that starts
// with = + - @ (or a tab or carriage return) would run as a formula when the file is opened in a
// spreadsheet, so it gets a leading single quote, as OWASP's CSV-injection advice and the spreadsheets
// themselves expect; a plain number keeps its sign, since a number is not text a spreadsheet evaluates.
import {html} from "htl";
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
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
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
  const link = html`<a class="csv-download" download=${filename} href="#">${label} ${fmtInt(rows.length)} ${rows.length === 1 ? "row" : "rows"} as CSV</a>` as HTMLAnchorElement;
  link.addEventListener("click", () => {
    if (link.href.startsWith("blob:")) return;
    link.href = URL.createObjectURL(new Blob([toCsv(rows, columns)], {type: "text/csv;charset=utf-8"}));
  });
  return link;
}

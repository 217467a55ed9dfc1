// The Explore page's parts: the table reference (from the export manifest, itself from the
// schema-as-data), the example queries, and a query result as a table, a chart where its shape
// allows, and a CSV of exactly its rows. Every text from the data reaches the DOM as text (Inputs.table
// and Plot write text nodes; html`` escapes what it interpolates).
import * as Plot from "@observablehq/plot";
import {nameAxis} from "./nameAxis.js";
import {html} from "npm:htl";
import {toCsv} from "./csvDownload.js";
import type {ExploreManifest} from "./exploreData.js";
import {fmtInt} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";

export interface ExampleQuery {
  title: string;
  sql: string;
}

/** Questions of a PM's week, answered from the exported tables. */
export const exampleQueries: readonly ExampleQuery[] = [
  {
    title: "Pass rate by category for the last two runs",
    sql: `WITH last_runs AS (
  SELECT run_id, min(started_at) AS started_at
  FROM eval_results GROUP BY run_id
  ORDER BY started_at DESC, run_id LIMIT 2
)
SELECT run_id, category, count(*) AS cases,
  avg(CASE WHEN passed THEN 1 ELSE 0 END) AS pass_rate
FROM eval_results JOIN last_runs USING (run_id)
GROUP BY run_id, category
ORDER BY category, run_id`
  },
  {
    title: "p95 latency by model and day",
    sql: `SELECT date_trunc('day', start_time) AS day, model,
  count(*) AS calls,
  quantile_cont(duration_ms, 0.95) AS p95_ms
FROM spans
WHERE kind = 'llm' AND model IS NOT NULL
GROUP BY day, model
ORDER BY day, model`
  },
  {
    title: "Corrections per segment",
    sql: `SELECT coalesce(segment, '(none)') AS segment, count(*) AS corrections,
  avg(CASE WHEN action = 'edited' THEN 1 ELSE 0 END) AS edited_share,
  avg(CASE WHEN action IN ('rejected', 'ignored') THEN 1 ELSE 0 END) AS rejected_or_ignored_share
FROM corrections
GROUP BY ALL
ORDER BY corrections DESC`
  }
];

export const exampleHref = (sql: string): string => `?${new URLSearchParams({sql})}`;

export function exampleList(): HTMLElement {
  return html`<ul class="explore-examples">${exampleQueries.map((q) => html`<li><a href=${exampleHref(q.sql)}>${q.title}</a></li>`)}</ul>`;
}

/** One details block per table: its doc, what was exported, and its columns with their descriptions. */
export function tableReference(manifest: ExploreManifest): HTMLElement {
  return html`<div class="explore-tables">${manifest.tables.map(
    (t) => html`<details id=${`table-${t.name}`}>
      <summary><code>${t.name}</code> · ${fmtInt(t.exported)} rows${t.sampled ? html` <strong>(a sample of ${fmtInt(t.rows)}, by ${t.sampleBy})</strong>` : ""}</summary>
      <p>${t.doc}</p>
      ${stackOnPhone(html`<table class="explore-columns">
        <thead><tr><th>column</th><th>type</th><th>description</th></tr></thead>
        <tbody>${t.columns.map((c) => html`<tr><td><code>${c.name}</code></td><td>${c.type}</td><td>${c.doc}${c.freeText ? ` (cut to ${manifest.textChars} characters)` : ""}</td></tr>`)}</tbody>
      </table>`)}
    </details>`
  )}</div>`;
}

export type ColumnKind = "date" | "number" | "string" | "other";

export interface QueryResult {
  columns: {name: string; kind: ColumnKind}[];
  rows: Record<string, unknown>[];
  ms: number;
  error?: string;
}

/** A JavaScript value as plain data: DuckDB's BigInt as a number. */
const plain = (value: unknown): unknown => (typeof value === "bigint" ? Number(value) : value);

function kindOf(rows: Record<string, unknown>[], name: string): ColumnKind {
  const value = rows.find((r) => r[name] !== null && r[name] !== undefined)?.[name];
  if (value instanceof Date) return "date";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  return rows.length === 0 ? "string" : "other";
}

// Arrow's type ids of dates and timestamps: a DATE (date_trunc's result) arrives as epoch milliseconds.
const ARROW_DATE = 8;
const ARROW_TIMESTAMP = 10;

/** Plain rows from a DuckDB-wasm Arrow result; dates and timestamps as Date. */
export function resultRows(table: {
  schema: {fields: {name: string; typeId?: number; type?: {typeId: number}}[]};
  toArray(): Record<string, unknown>[];
}): Pick<QueryResult, "columns" | "rows"> {
  const names = table.schema.fields.map((f) => f.name);
  const dated = new Set(
    table.schema.fields
      .filter((f) => [ARROW_DATE, ARROW_TIMESTAMP].includes(f.type?.typeId ?? f.typeId ?? -1))
      .map((f) => f.name)
  );
  const value = (n: string, v: unknown) => (dated.has(n) && typeof v === "number" ? new Date(v) : plain(v));
  const rows = table.toArray().map((row) => Object.fromEntries(names.map((n) => [n, value(n, row[n])])));
  return {rows, columns: names.map((name) => ({name, kind: kindOf(rows, name)}))};
}

export type ChartShape =
  {mark: "line"; x: string; y: string; series?: string} | {mark: "bar"; x: string; y: string; series?: string} | null;

/** Rows a chart draws at most; a bigger result shows as a table only. */
export const CHART_MAX_ROWS = 5000;

/**
 * A chart where the result's shape allows one: a date and a number make lines (by the first text
 * column, if any); a text column and a number make bars (by a second text column, if any). The number
 * is the last numeric column, which in a GROUP BY is usually the measure, not a count.
 */
export function chartShape(result: Pick<QueryResult, "columns" | "rows">): ChartShape {
  if (result.rows.length === 0 || result.rows.length > CHART_MAX_ROWS) return null;
  const of = (kind: ColumnKind) => result.columns.filter((c) => c.kind === kind).map((c) => c.name);
  const [dates, numbers, texts] = [of("date"), of("number"), of("string")];
  const y = numbers.at(-1);
  if (!y) return null;
  if (dates.length > 0) return {mark: "line", x: dates[0], y, series: texts[0]};
  if (texts.length > 0) return {mark: "bar", x: texts[0], y, series: texts[1]};
  return null;
}

export function resultChart(result: Pick<QueryResult, "columns" | "rows">, {width}: {width: number}): Element | null {
  const shape = chartShape(result);
  if (!shape) return null;
  const {x, y, series} = shape;
  if (shape.mark === "line") {
    return Plot.plot({
      width,
      height: 320,
      y: {grid: true, label: y},
      color: series ? {legend: true} : undefined,
      marks: [
        Plot.lineY(result.rows, {x, y, stroke: series, tip: true}),
        Plot.dot(result.rows, {x, y, fill: series, r: 2})
      ]
    });
  }
  // The names in a margin as wide as the longest (a third of the chart at most), wrapped at their
  // hyphens beyond it: at 390 px a fixed third of the width cut "gemini-2.5-flash-chat-v7" on the left.
  const names = [...new Set(result.rows.map((r) => String(r[x])))];
  const groups = names.length;
  const {marginLeft, axis, lines: wrapped} = nameAxis(names, width, {max: 220, facet: Boolean(series)});
  // A wrapped name takes two or three lines of the axis's 10 px text: its row is made tall enough.
  const lines = Math.min(3, wrapped);
  if (!series) {
    const row = Math.max(20, 12 * lines + 4);
    return Plot.plot({
      width,
      height: Math.max(120, groups * row + 40),
      marginLeft,
      x: {grid: true, label: y},
      y: {label: null},
      marks: [axis, Plot.barX(result.rows, {y: x, x: y, tip: true, sort: {y: "-x"}}), Plot.ruleX([0])]
    });
  }
  // One row of bars per group, one bar per series value: side by side, never stacked (a rate summed
  // over categories means nothing).
  const bars = new Set(result.rows.map((r) => r[series])).size;
  return Plot.plot({
    width,
    height: Math.max(120, groups * Math.max(bars * 14, 12 * lines + 4) + 60),
    marginLeft,
    x: {grid: true, label: y},
    y: {label: null, axis: null},
    fy: {label: null},
    color: {legend: true},
    marks: [axis, Plot.barX(result.rows, {fy: x, y: series, x: y, fill: series, tip: true}), Plot.ruleX([0])]
  });
}

/** The result rows as CSV, columns in the result's order, by the site's one CSV writer (formula cells defused). */
export function resultCsv(result: Pick<QueryResult, "columns" | "rows">): string {
  return toCsv(
    result.rows,
    result.columns.map((c) => c.name)
  );
}

export function downloadLink(result: Pick<QueryResult, "columns" | "rows">): HTMLElement {
  const href = URL.createObjectURL(new Blob([resultCsv(result)], {type: "text/csv;charset=utf-8"}));
  return html`<a id="explore-download" class="explore-download" download="explore-result.csv" href=${href}>Download ${fmtInt(result.rows.length)} rows as CSV</a>`;
}

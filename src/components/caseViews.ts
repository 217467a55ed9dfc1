// The case view's parts (src/case.md): everything the export holds about one eval case, trace,
// correction or flag, and lists of matching rows that link to them. Every value from the data goes
// through htl's interpolation, which escapes it: a planted <script> or <img onerror> shows as text.
import {diffWordsWithSpace} from "diff";
import {html} from "npm:htl";
import {setDepths} from "../lib/spanTree.js";
import {caseHref, type CaseTarget, type ListTable} from "./caseLinks.js";
import type {Row} from "./caseData.js";
import {fmtInt, fmtMs, fmtUsd} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";
import {waterfallChart} from "./traceCharts.js";

/** A timestamp as the case view prints it: "2026-10-26 10:52:10 UTC". */
export function fmtTime(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return value == null ? "—" : String(value);
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** One field's value as text, by what the column holds. */
export function fmtField(column: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (value instanceof Date) return fmtTime(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number") return String(value);
  if (column === "cost_usd") return fmtUsd(n);
  if (column.endsWith("_ms")) return fmtMs(n);
  if (column.endsWith("_tokens") || column.endsWith("_chars") || column === "epoch") return fmtInt(n);
  if (column === "score" || column === "edit_distance") return n.toFixed(3);
  return String(n);
}

export type DiffPart = {text: string; change: "same" | "removed" | "added"};

/** A word diff of two texts (whitespace kept, so the parts join back to each text). */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((p) => ({
    text: p.value,
    change: p.added ? "added" : p.removed ? "removed" : "same"
  }));
}

/** The two sides of a word diff: the first text with its removals struck, the second with its additions marked. */
export function diffSides(before: string | null, after: string | null): [HTMLElement, HTMLElement] {
  const parts = wordDiff(before ?? "", after ?? "");
  const missing = () => html`<div class="case-text muted">(no text recorded)</div>`;
  const was = html`<div class="case-text">${parts
    .filter((p) => p.change !== "added")
    .map((p) => (p.change === "removed" ? html`<del>${p.text}</del>` : p.text))}</div>`;
  const now = html`<div class="case-text">${parts
    .filter((p) => p.change !== "removed")
    .map((p) => (p.change === "added" ? html`<ins>${p.text}</ins>` : p.text))}</div>`;
  return [before === null ? missing() : was, after === null ? missing() : now];
}

/** Label, value and the column it came from (which picks its format); a value may be a node (a link). */
export function fieldList(fields: readonly [string, unknown, string?][]): HTMLElement {
  return html`<table class="case-fields"><tbody>${fields.map(
    ([label, value, column]) =>
      html`<tr><th scope="row">${label}</th><td data-field=${column ?? label}>${value instanceof Node ? value : fmtField(column ?? label, value)}</td></tr>`
  )}</tbody></table>`;
}

/** Each column of a row under its own name, so nothing the export holds is left out. */
export const allFields = (row: Row, columns: readonly string[]) => fieldList(columns.map((c) => [c, row[c], c]));

const link = (target: CaseTarget, text: string) => html`<a href=${caseHref(target)}>${text}</a>`;

const traceLink = (traceId: unknown) =>
  typeof traceId === "string" && traceId ? link({kind: "trace", trace_id: traceId}, traceId) : "—";

export const notFound = (what: string, note = "") =>
  html`<p class="case-missing" role="status"><strong>No ${what} in this site's data.</strong> ${note}</p>`;

const runName = (r: Row) => [r.model, r.prompt_version].filter(Boolean).join(" · ") || String(r.run_id);

/** A text of the case, or a muted note that the source kept none. */
const caseText = (r: Row, column: string, none: string) =>
  html`<div class="case-text" data-text=${column}>${r[column] ?? html`<span class="muted">(${none})</span>`}</div>`;

const inputLength = (r: Row) =>
  r.input_chars == null ? "length not recorded" : `${fmtInt(Number(r.input_chars))} characters`;

/** What the model was asked and what was expected of it: the same for every run of a case in most sources. */
export function caseInputs(r: Row): HTMLElement {
  return html`<div class="case-inputs">
    <h4>Input (${inputLength(r)}; its start, redacted)</h4>
    ${caseText(r, "input_excerpt", "no input recorded")}
    <h4>Expected output (redacted)</h4>
    ${caseText(r, "expected_excerpt", "no expected output recorded")}
  </div>`;
}

/** One eval result: verdict, input, expected, output, and every field the export holds. */
export function evalResultView(r: Row, columns: readonly string[]): HTMLElement {
  return html`<div class="case-result">
    <h3>${runName(r)} <span class=${r.passed ? "" : "warn-text"}>${r.passed ? "passed" : "failed"}</span>, score ${fmtField("score", r.score)}</h3>
    ${caseInputs(r)}
    <h4>Output (redacted, cut to the export's length)</h4>
    ${caseText(r, "output_excerpt", "no output recorded")}
    ${r.error ? html`<p class="warn-text" data-text="error">error: ${r.error}</p>` : ""}
    <h4>Grader (${r.grader ?? "unknown"})</h4>
    ${caseText(r, "reason", "no reason recorded")}
    <details open><summary>Every field</summary>${allFields(r, columns)}</details>
  </div>`;
}

/** The two runs' results of one case side by side, the later output's changes highlighted; the
 * later run's input and expected output above them (each side says when its own differ). */
export function evalCompareView(before: Row, after: Row): HTMLElement {
  const [was, now] = diffSides(before.output_excerpt as string | null, after.output_excerpt as string | null);
  const same = (column: string) => (before[column] ?? null) === (after[column] ?? null);
  const side = (r: Row, text: HTMLElement, role: string) => html`<div class="case-side" data-side=${role}>
    <h4>${role}: ${runName(r)}</h4>
    <p class="muted">run ${r.run_id} · ${fmtTime(r.started_at)}</p>
    <p><strong class=${r.passed ? "" : "warn-text"}>${r.passed ? "passed" : "failed"}</strong>, score ${fmtField("score", r.score)} · ${fmtField("latency_ms", r.latency_ms)} · ${fmtField("cost_usd", r.cost_usd)}</p>
    ${r === before && !(same("input_excerpt") && same("expected_excerpt")) ? html`<p class="warn-text">This run's input or expected output differs:</p>${caseInputs(r)}` : ""}
    ${text}
    <p class="muted">grader: ${r.reason ?? "—"}</p>
  </div>`;
  return html`<div id="case-compare">
    ${caseInputs(after)}
    <div class="case-compare">${side(before, was, "Before")}${side(after, now, "After")}</div>
  </div>`;
}

/**
 * A case table: its columns scroll in their box on a tablet, and on a phone each row stacks as a block
 * (stackOnPhone), so no column is off the screen until swiped, as "Duration" of the spans' eight was.
 */
const scrolledStack = (table: HTMLElement): HTMLElement => html`<div class="case-scroll">${stackOnPhone(table)}</div>`;

/** Every run that graded the case, each opening its own result. */
export function caseRunsTable(caseId: string, rows: readonly Row[], current?: Row): HTMLElement {
  return scrolledStack(html`<table class="report" id="case-runs" style="max-width:none">
    <thead><tr><th>Run</th><th>Started</th><th>Model · prompt</th><th>Epoch</th><th>Verdict</th><th class="num">Score</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr class=${r === current ? "case-current" : ""}>
      <td>${link({kind: "eval", case_id: caseId, run_id: String(r.run_id)}, String(r.run_id))}</td><td>${fmtTime(r.started_at)}</td>
      <td>${runName(r)}</td><td class="num">${fmtField("epoch", r.epoch)}</td><td>${r.passed ? "passed" : "failed"}</td><td class="num">${fmtField("score", r.score)}</td></tr>`
    )}</tbody></table>`);
}

/** Spans as a waterfall: offsets from the trace's first span start. */
export function waterfallSpans(spans: readonly Row[]) {
  const start = Math.min(...spans.map((s) => (s.start_time as Date).getTime()));
  const out = [...spans]
    .sort(
      (a, b) =>
        (a.start_time as Date).getTime() - (b.start_time as Date).getTime() ||
        String(a.span_id).localeCompare(String(b.span_id))
    )
    .map((s) => ({
      span_id: String(s.span_id),
      parent_span_id: (s.parent_span_id as string | null) ?? null,
      name: String(s.name),
      kind: String(s.kind),
      model: (s.model as string | null) ?? null,
      status: (s.status as string | null) ?? null,
      offset_ms: (s.start_time as Date).getTime() - start,
      duration_ms: Number(s.duration_ms),
      depth: 0
    }));
  setDepths(out);
  return out;
}

export function spansTable(spans: readonly Row[]): HTMLElement {
  return scrolledStack(html`<table class="report" id="case-spans" style="max-width:none">
    <thead><tr><th>Span</th><th>Kind</th><th>Model</th><th class="num">Duration</th><th class="num">Tokens in · out</th><th class="num">Cost</th><th>Status</th><th>Output or error (redacted)</th></tr></thead>
    <tbody>${spans.map(
      (
        s
      ) => html`<tr><td>${s.name}</td><td>${s.kind}</td><td>${fmtField("model", s.model)}</td><td class="num">${fmtField("duration_ms", s.duration_ms)}</td>
      <td class="num">${fmtField("input_tokens", s.input_tokens)} · ${fmtField("output_tokens", s.output_tokens)}</td><td class="num">${fmtField("cost_usd", s.cost_usd)}</td>
      <td class=${s.status === "error" ? "warn-text" : ""}>${fmtField("status", s.status)}${s.finish_reason ? ` · ${s.finish_reason}` : ""}</td>
      <td class="case-cell-text">${s.error_message ?? s.output_excerpt ?? ""}</td></tr>`
    )}</tbody></table>`);
}

export const traceWaterfall = (spans: readonly Row[], {width}: {width: number}) =>
  waterfallChart(waterfallSpans(spans), {width});

/** A correction: the model's text against the user's version, word by word. */
export function correctionView(r: Row, columns: readonly string[]): HTMLElement {
  const [model, user] = diffSides(r.original_text as string | null, r.edited_text as string | null);
  return html`<div>
    <p>The user <strong>${r.action}</strong> this output of ${r.feature}${r.model ? ` (${r.model})` : ""}${r.reason ? html`, saying: “${r.reason}”` : ""}. Trace: ${traceLink(r.trace_id)}.</p>
    <div class="case-compare" id="case-compare">
      <div class="case-side" data-side="Model"><h4>Model's text</h4>${model}</div>
      <div class="case-side" data-side="User"><h4>User's version</h4>${r.edited_text == null ? html`<div class="case-text muted">(the user kept no edited text: ${r.action})</div>` : user}</div>
    </div>
    <details open><summary>Every field</summary>${allFields(r, columns)}</details>
  </div>`;
}

/** A flag: the reviewer's notes and decision, the flagged output, and the trace it came from. */
export function flagView(r: Row, columns: readonly string[]): HTMLElement {
  return html`<div>
    <p><strong class=${r.severity === "high" || r.severity === "critical" ? "warn-text" : ""}>${r.severity}</strong> ${r.category} flag on ${r.feature}${r.model ? ` (${r.model})` : ""}, ${r.status ?? "status unknown"}; root cause ${r.root_cause ?? "unknown"}.</p>
    ${fieldList([
      ["Reviewer", r.reviewer, "reviewer"],
      ["Decision", r.decision, "decision"],
      ["Flagged", r.at, "at"],
      ["Trace it came from", traceLink(r.trace_id), "trace_id"]
    ])}
    <h4>Flagged output (redacted)</h4>
    <div class="case-text" data-text="excerpt">${r.excerpt ?? html`<span class="muted">(no excerpt recorded)</span>`}</div>
    <details open><summary>Every field</summary>${allFields(r, columns)}</details>
  </div>`;
}

/** What each list shows, and the case each row opens. */
const listShapes: Record<ListTable, {columns: string[]; open: (r: Row) => CaseTarget; text?: string}> = {
  eval_results: {
    columns: ["started_at", "model", "prompt_version", "category", "input_chars", "passed", "score"],
    open: (r) => ({kind: "eval", case_id: String(r.case_id), run_id: String(r.run_id)}),
    text: "output_excerpt"
  },
  requests: {
    columns: ["start_time", "feature", "segment", "category", "model", "duration_ms", "cost_usd", "failed"],
    open: (r) => ({kind: "trace", trace_id: String(r.trace_id)})
  },
  corrections: {
    columns: ["at", "feature", "segment", "category", "model", "action"],
    open: (r) => ({kind: "correction", event_id: String(r.event_id)}),
    text: "original_text"
  },
  flags: {
    columns: ["at", "feature", "severity", "category", "status"],
    open: (r) => ({kind: "flag", flag_id: String(r.flag_id)}),
    text: "excerpt"
  }
};

const idOf = (target: CaseTarget) =>
  target.kind === "eval"
    ? target.case_id
    : target.kind === "trace"
      ? target.trace_id
      : target.kind === "correction"
        ? target.event_id
        : target.kind === "flag"
          ? target.flag_id
          : "";

/** The rows a list's filters keep, newest first, each opening its case. */
export function caseListTable(table: ListTable, rows: readonly Row[]): HTMLElement {
  const shape = listShapes[table];
  return scrolledStack(html`<table class="report" id="case-list" style="max-width:none">
    <thead><tr><th>Open</th>${shape.columns.map((c) => html`<th>${c}</th>`)}${shape.text ? html`<th>${shape.text} (redacted)</th>` : ""}</tr></thead>
    <tbody>${[...rows].reverse().map((r) => {
      const target = shape.open(r);
      return html`<tr><td>${link(target, idOf(target))}</td>${shape.columns.map((c) => html`<td>${fmtField(c, r[c])}</td>`)}${shape.text ? html`<td class="case-cell-text">${r[shape.text] ?? ""}</td>` : ""}</tr>`;
    })}</tbody></table>`);
}

/** A list's filters in words: "feature = autocomplete, input_chars ≥ 10000". */
export function describeFilters(target: Extract<CaseTarget, {kind: "list"}>): string {
  return [
    ...Object.entries(target.where).map(([c, v]) => `${c} = ${v}`),
    ...Object.entries(target.min ?? {}).map(([c, v]) => `${c} ≥ ${v}`),
    ...Object.entries(target.max ?? {}).map(([c, v]) => `${c} < ${v}`)
  ].join(", ");
}

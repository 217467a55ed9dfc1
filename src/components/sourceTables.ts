// Tables of what was loaded and what was not, for the overview and data-quality pages. A table with rows
// carries the download of them (withCsv); a view with none says so and offers no empty file.
import {html} from "npm:htl";
import type {
  NotRead,
  QuarantinedRow,
  QuarantineGroup,
  SourceFile,
  TableSummary
} from "../../loaders/queries/overview.js";
import type {LabelSpelling} from "../../loaders/warehouse/labelSpellings.js";
import {withCsv} from "./csvDownload.js";
import {fmtInt, fmtSpan} from "./format.js";
import {stackOnPhone} from "./stackedTable.js";

export function tableSummaryView(tables: readonly TableSummary[]): HTMLElement {
  return withCsv(
    stackOnPhone(html`<table class="report">
    <thead><tr><th>Table</th><th>What a row is</th><th class="num">Rows</th><th class="num">Quarantined</th><th>Time span</th></tr></thead>
    <tbody>${tables.map(
      (t) => html`<tr>
      <td><code>${t.table}</code></td>
      <td>${t.rows ? t.doc : html`<span class="muted">${t.hint}</span>`}</td>
      <td class="num">${fmtInt(t.rows)}</td>
      <td class="num">${t.quarantined ? html`<a href="./data-quality.html">${fmtInt(t.quarantined)}</a>` : "0"}</td>
      <td>${fmtSpan(t.first_at, t.last_at)}</td></tr>`
    )}
    </tbody></table>`),
    tables,
    "canonical-tables.csv"
  );
}

export function sourceFilesView(files: readonly SourceFile[]): HTMLElement {
  if (!files.length) return html`<p>The workspace folder holds no files.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report">
    <thead><tr><th>File</th><th>Format</th><th>Table</th><th class="num">Rows in</th><th class="num">Accepted</th><th class="num">Quarantined</th><th>Status</th></tr></thead>
    <tbody>${files.map(
      (f) => html`<tr>
      <td><code>${f.file}</code></td><td>${f.format ?? "—"}</td><td>${f.table_name ?? "—"}</td>
      <td class="num">${fmtInt(f.rows_in)}</td><td class="num">${fmtInt(f.rows_accepted)}</td>
      <td class="num">${f.rows_quarantined ? html`<a href="./data-quality.html">${fmtInt(f.rows_quarantined)}</a>` : "0"}</td>
      <td>${f.status === "ingested" ? "read" : html`<span class="warn-text">${f.status}</span>`}</td></tr>`
    )}
    </tbody></table>`),
    files,
    "source-files.csv"
  );
}

export function quarantineGroupsView(groups: readonly QuarantineGroup[]): HTMLElement {
  if (!groups.length) return html`<p>No problems: every row passed validation.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report">
    <thead><tr><th>File</th><th>Field</th><th class="num">Rows</th><th class="num">First line</th><th>Example reason</th></tr></thead>
    <tbody>${groups.map(
      (g) => html`<tr>
      <td><code>${g.source_file}</code></td><td>${g.field}</td><td class="num">${fmtInt(g.rows)}</td>
      <td class="num">${g.first_line ?? "—"}</td><td>${g.example_reason}</td></tr>`
    )}
    </tbody></table>`),
    groups,
    "quarantine-groups.csv"
  );
}

/**
 * The quarantined rows a search kept, the first `limit` of them: file, line, field, reason and the raw
 * text (redacted at ingest). Reasons and raw texts wrap, and on a phone each row stacks (stackOnPhone):
 * Inputs.table kept every cell on one line, so a long raw row made the table thousands of pixels wide.
 * Its download holds every row the search kept, not only the first `limit`.
 */
export function quarantinedRowsView(rows: readonly QuarantinedRow[], {limit = 100} = {}): HTMLElement {
  if (!rows.length) return html`<p>No quarantined row matches the search.</p>`;
  return withCsv(
    html`<div>${stackOnPhone(html`<table class="report" data-testid="quarantined-rows" style="max-width:none">
    <thead><tr><th>File</th><th class="num">Line</th><th>Field</th><th style="width:30%">Reason</th><th style="width:40%">Raw (redacted)</th></tr></thead>
    <tbody>${rows.slice(0, limit).map(
      (r) => html`<tr>
      <td><code>${r.source_file}</code></td><td class="num">${r.line ?? "—"}</td><td>${r.field ?? "(whole row)"}</td>
      <td>${r.reason}</td><td>${r.raw_excerpt ? html`<code class="raw-excerpt">${r.raw_excerpt}</code>` : "—"}</td></tr>`
    )}
    </tbody></table>`)}${
      rows.length > limit
        ? html`<p class="muted">The first ${fmtInt(limit)} of ${fmtInt(rows.length)} rows that match: search by file, field or reason to see others.</p>`
        : ""
    }</div>`,
    rows,
    "quarantined-rows.csv"
  );
}

export function notReadView(files: readonly NotRead[]): HTMLElement {
  if (!files.length) return html`<p>Every file in the workspace was recognized and read.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report">
    <thead><tr><th>File</th><th>Status</th><th>Why</th></tr></thead>
    <tbody>${files.map((f) => html`<tr><td><code>${f.file}</code></td><td>${f.status}</td><td>${f.message ?? ""}</td></tr>`)}</tbody></table>`),
    files,
    "files-not-read.csv"
  );
}

/** A spelling with its invisible edges shown: "pass␠" rather than a blank that looks like "pass". */
const visibleEdges = (s: string) =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/^ +| +$/g, (m) => "␠".repeat(m.length));

export function labelSpellingsView(spellings: readonly LabelSpelling[]): HTMLElement {
  if (!spellings.length) return html`<p>Every class label is spelled one way.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report">
    <thead><tr><th>File</th><th>Task</th><th>Column</th><th>Spelling found</th><th>Counted as</th><th class="num">Rows</th><th>Why</th></tr></thead>
    <tbody>${spellings.map(
      (s) => html`<tr>
      <td><code>${s.source_file}</code></td><td>${s.task}</td><td><code>${s.column}</code>${s.column === s.field ? "" : html` <span class="muted">(${s.field})</span>`}</td>
      <td><code>${visibleEdges(s.spelling)}</code></td><td><code>${s.merged_into}</code></td><td class="num">${fmtInt(s.rows)}</td>
      <td>${s.reason === "case" ? "same label in another case" : "whitespace around the label"}</td></tr>`
    )}
    </tbody></table>`),
    spellings,
    "label-spellings.csv"
  );
}

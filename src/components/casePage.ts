// The case view of src/case.md: reads the rows the address asks for (caseData.ts) and lays out their
// views (caseViews.ts). The page passes Framework's resize, which a component cannot import.
import {html} from "npm:htl";
import {filterColumns, rowMatches, type CaseTarget} from "./caseLinks.js";
import {readMatching, readWhere, type Row} from "./caseData.js";
import {
  caseListTable,
  caseRunsTable,
  correctionView,
  describeFilters,
  evalCompareView,
  evalResultView,
  fmtTime,
  flagView,
  notFound,
  spansTable,
  traceWaterfall,
  fieldList
} from "./caseViews.js";
import {caseHref} from "./caseLinks.js";
import {fmtInt} from "./format.js";

type Resize = (render: (width: number) => Node) => Node;

/** Rows a list shows at most; the page says how many matched. */
export const LIST_LIMIT = 100;

export function caseTitle(target: CaseTarget): string {
  if (target.kind === "eval") return `Eval case ${target.case_id}`;
  if (target.kind === "trace") return `Trace ${target.trace_id}`;
  if (target.kind === "correction") return `Correction ${target.event_id}`;
  if (target.kind === "flag") return `Safety flag ${target.flag_id}`;
  return `${target.table} where ${describeFilters(target)}`;
}

async function evalCase(target: Extract<CaseTarget, {kind: "eval"}>): Promise<Node> {
  const {rows, columns} = await readWhere("eval_results", "case_id", target.case_id);
  if (!rows.length) return notFound(`eval case ${target.case_id}`);
  const first = rows[0];
  const ofRun = (run: string | undefined) => (run ? rows.find((r) => r.run_id === run) : undefined);
  const before = ofRun(target.before);
  const after = ofRun(target.after);
  const current = ofRun(target.run_id) ?? after ?? rows.at(-1)!;
  return html`<div>
    <p class="lede">Suite <strong>${first.suite}</strong>${first.feature ? ` · ${first.feature}` : ""} · category ${first.category ?? "—"} · dataset ${first.dataset_version ?? "—"}; graded in ${fmtInt(rows.length)} run${rows.length === 1 ? "" : "s"}.</p>
    ${
      target.before || target.after
        ? before && after
          ? html`<h2>The two runs side by side</h2><p class="muted">Words the later output dropped are struck through on the left; words it added are highlighted on the right.</p>${evalCompareView(before, after)}`
          : notFound(`result of this case in run ${before ? target.after : target.before}`)
        : ""
    }
    <h2>Result in run ${String(current.run_id)}</h2>
    ${evalResultView(current, columns)}
    <h2>Every run that graded this case</h2>
    ${caseRunsTable(target.case_id, rows, current)}
  </div>`;
}

async function traceCase(target: Extract<CaseTarget, {kind: "trace"}>, resize: Resize): Promise<Node> {
  const [spans, request, corrections, flags] = await Promise.all([
    readWhere("spans", "trace_id", target.trace_id),
    readWhere("requests", "trace_id", target.trace_id),
    readWhere("corrections", "trace_id", target.trace_id),
    readWhere("flags", "trace_id", target.trace_id)
  ]);
  if (!spans.rows.length) return notFound(`span of trace ${target.trace_id}`);
  const r: Row = request.rows[0] ?? {};
  return html`<div>
    ${fieldList([
      ["Started", r.start_time, "start_time"],
      ["Duration", r.duration_ms, "duration_ms"],
      ["Feature", r.feature, "feature"],
      ["Segment", r.segment, "segment"],
      ["Category", r.category, "category"],
      ["Prompt version", r.prompt_version, "prompt_version"],
      ["Model", r.model, "model"],
      ["Input characters", r.input_chars, "input_chars"],
      ["Tokens in", r.input_tokens, "input_tokens"],
      ["Tokens out", r.output_tokens, "output_tokens"],
      ["Cost", r.cost_usd, "cost_usd"],
      ["Cost source", r.cost_source, "cost_source"],
      ["Failed", r.failed, "failed"],
      ["Spans", r.spans, "spans"]
    ])}
    <h2>Spans</h2>
    <div id="case-waterfall">${resize((width) => traceWaterfall(spans.rows, {width}))}</div>
    ${spansTable(spans.rows)}
    <h2>What users and reviewers did with it</h2>
    ${
      corrections.rows.length + flags.rows.length === 0
        ? html`<p class="muted">No correction and no safety flag names this trace.</p>`
        : html`<ul>${corrections.rows.map((c) => html`<li><a href=${caseHref({kind: "correction", event_id: String(c.event_id)})}>Correction ${c.event_id}</a>: ${c.action}, ${fmtTime(c.at)}</li>`)}${flags.rows.map((f) => html`<li><a href=${caseHref({kind: "flag", flag_id: String(f.flag_id)})}>Flag ${f.flag_id}</a>: ${f.severity} ${f.category}</li>`)}</ul>`
    }
  </div>`;
}

async function listCase(target: Extract<CaseTarget, {kind: "list"}>): Promise<Node> {
  const found = await readMatching(target.table, filterColumns(target), (c, i) => rowMatches(c, i, target), {
    limit: LIST_LIMIT
  });
  return html`<div>
    <p id="case-list-count">${fmtInt(found.total)} ${target.table === "requests" ? "requests" : "rows"} match${found.total > found.rows.length ? `; the latest ${fmtInt(found.rows.length)} are listed` : ""}. Each opens its case.</p>
    ${found.rows.length ? caseListTable(target.table, found.rows) : ""}
  </div>`;
}

/** The view of what the address asks for. */
export async function caseView(target: CaseTarget, resize: Resize): Promise<Node> {
  if (target.kind === "eval") return evalCase(target);
  if (target.kind === "trace") return traceCase(target, resize);
  if (target.kind === "list") return listCase(target);
  const [table, column, id] =
    target.kind === "correction" ? ["corrections", "event_id", target.event_id] : ["flags", "flag_id", target.flag_id];
  const {rows, columns} = await readWhere(table, column, id);
  if (!rows.length) return notFound(`${target.kind} ${id}`);
  return target.kind === "correction" ? correctionView(rows[0], columns) : flagView(rows[0], columns);
}

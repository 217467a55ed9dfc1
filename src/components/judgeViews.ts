// The blocks of the judges page (src/judges.md): the page keeps the inputs and the layout, these
// functions turn the chosen task and judge into what it shows, each as one block for its cell.
import {html} from "npm:htl";
import type {JudgeModel, JudgeTask, JudgesPage} from "../../loaders/queries/classifierJudges.js";
import {fmtP} from "../lib/format.js";
import {cards, type Card} from "./cards.js";
import {rateCell} from "./classifierTables.js";
import {block, type Resize} from "./classifierViews.js";
import {confusionMatrixChart} from "./confusionMatrixChart.js";
import {csvFilename, matrixCells, withCsv} from "./csvDownload.js";
import {emptyState} from "./emptyState.js";
import {fmtCI, fmtInt, fmtPct} from "./format.js";
import {leanChart, leanSentence} from "./judgeCharts.js";

export const taskLabel = (t: JudgeTask) => `${t.task} (${fmtInt(t.rows)} items)`;

export const noTasks = (data: JudgesPage) => emptyState("judge-versus-human labels", data.hint);

function passRateCards(judge: JudgeModel, task: JudgeTask): Card[] {
  const {lean} = judge;
  if (lean && task.verdicts) {
    return [
      {
        label: `Judge says ${task.verdicts.pass}`,
        value: fmtPct(lean.judgePassRate.rate),
        note: fmtCI(lean.judgePassRate)
      },
      {
        label: `People say ${task.verdicts.pass}`,
        value: fmtPct(lean.humanPassRate.rate),
        note: fmtCI(lean.humanPassRate)
      }
    ];
  }
  if (judge.quadraticKappa !== null)
    return [
      {
        label: "Quadratic-weighted kappa",
        value: judge.quadraticKappa.toFixed(3),
        note: "near misses on an ordinal scale count less"
      }
    ];
  return [];
}

export function judgeSummary(task: JudgeTask | null, judge: JudgeModel | null): HTMLElement {
  if (!task) return block();
  const verdicts = task.verdicts;
  return block(
    ...task.problems.map((problem) => html`<div class="warning" role="status">${problem}</div>`),
    judge?.lean &&
      verdicts &&
      html`<div id="judge-verdict" class="card">${leanSentence(judge.model, judge.lean, {fail: verdicts.fail, pass: verdicts.pass})}</div>`,
    judge &&
      cards([
        {label: "Agreement", value: fmtPct(judge.agreement.rate), note: fmtCI(judge.agreement)},
        {
          label: "Cohen's kappa",
          value: judge.kappa ? judge.kappa.kappa.toFixed(3) : "—",
          note: judge.kappa
            ? `95% CI ${judge.kappa.low.toFixed(3)}–${judge.kappa.high.toFixed(3)}; agreement beyond chance`
            : (judge.kappaUndefined ?? "undefined")
        },
        ...passRateCards(judge, task)
      ])
  );
}

export function disagreements(task: JudgeTask | null, judge: JudgeModel | null, resize: Resize): HTMLElement {
  if (!task || !judge) return block();
  const verdicts = task.verdicts;
  const mustCatch = verdicts
    ? html`<em>${verdicts.fail}</em> is the verdict the judge must catch (${verdicts.source === "config" ? "classifiers[].positive_label" : "inferred from the label's spelling"}).`
    : "";
  const lean = judge.lean;
  const named = (what: string) => csvFilename("judge", task.task, judge.model, what);
  return block(
    html`<p class="muted">Rows are people's labels, columns the judge's; each cell's color is its share of the row. ${mustCatch}</p>`,
    withCsv(
      resize((width) =>
        confusionMatrixChart(judge.matrix, {
          width: Math.min(width, judge.matrix.labels.length > 2 ? width : 460),
          view: "true",
          withCounts: true,
          rowLabel: "People said",
          columnLabel: "Judge said"
        })
      ),
      matrixCells(judge.matrix, "people_said", "judge_said"),
      named("matrix")
    ),
    lean &&
      verdicts &&
      withCsv(
        resize((width) => leanChart(lean, {width, fail: verdicts.fail, pass: verdicts.pass})),
        [
          {
            error: "lenient",
            judged: verdicts.pass,
            people_said: verdicts.fail,
            items: lean.lenient,
            share: lean.lenientRate
          },
          {
            error: "strict",
            judged: verdicts.fail,
            people_said: verdicts.pass,
            items: lean.strict,
            share: lean.strictRate
          }
        ],
        named("lean")
      ),
    judge.confusions.length &&
      withCsv(
        html`<table class="report" style="max-width: none"><thead><tr><th>People said</th><th>Judge said</th><th class="num">Items</th><th>Share of what people said (95% CI, n)</th></tr></thead>
    <tbody>${judge.confusions.map((c) => html`<tr><td>${c.human}</td><td>${c.judge}</td><td class="num">${fmtInt(c.count)}</td><td>${rateCell(c.share)}</td></tr>`)}</tbody></table>`,
        judge.confusions,
        named("disagreements")
      )
  );
}

export function numericScale(judge: JudgeModel | null): HTMLElement {
  const numeric = judge?.numeric;
  if (!numeric) return block();
  return block(
    html`<h3>On the numeric scale</h3>`,
    cards([
      {
        label: "Mean absolute error",
        value: numeric.meanAbsoluteError.toFixed(3),
        note: `± ${numeric.maeStandardError.toFixed(3)} (standard error), n = ${fmtInt(numeric.n)}`
      },
      {
        label: "Mean bias (judge − people)",
        value: `${numeric.meanDifference >= 0 ? "+" : ""}${numeric.meanDifference.toFixed(3)}`,
        note: numeric.t === null ? "every difference is the same" : `t = ${numeric.t.toFixed(2)}, ${fmtP(numeric.p)}`
      }
    ])
  );
}

export function bySegment(task: JudgeTask | null, judge: JudgeModel | null): HTMLElement {
  const segments = judge?.bySegment ?? [];
  if (!task || !judge || !segments.length) return block();
  return block(
    html`<h3>By segment</h3>`,
    withCsv(
      html`<table class="report" style="max-width: none"><thead><tr><th>Segment</th><th class="num">Items</th><th>Agreement (95% CI, n)</th><th class="num">Kappa</th>${judge.lean ? html`<th>Lenient (95% CI, n)</th><th>Strict (95% CI, n)</th>` : ""}</tr></thead>
    <tbody>${segments.map((s) => html`<tr><td>${s.segment}</td><td class="num">${fmtInt(s.n)}</td><td>${rateCell(s.agreement)}</td><td class="num">${s.kappa ? s.kappa.kappa.toFixed(3) : html`<span class="muted" title=${s.kappaUndefined ?? ""}>—</span>`}</td>${s.lean ? html`<td>${rateCell(s.lean.lenientRate)}</td><td>${rateCell(s.lean.strictRate)}</td>` : ""}</tr>`)}</tbody></table>`,
      segments,
      csvFilename("judge", task.task, judge.model, "segments")
    )
  );
}

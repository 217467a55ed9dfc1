// Tables for the classifier and judge pages: per-class report, most-confused pairs, model comparisons.
// Every rate is shown with its n and 95% interval; a rate with no denominator reads "—" with a reason.
import {html} from "npm:htl";
import type {ModelComparison} from "../../loaders/queries/classifiers.js";
import type {ClassificationReport, ClassMetrics} from "../../loaders/metrics/classification/classificationReport.js";
import type {ConfusionMatrix} from "../../loaders/metrics/classification/confusionMatrix.js";
import {fmtP} from "../lib/format.js";
import {withCsv} from "./csvDownload.js";
import {stackOnPhone} from "./stackedTable.js";
import {fmtCI, fmtInt, fmtPct, type Interval} from "./format.js";

export {fmtCI};
export type RateLike = Interval;

/** A rate in a table cell: the rate, then its interval and n in a smaller muted line, as fmtCI writes them elsewhere. */
export function rateCell(r: RateLike | null | undefined, why = ""): HTMLElement {
  if (!r || r.rate === null || r.n === 0)
    return html`<span class="muted" title=${why}>no data <small>(n = ${fmtInt(r?.n ?? 0)})</small></span>`;
  return html`<span style="white-space: nowrap">${fmtPct(r.rate)}</span> <small class="muted" style="white-space: nowrap">[${fmtPct(r.low)}–${fmtPct(r.high)}] n = ${fmtInt(r.n)}</small>`;
}

const wide = "max-width: none";

export function classReportTable(report: ClassificationReport, {positive = null as string | null} = {}): HTMLElement {
  const why = {
    precision: "never predicted, so precision is undefined",
    recall: "never the true label here, so recall is undefined"
  };
  const cell = (c: ClassMetrics, what: "precision" | "recall") => rateCell(c[what], why[what]);
  return stackOnPhone(html`<table class="report" style=${wide}>
    <thead><tr><th>Class</th><th class="num">Support</th><th class="num">Predicted</th><th>Precision (95% CI, n)</th><th>Recall (95% CI, n)</th><th class="num">F1</th></tr></thead>
    <tbody>${report.classes.map(
      (c) => html`<tr>
      <td>${c.label}${c.label === positive ? html` <span class="muted">(positive)</span>` : ""}</td>
      <td class="num">${fmtInt(c.support)}</td><td class="num">${fmtInt(c.predicted)}</td>
      <td>${cell(c, "precision")}</td><td>${cell(c, "recall")}</td>
      <td class="num">${c.f1 === null ? "—" : c.f1.toFixed(3)}</td></tr>`
    )}
    </tbody>
    <tfoot><tr><td>All classes</td><td class="num">${fmtInt(report.n)}</td><td></td>
      <td colspan="2">accuracy ${rateCell(report.accuracy)}</td>
      <td class="num" title="macro-F1 / support-weighted F1">${report.macro.f1 === null ? "—" : report.macro.f1.toFixed(3)} / ${report.weighted.f1 === null ? "—" : report.weighted.f1.toFixed(3)}</td></tr></tfoot>
  </table>`);
}

/** The off-diagonal cells with the most items: which classes are mistaken for which. */
export function confusedPairs(
  {labels, counts}: ConfusionMatrix,
  limit = 6
): {label: string; predicted: string; count: number; of: number}[] {
  const pairs: {label: string; predicted: string; count: number; of: number}[] = [];
  counts.forEach((row, i) => {
    const of = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => i !== j && count > 0 && pairs.push({label: labels[i], predicted: labels[j], count, of}));
  });
  return pairs.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1)).slice(0, limit);
}

/** The most confused pairs, each with its share of the true class, and the download of those rows (`filename`) when there are any. */
export function confusedPairsTable(
  matrix: ConfusionMatrix,
  wilson: (s: number, n: number) => RateLike,
  filename: string
): HTMLElement {
  const pairs = confusedPairs(matrix).map((p) => ({...p, share: wilson(p.count, p.of)}));
  if (!pairs.length) return html`<p>No mistakes in this slice.</p>`;
  return withCsv(
    stackOnPhone(html`<table class="report" style=${wide}>
    <thead><tr><th>True class</th><th>Predicted as</th><th class="num">Items</th><th>Share of the true class (95% CI, n)</th></tr></thead>
    <tbody>${pairs.map((p) => html`<tr><td>${p.label}</td><td>${p.predicted}</td><td class="num">${fmtInt(p.count)}</td><td>${rateCell(p.share)}</td></tr>`)}</tbody>
  </table>`),
    pairs,
    filename
  );
}

export function comparisonTable(comparisons: readonly ModelComparison[]): HTMLElement {
  return stackOnPhone(html`<table class="report" style=${wide}>
    <thead><tr><th>Model A</th><th>Model B</th><th class="num">Same items</th><th>Accuracy A</th><th>Accuracy B</th><th class="num">Only A right</th><th class="num">Only B right</th><th>Exact McNemar</th></tr></thead>
    <tbody>${comparisons.map(
      (c) => html`<tr><td>${c.a}</td><td>${c.b}</td><td class="num">${fmtInt(c.paired)}</td>
      <td>${rateCell(c.aAccuracy)}</td><td>${rateCell(c.bAccuracy)}</td>
      <td class="num">${fmtInt(c.onlyA)}</td><td class="num">${fmtInt(c.onlyB)}</td>
      <td>${fmtP(c.p)}${c.p < 0.05 ? html` — <strong>${c.onlyA > c.onlyB ? c.a : c.b} is more accurate</strong>` : html` — <span class="muted">no significant difference</span>`}</td></tr>`
    )}</tbody>
  </table>`);
}

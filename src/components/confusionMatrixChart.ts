// A confusion matrix as a heatmap: rows are the true labels, columns the predicted ones, each cell
// colored by its share of the row (so the diagonal reads as recall whatever the class sizes) and
// labelled with a count or a percentage. A row or column without items says "—", never 0% or NaN.
import * as Plot from "@observablehq/plot";
import type {ConfusionMatrix} from "../../loaders/metrics/classification/confusionMatrix.js";

export type MatrixView = "count" | "true" | "pred";

interface Cell {
  label: string;
  predicted: string;
  count: number;
  rowShare: number | null;
  shown: number | null;
  text: string;
}

export function matrixCells({labels, counts}: ConfusionMatrix, view: MatrixView): Cell[] {
  const rows = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = labels.map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  return labels.flatMap((label, i) =>
    labels.map((predicted, j) => {
      const count = counts[i][j];
      const rowShare = rows[i] ? count / rows[i] : null;
      const shown = view === "count" ? count : view === "true" ? rowShare : cols[j] ? count / cols[j] : null;
      const percent = shown === null ? 0 : shown * 100;
      const text =
        shown === null
          ? "—"
          : view === "count"
            ? shown.toLocaleString("en-US")
            : `${percent.toFixed(percent > 0 && percent < 0.95 ? 1 : 0)}%`;
      return {label, predicted, count, rowShare, shown, text};
    })
  );
}

/** The label cut with an ellipsis to fit px pixels of 11 px system text (about 6.5 px a character). */
export function fitLabel(label: string, px: number): string {
  const chars = Math.max(4, Math.floor(px / 6.5));
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}

export function confusionMatrixChart(
  matrix: ConfusionMatrix,
  {
    width = 640,
    view = "true" as MatrixView,
    rowLabel = "True label",
    columnLabel = "Predicted label",
    withCounts = false
  } = {}
): SVGSVGElement | HTMLElement {
  const cells = matrixCells(matrix, view).map((c) =>
    withCounts && view !== "count" ? {...c, text: `${c.text}\n${c.count.toLocaleString("en-US")}`} : c
  );
  const longest = Math.max(...matrix.labels.map((l) => l.length), 4);
  // On a phone the row labels give up room to the cells, and column labels stand upright once a slant would collide.
  const marginLeft = Math.min(220, Math.round(width * 0.35), 20 + longest * 7);
  const rotated = matrix.labels.length > 3;
  const size = Math.max(
    34,
    Math.min(withCounts ? 88 : 72, (width - marginLeft - 20) / Math.max(1, matrix.labels.length))
  );
  const upright = rotated && size < 50;
  // The band each cell actually gets once the chart is held to the width.
  const band =
    (Math.min(width, marginLeft + 20 + size * matrix.labels.length) - marginLeft - 20) /
    Math.max(1, matrix.labels.length);
  const marginBottom = rotated ? Math.min(upright ? 190 : 130, 36 + longest * (upright ? 6.5 : 3.6)) : 40;
  return Plot.plot({
    width: Math.min(width, marginLeft + 20 + size * matrix.labels.length),
    height: 10 + marginBottom + size * matrix.labels.length,
    marginLeft,
    marginBottom,
    marginTop: 10,
    padding: 0.04,
    x: {
      label: columnLabel,
      domain: matrix.labels,
      tickRotate: upright ? -90 : rotated ? -35 : 0,
      axis: "bottom",
      labelAnchor: "center",
      labelOffset: marginBottom - 4
    },
    // A row label longer than the margin would run under the axis title: cut it there, the cell's tip names it in full.
    y: {label: rowLabel, domain: matrix.labels, tickFormat: (l: string) => fitLabel(l, marginLeft - 12)},
    color: {type: "linear", domain: [0, 1], range: ["#f4f6fb", "#1f4e99"]},
    marks: [
      // Plot skips a datum whose channel is null, so empty rows get no cell and the diagonal its own outline.
      Plot.cell(
        cells.filter((d) => d.rowShare !== null),
        {
          x: "predicted",
          y: "label",
          fill: "rowShare",
          inset: 0.5,
          title: (d: Cell) =>
            `true ${d.label} → predicted ${d.predicted}: ${d.count.toLocaleString("en-US")}${d.rowShare === null ? "" : ` (${(d.rowShare * 100).toFixed(1)}% of ${d.label})`}`
        }
      ),
      Plot.cell(
        cells.filter((d) => d.label === d.predicted),
        {x: "predicted", y: "label", stroke: "currentColor", fill: "none", inset: 0.5}
      ),
      Plot.text(cells, {
        x: "predicted",
        y: "label",
        text: "text",
        fill: (d: Cell) => ((d.rowShare ?? 0) > 0.55 ? "white" : "black"),
        fontSize: band > 44 ? 12 : band > 30 ? 10 : 8
      })
    ]
  });
}

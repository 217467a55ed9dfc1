// Eval triage's "where the change is" and "by option" cards, from the pair or grid the page shows (the
// build's, or recomputed on a filtered slice of the cases) and Framework's resize, which the page
// passes in: each chart with its CSV download, whose file name carries the filter's suffix.
import {html} from "npm:htl";
import type {Resize} from "./classifierViews.js";
import {csvFilename, withCsv} from "./csvDownload.js";
import {passRateGrid, sliceChart, type GridCell, type SliceChange} from "./triageCharts.js";

/** The length columns in the build's order, cases of unknown length last. */
const lengthOrder = (lengthBuckets: readonly string[]) => [...lengthBuckets, "unknown length"];

/** A download's name with the filter's suffix (empty when unfiltered) before `.csv`. */
const sliced = (filename: string, slice: string) => filename.replace(/\.csv$/, `${slice}.csv`);

/**
 * The pair's change by input length and by category (largest drop first), each a card with its CSV,
 * then `dropped` (the links to the failing cases of slices that dropped) when there is one.
 */
export function changeCards(
  pair: {before: string; after: string; slices: readonly SliceChange[]} | null,
  lengthBuckets: readonly string[],
  slice: string,
  resize: Resize,
  dropped: Node | null = null
): HTMLElement {
  const of = (dimension: string) => (pair ? pair.slices.filter((s) => s.dimension === dimension) : []);
  const card = (title: string, dimension: string, name: string, order: readonly string[] | null) => {
    const rows = of(dimension);
    const chart = pair
      ? withCsv(
          resize((width) => sliceChart(rows, {width, order})),
          rows,
          sliced(csvFilename(name, pair.before, pair.after), slice)
        )
      : "";
    return html`<div class="card"><h2>${title}</h2>${chart}</div>`;
  };
  return html`<div>${card("By input length (characters)", "length", "triage-by-length", lengthOrder(lengthBuckets))}${card(
    "By category, largest drop first",
    "category",
    "triage-by-category",
    null
  )}${dropped ?? ""}</div>`;
}

/** The pass-rate grid of the suite's options by input length and by category, each a card with its CSV. */
export function gridCards(
  suite: string | null,
  grid: readonly GridCell[],
  lengthBuckets: readonly string[],
  slice: string,
  resize: Resize
): HTMLElement {
  const card = (dimension: string, columns: readonly string[] | null) => {
    const cells = grid.filter((g) => g.dimension === dimension);
    const name = sliced(csvFilename(`triage-grid-${dimension}`, suite ?? ""), slice);
    return html`<div class="card">${
      suite
        ? withCsv(
            resize((width) => passRateGrid(cells, {width, columns})),
            cells,
            name
          )
        : ""
    }</div>`;
  };
  return html`<div>${card("length", lengthOrder(lengthBuckets))}${card("category", null)}</div>`;
}

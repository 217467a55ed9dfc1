// The y axis of a chart whose rows are named by long strings (options, categories, a judge's verdicts).
import * as Plot from "@observablehq/plot";

/**
 * The left margin for the row names, and the y axis that draws them in it: as wide as the longest name
 * (charWidth px a character) up to max px, but never more than a third of the chart, so that on a phone
 * the frame keeps room for more than one tick. A longer name wraps at its spaces and hyphens onto more
 * lines of its row (Plot wraps only when no textOverflow is set: an ellipsis would shorten it instead).
 */
export function nameAxis(names: readonly string[], width: number, {charWidth = 7, max = 240, facet = false} = {}) {
  const longest = Math.max(0, ...names.map((d) => d.length));
  const marginLeft = Math.min(max, Math.round(width / 3), Math.ceil(12 + charWidth * longest));
  // lineWidth is in ems of the axis's 10 px text; 9 px go to the tick and its padding, and 7 more to
  // Plot's estimate of a line's width, a few pixels short of the drawn glyphs.
  // facet: the names are the rows of facets (fy), as in a chart with a bar per series within each
  // name; Plot draws an fy axis on the right unless told, past a margin sized for the left.
  const options = {label: null, lineWidth: (marginLeft - 16) / 10};
  // The lines the longest name wraps onto, for a chart that makes its rows tall enough to hold them.
  const lines = Math.max(1, Math.ceil((charWidth * longest) / Math.max(1, marginLeft - 23)));
  return {marginLeft, lines, axis: facet ? Plot.axisFy({...options, anchor: "left"}) : Plot.axisY(options)};
}

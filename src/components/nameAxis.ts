// The y axis of a chart whose rows are named by long strings (options, categories, a judge's verdicts).
import * as Plot from "@observablehq/plot";

/**
 * The left margin for the row names, and the y axis that draws them in it: as wide as the longest name
 * (charWidth px a character) up to max px, but never more than a third of the chart, so that on a phone
 * the frame keeps room for more than one tick. A longer name wraps at its spaces and hyphens onto more
 * lines of its row (Plot wraps only when no textOverflow is set: an ellipsis would shorten it instead).
 * A word longer than a line (a name with no space or hyphen, such as an id or a payload) is cut into
 * lines of its own, since Plot never splits a word and the rest would run off the chart's left edge.
 * format: how a name is shown (the chart's own tick format), which the margin is sized on.
 */
export function nameAxis(
  names: readonly string[],
  width: number,
  {charWidth = 7, max = 240, facet = false, format = (name: string) => name} = {}
) {
  const longest = Math.max(0, ...names.map((d) => format(d).length));
  const marginLeft = Math.min(max, Math.round(width / 3), Math.ceil(12 + charWidth * longest));
  // lineWidth is in ems of the axis's 10 px text; 9 px go to the tick and its padding, and 7 more to
  // Plot's estimate of a line's width, a few pixels short of the drawn glyphs.
  // facet: the names are the rows of facets (fy), as in a chart with a bar per series within each
  // name; Plot draws an fy axis on the right unless told, past a margin sized for the left.
  // A word is cut only where it cannot fit the line at 6 px a character, about the width of the axis's
  // glyphs: at charWidth's 7 (the margin's generous estimate) "hallucination" broke into
  // "hallucinatio"/"n" on a phone, where Plot had room for it whole.
  const perLine = Math.max(1, Math.floor((marginLeft - 16) / 6));
  const tickFormat = (d: unknown) => breakWords(format(String(d)), perLine);
  const options = {label: null, lineWidth: (marginLeft - 16) / 10, tickFormat};
  // The lines the longest name wraps onto, for a chart that makes its rows tall enough to hold them.
  const lines = Math.max(1, Math.ceil((charWidth * longest) / Math.max(1, marginLeft - 23)));
  return {
    marginLeft,
    lines,
    tickFormat,
    axis: facet ? Plot.axisFy({...options, anchor: "left"}) : Plot.axisY(options)
  };
}

/**
 * The text with every word (a run between spaces and hyphens, where Plot wraps) longer than perLine
 * characters cut into pieces of perLine, one per line ("\n", a break Plot always takes).
 */
export function breakWords(text: string, perLine: number): string {
  return text.replace(/[^\s-]+/g, (word) =>
    word.length <= perLine ? word : (word.match(new RegExp(`.{1,${perLine}}`, "gsu")) ?? [word]).join("\n")
  );
}

// Where to write the labels of vertical rules (a slider's position, a cost optimum) along the top of a
// chart. Each label sits beside its rule; when two rules are close their labels would be drawn over each
// other (Plot has no collision avoidance for text), so a label turns to the other side of its rule, and
// only when no choice of sides separates them does it drop to a second row.
export interface RuleLabel {
  /** The rule's position in pixels. */
  x: number;
  text: string;
}

export interface RuleLabelPlacement {
  textAnchor: "start" | "end";
  /** Pixels from the rule to the text's anchor: positive to the right. */
  dx: number;
  /** 0 is the top row; row r is r × ROW_HEIGHT px lower. */
  row: number;
}

/** Average width of a character of Plot's 10 px sans-serif text, rounded up so estimates err wide. */
export const CHAR_WIDTH = 6.2;
export const ROW_HEIGHT = 13;
const GAP = 3;

/** The text's horizontal extent in pixels, as placed. */
export function labelExtent(label: RuleLabel, p: RuleLabelPlacement): [number, number] {
  const w = label.text.length * CHAR_WIDTH;
  const at = label.x + p.dx;
  return p.textAnchor === "start" ? [at, at + w] : [at - w, at];
}

/**
 * Places each label within [left, right] (the plot area: the y axis's label and ticks are left of
 * it) so that no two labels on the same row overlap. Prefers, in order: fewer rows, then more labels
 * to the right of their rule (the usual reading), then earlier labels on higher rows. Charts have a
 * handful of rules, so every assignment of side and row is tried (at most (2 × rows)^n).
 */
export function placeRuleLabels(
  labels: readonly RuleLabel[],
  {left, right}: {left: number; right: number}
): RuleLabelPlacement[] {
  if (labels.length > 4) throw new Error(`placeRuleLabels: ${labels.length} labels; at most 4 rules per chart`);
  const options = (rows: number): RuleLabelPlacement[] =>
    Array.from({length: rows}, (_, row) => [
      {textAnchor: "start" as const, dx: GAP, row},
      {textAnchor: "end" as const, dx: -GAP, row}
    ]).flat();
  for (let rows = 1; rows <= Math.max(1, labels.length); rows++) {
    let best: {placement: RuleLabelPlacement[]; score: number} | null = null;
    const choose = (i: number, chosen: RuleLabelPlacement[]) => {
      if (i === labels.length) {
        // Ends and rows are penalised; an end on an earlier label counts the same as on a later one.
        const score =
          chosen.reduce((s, p) => s + (p.textAnchor === "end" ? 1000 : 0), 0) +
          chosen.reduce((s, p, k) => s + p.row * (labels.length - k), 0);
        if (!best || score < best.score) best = {placement: [...chosen], score};
        return;
      }
      for (const p of options(rows)) {
        const [a, b] = labelExtent(labels[i], p);
        if (a < left || b > right) continue;
        const clash = chosen.some((q, k) => {
          if (q.row !== p.row) return false;
          const [c, d] = labelExtent(labels[k], q);
          return a < d + GAP && c < b + GAP;
        });
        if (!clash) choose(i + 1, [...chosen, p]);
      }
    };
    choose(0, []);
    if (best) return (best as {placement: RuleLabelPlacement[]}).placement;
  }
  // Too narrow for even one row each (a label wider than the plot): keep them beside their rules, one
  // row each, so at least they are not drawn over each other.
  return labels.map((_, row) => ({textAnchor: "start", dx: GAP, row}));
}

// Turns the slices of a run-to-run comparison into one sentence a PM can act on: is the change real
// (exact McNemar on the shared cases), and is it concentrated in a few slices of one dimension (the
// long inputs, one category) or broad. A slice counts only when its own paired test is significant.
import {exactMcNemar} from "./metrics/mcnemar.js";
import {fmtP} from "./format.js";

export type PairCounts = {
  /** Cases graded in both runs. */
  n: number;
  before_passes: number;
  after_passes: number;
  /** Passed before, failed after. */
  regressed: number;
  /** Failed before, passed after. */
  improved: number;
};

export type Slice = PairCounts & {
  dimension: string;
  value: string;
};

export interface Explanation {
  kind: "no-change" | "concentrated" | "broad";
  direction: "drop" | "gain" | null;
  /** Dimension and slice values the change is concentrated in. */
  dimension: string | null;
  values: string[];
  text: string;
}

const ALPHA = 0.05;
const pct = (passes: number, n: number) => (n ? `${((100 * passes) / n).toFixed(1)}%` : "—");
const sum = (slices: readonly PairCounts[]): PairCounts =>
  slices.reduce(
    (a, s) => ({
      n: a.n + s.n,
      before_passes: a.before_passes + s.before_passes,
      after_passes: a.after_passes + s.after_passes,
      regressed: a.regressed + s.regressed,
      improved: a.improved + s.improved
    }),
    {n: 0, before_passes: 0, after_passes: 0, regressed: 0, improved: 0}
  );
const moved = (c: PairCounts) => `${pct(c.before_passes, c.n)} → ${pct(c.after_passes, c.n)} on ${c.n} cases`;

/** How a dimension's slices read in a sentence, e.g. (values) => `inputs of ${values} characters`. */
export type Describe = Record<string, (values: string) => string>;

export function explainChange(overall: PairCounts, slices: readonly Slice[], describe: Describe = {}): Explanation {
  const name = (dimension: string, values: string) => describe[dimension]?.(values) ?? `${dimension} ${values}`;
  const p = exactMcNemar(overall.regressed, overall.improved).pValue;
  const net = overall.regressed - overall.improved;
  if (p >= ALPHA || net === 0) {
    const strongest = slices
      .map((s) => ({s, p: exactMcNemar(s.regressed, s.improved).pValue}))
      .filter((x) => x.p < ALPHA)
      .sort((a, b) => a.p - b.p)[0];
    const aside = strongest
      ? `, though ${name(strongest.s.dimension, strongest.s.value)} moved ${moved(strongest.s)} (${fmtP(strongest.p)})`
      : "";
    return {
      kind: "no-change",
      direction: null,
      dimension: null,
      values: [],
      text: `No significant change: ${moved(overall)} (${fmtP(p)})${aside}.`
    };
  }
  const direction = net > 0 ? "drop" : "gain";
  const sign = net > 0 ? 1 : -1;
  let best: {dimension: string; picked: Slice[]; coverage: number} | null = null;
  for (const dimension of [...new Set(slices.map((s) => s.dimension))]) {
    const all = slices.filter((s) => s.dimension === dimension);
    const picked = all.filter(
      (s) => sign * (s.regressed - s.improved) > 0 && exactMcNemar(s.regressed, s.improved).pValue < ALPHA
    );
    if (picked.length === 0 || picked.length === all.length) continue;
    const coverage = picked.reduce((c, s) => c + sign * (s.regressed - s.improved), 0) / Math.abs(net);
    if (!best || coverage > best.coverage || (coverage === best.coverage && picked.length < best.picked.length))
      best = {dimension, picked, coverage};
  }
  if (!best || best.coverage < 0.6) {
    return {
      kind: "broad",
      direction,
      dimension: null,
      values: [],
      text: `A broad ${direction}: ${moved(overall)} (${fmtP(p)}), not concentrated in one category or input length.`
    };
  }
  const inside = sum(best.picked);
  const values = best.picked.map((s) => s.value);
  const outside = sum(slices.filter((s) => s.dimension === best.dimension && !values.includes(s.value)));
  const pInside = exactMcNemar(inside.regressed, inside.improved).pValue;
  const text = `The ${direction} is concentrated in ${name(best.dimension, values.join(", "))}: ${moved(inside)} (${fmtP(pInside)}); elsewhere ${moved(outside)}.`;
  return {kind: "concentrated", direction, dimension: best.dimension, values, text};
}

// Eval triage's consecutive pair and pass-rate grid recomputed on a filtered slice of the cases, in the
// browser from the packed per-case outcomes (loaders/queries/triageOutcomes.ts): the paired counts
// are counted here, case by case, and shaped by the build's own functions (src/lib/triageSlices.ts),
// so a slice reads exactly as the build would read a warehouse holding only those cases. A case's
// length bucket is the case's (the least input length any run gave it), as the filter's is.
import {html} from "npm:htl";
import {byText} from "../lib/all.js";
import {unpackOutcomes} from "../lib/outcomes.js";
import {gridCell, pairChange, type GridCount, type PairCounts, type Slice} from "../lib/triageSlices.js";
import {cards} from "./cards.js";
import {fmtPValue, fmtPts, fmtRange} from "./evalFormat.js";
import {fmtInt, fmtPct} from "./format.js";
import type {OutcomeSuite} from "./triageCompare.js";

const zero = (): PairCounts => ({n: 0, before_passes: 0, after_passes: 0, regressed: 0, improved: 0});

/** One case both runs graded, x before and y after (outcome codes: 1 failed, 2 passed). */
function add(c: PairCounts, x: number, y: number) {
  c.n++;
  if (x === 2) c.before_passes++;
  if (y === 2) c.after_passes++;
  if (x === 2 && y === 1) c.regressed++;
  if (x === 1 && y === 2) c.improved++;
}

const outcomesOf = (suite: OutcomeSuite, run: string) => {
  const r = suite.runs.find((x) => x.run_id === run);
  if (!r) throw new Error(`triageSlice: run ${run} is not in suite ${suite.suite}`);
  return unpackOutcomes(r.outcomes, suite.cases);
};

/**
 * Two runs' paired counts on the kept cases both graded: overall, then per category (by name) and per
 * length bucket (in bucket order, unknown last), as the build's GROUPING SETS query orders them.
 */
export function pairSlices(
  suite: OutcomeSuite,
  before: string,
  after: string,
  keep: readonly boolean[],
  lengthBuckets: readonly string[]
): {overall: PairCounts; slices: Slice[]; only_before: number; only_after: number} {
  const [a, b] = [outcomesOf(suite, before), outcomesOf(suite, after)];
  const overall = zero();
  const byCategory = suite.categories.map(zero);
  const byBucket = lengthBuckets.map(zero);
  const only = {before: 0, after: 0};
  // One pass over the cases (a loop, not forEach: this runs on every filter change, over every case).
  for (let i = 0; i < a.length; i++) {
    if (!keep[i]) continue;
    const x = a[i];
    const y = b[i];
    if (x !== 0 && y === 0) only.before++;
    if (x === 0 && y !== 0) only.after++;
    if (x === 0 || y === 0) continue;
    add(overall, x, y);
    add(byCategory[suite.case_categories[i]], x, y);
    add(byBucket[suite.case_buckets[i]], x, y);
  }
  const categories = suite.categories
    .map((value, k) => ({...byCategory[k], dimension: "category", value}))
    .sort((x, y) => byText(x.value, y.value));
  const buckets = lengthBuckets.map((value, k) => ({...byBucket[k], dimension: "length", value}));
  return {
    overall,
    slices: [...categories, ...buckets].filter((s) => s.n > 0),
    only_before: only.before,
    only_after: only.after
  };
}

/** The consecutive pair on the slice: its change, where it is, and every slice's figures. */
export function slicedPair(
  suite: OutcomeSuite,
  pair: {before: string; after: string},
  keep: readonly boolean[],
  lengthBuckets: readonly string[]
) {
  const {overall, slices, only_before, only_after} = pairSlices(suite, pair.before, pair.after, keep, lengthBuckets);
  return {
    ...pairChange(overall, slices),
    regressed: overall.regressed,
    improved: overall.improved,
    only_before,
    only_after
  };
}
export type SlicedPair = ReturnType<typeof slicedPair>;

/** A grid row's run, as the build's grid names it. */
type GridRun = Pick<GridCount, "suite" | "option" | "model" | "prompt_version" | "run_id" | "started_at">;

/**
 * The pass-rate grid on the slice: for each run the build's grid shows (the latest of each option, in
 * its order), its kept cases per category (by name) and per length bucket (unknown last).
 */
export function slicedGrid(
  suite: OutcomeSuite,
  grid: readonly GridRun[],
  keep: readonly boolean[],
  lengthBuckets: readonly string[]
) {
  const runs = [...new Map(grid.map((g) => [g.run_id, g])).values()];
  const labels = lengthBuckets.slice(0, -1);
  // The kept cases' indexes, once: every run of the grid is counted over them alone.
  const kept: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) kept.push(i);
  return runs.flatMap((g) => {
    const run: GridRun = {
      suite: g.suite,
      option: g.option,
      model: g.model,
      prompt_version: g.prompt_version,
      run_id: g.run_id,
      started_at: g.started_at
    };
    // Every cell's cases and passes in one pass over the kept cases (per cell, it was a pass over all).
    const outcomes = outcomesOf(suite, g.run_id);
    const byCategory = suite.categories.map(() => ({n: 0, passes: 0}));
    const byBucket = lengthBuckets.map(() => ({n: 0, passes: 0}));
    for (const i of kept) {
      const x = outcomes[i];
      if (x === 0) continue;
      const category = byCategory[suite.case_categories[i]];
      const bucket = byBucket[suite.case_buckets[i]];
      category.n++;
      bucket.n++;
      if (x === 2) category.passes++;
      if (x === 2) bucket.passes++;
    }
    const categories = suite.categories
      .map((category, k) => ({...run, dimension: "category", category, bucket: null, ...byCategory[k]}))
      .sort((x, y) => byText(x.category, y.category));
    const buckets = lengthBuckets.map((_, k) => ({
      ...run,
      dimension: "length",
      category: null,
      bucket: k < labels.length ? k : null,
      ...byBucket[k]
    }));
    return [...categories, ...buckets].filter((c) => c.n > 0).map((c) => gridCell(c, labels));
  });
}

/** The consecutive pair's headline on the slice: both rates on the shared cases, the change and its paired test. */
export function slicedPairCards(p: SlicedPair, scope: string): HTMLElement {
  const {before, after, delta, n, p_value} = p.overall;
  if (!n) return html`<p class="muted" data-testid="pair-slice-cards">No case of ${scope} was graded by both runs.</p>`;
  const significant = p_value !== null && p_value < 0.05;
  return html`<div data-testid="pair-slice-cards"><p class="muted">Filtered to ${scope}: ${fmtInt(n)} shared cases.</p>${cards(
    [
      {
        label: "Pass rate before",
        value: fmtPct(before.rate),
        note: `95% CI ${fmtRange(before)} · n = ${fmtInt(n)} shared`
      },
      {
        label: "Pass rate after",
        value: fmtPct(after.rate),
        note: `95% CI ${fmtRange(after)} · n = ${fmtInt(n)} shared`
      },
      {
        label: "Change on shared cases",
        value: fmtPts(delta),
        note: `${fmtInt(p.regressed)} regressed, ${fmtInt(p.improved)} improved of ${fmtInt(n)} · McNemar ${fmtPValue(p_value)}`,
        tone: significant ? ((delta ?? 0) < 0 ? "bad" : "good") : undefined
      }
    ]
  )}</div>`;
}

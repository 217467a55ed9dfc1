// A run pair's change on eval triage, shaped from its paired counts (overall, per category, per
// input-length bucket): each slice's rates with a Wilson interval, its change and exact McNemar p, and
// the sentence that says where the change is (explainChange.ts). The build shapes the consecutive
// pairs' counts from SQL with it (loaders/queries/evalTriage.ts), and the page shapes a filtered
// slice's counts from the packed outcomes with it, so both read the same figures.
import {explainChange, type PairCounts, type Slice} from "./explainChange.js";
import {round} from "./format.js";
import {exactMcNemar} from "./metrics/mcnemar.js";
import {wilsonInterval} from "./metrics/wilson.js";

export type {PairCounts, Slice};

/** How each dimension's slices read in the explanation's sentence. */
export const DESCRIBE_SLICE = {
  category: (v: string) => `category ${v}`,
  length: (v: string) => `inputs of ${v} characters`
};

/** A pass rate with its 95% Wilson interval and n, rounded as every triage rate. */
export const triageRate = (successes: number, n: number) => {
  const r = wilsonInterval(successes, n);
  return {rate: round(r.rate, 4), low: round(r.low, 4), high: round(r.high, 4), n};
};

/** One slice of a pair as the page's chart and its download read it. */
export const sliceFigures = (s: Slice) => ({
  dimension: s.dimension,
  value: s.value,
  n: s.n,
  before: triageRate(s.before_passes, s.n),
  after: triageRate(s.after_passes, s.n),
  delta: s.n ? round((s.after_passes - s.before_passes) / s.n, 4) : null,
  regressed: s.regressed,
  improved: s.improved,
  p_value: round(exactMcNemar(s.regressed, s.improved).pValue, 6)
});

/** The pair's overall change, where it is, and every slice's figures. */
export function pairChange(overall: PairCounts, slices: readonly Slice[]) {
  return {
    overall: sliceFigures({...overall, dimension: "all", value: "all"}),
    explanation: explainChange(overall, slices, DESCRIBE_SLICE),
    slices: slices.map(sliceFigures)
  };
}

/** The latest run of an option in one category (bucket null) or one length bucket (category null): its cases and passes. */
export type GridCount = {
  suite: string;
  option: string;
  model: string;
  prompt_version: string | null;
  run_id: string;
  started_at: string;
  dimension: string;
  category: string | null;
  bucket: number | null;
  n: number;
  passes: number;
};

/** One cell of the pass-rate grid; `bucketLabels` are the length buckets' labels, null being "unknown length". */
export const gridCell = ({category, bucket, passes, ...r}: GridCount, bucketLabels: readonly string[]) => ({
  ...r,
  value: r.dimension === "length" ? (bucket === null ? "unknown length" : bucketLabels[bucket]) : category!,
  order: r.dimension === "length" ? (bucket ?? bucketLabels.length) : 0,
  ...triageRate(passes, r.n)
});

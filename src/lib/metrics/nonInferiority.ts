// The bake-off's two rules that the page also runs in the browser on a filtered slice: which option is
// the best, and whether another option is within the margin of it (the launch gates' rule on the
// paired difference). The recommendation built on them is recommendOption.ts, beside it.
import {gateVerdict, type GateVerdict} from "./gateVerdict.js";
import {pairedProportionDifference, type PairedCounts} from "./pairedProportionDifference.js";
import {exactMcNemar} from "./mcnemar.js";
import {round} from "../format.js";

export interface OptionEvidence {
  key: string;
  n: number;
  passes: number;
  /** Mean cost per request; null when unknown: such an option is never recommended as the cheapest. */
  cost: number | null;
  /** Why the cost is unknown, when it is, for the note that leaves the option out. */
  costUnknown?: string;
  latencyP95: number | null;
}

export interface NonInferiority {
  /** The option's pass rate minus the best's on their shared cases, with its paired 95% interval. */
  difference: number | null;
  low: number | null;
  high: number | null;
  /** pass: the lower bound clears −margin; fail: the whole interval is below it; else inconclusive. */
  verdict: GateVerdict;
}

/** Whether an option is at most `margin` worse than the best: the launch gates' rule on the paired difference. */
export function nonInferiority(counts: PairedCounts, margin: number): NonInferiority {
  const d = pairedProportionDifference(counts);
  return {...d, verdict: gateVerdict({direction: "min", threshold: 0, margin, estimate: d.difference, ...d})};
}

/**
 * An option's paired comparison with the best as the bake-off page stores it, for the build and for a
 * filtered slice in the browser alike: shared and discordant cases, the exact McNemar p, the paired
 * difference with its interval, and with a margin the verdict.
 */
export function differenceFromBest(counts: PairedCounts & {shared: number}, margin: number | null) {
  const n = nonInferiority(counts, margin ?? 0);
  return {
    shared: counts.shared,
    only_this: counts.aOnly,
    only_best: counts.bOnly,
    p_value: round(exactMcNemar(counts.aOnly, counts.bOnly).pValue, 6),
    difference: {estimate: round(n.difference, 4), low: round(n.low, 4), high: round(n.high, 4)},
    within_margin: margin === null ? null : n.verdict
  };
}

export const rateOf = (o: OptionEvidence): number => (o.n ? o.passes / o.n : -1);

/** The option with the highest pass rate; ties go to the cheaper, then to the first key. */
export function bestOption(options: readonly OptionEvidence[]): OptionEvidence | null {
  const graded = options.filter((o) => o.n > 0);
  return (
    [...graded].sort(
      (a, b) => rateOf(b) - rateOf(a) || (a.cost ?? Infinity) - (b.cost ?? Infinity) || (a.key < b.key ? -1 : 1)
    )[0] ?? null
  );
}

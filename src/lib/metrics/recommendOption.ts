// Which option to ship for a slice of traffic: the cheapest one whose pass rate is not significantly
// worse than the best option's, among those within the feature's budgets. "Not significantly worse"
// is an exact McNemar test on the cases both options graded (α = 0.05, two-sided): it protects
// against switching to a cheaper model on the strength of noise, but it is not a proof of
// equivalence — with few cases almost anything passes, so the n is shown next to every verdict, with
// the smallest difference that n could detect. A stated non-inferiority margin ("the cheaper model
// may be up to 2 points worse") replaces the test with the launch gates' rule (gateVerdict.ts): an
// option qualifies when the lower bound of its paired difference from the best clears −margin.
import {exactMcNemar} from "./mcnemar.js";
import {bestOption, nonInferiority, rateOf, type OptionEvidence} from "./nonInferiority.js";
import {minimumDetectableDifference} from "./minimumDetectableDifference.js";

export interface Budget {
  cost?: number;
  latencyP95?: number;
}

/** Cases only `a` passed and cases only `b` passed, over the cases both graded; `both` (cases both
 * passed) is needed only to judge a margin. */
export type Discordant = (a: string, b: string) => {aOnly: number; bOnly: number; shared: number; both?: number};

/** The smallest difference from the best that `shared` paired cases would usually detect (as two
 * independent samples, an upper bound for the paired design; the launch gate reads its baseline the same way). */
export const detectableVsBest = (bestRate: number, shared: number): number | null =>
  shared > 0 ? minimumDetectableDifference(bestRate, shared, {samples: 2}) : null;

export interface Recommendation {
  recommended: string | null;
  best: string | null;
  /** Why each other option was not recommended. */
  excluded: {key: string; why: string}[];
  reason: string;
  /** The non-inferiority margin the recommendation used, or null (then the paired McNemar test). */
  margin: number | null;
  /** Without a margin, when a cheaper option was picked over the best: the difference its shared cases could detect. */
  minimum_detectable: number | null;
}

const ALPHA = 0.05;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x < 0 ? "−" : ""}${Math.abs(100 * x).toFixed(1)} pts`;
const usd = (x: number | null) => (x === null ? "unknown cost" : `$${x < 1 ? x.toPrecision(3) : x.toFixed(2)}/request`);

/** Why an option fails the margin, or null when it is shown to be within it. */
function outsideMargin(d: ReturnType<Discordant>, margin: number): string | null {
  if (d.both === undefined) throw new Error("recommendOption: a margin needs the cases both options passed");
  const n = nonInferiority({both: d.both, aOnly: d.aOnly, bOnly: d.bOnly, shared: d.shared}, margin);
  if (n.verdict === "pass") return null;
  const interval = `difference ${pts(n.difference ?? 0)}, 95% CI ${pts(n.low ?? 0)} to ${pts(n.high ?? 0)} on ${d.shared} shared cases`;
  return n.verdict === "fail"
    ? `more than ${pts(margin)} worse than the best (${interval})`
    : `not shown to be within ${pts(margin)} of the best (${interval}): the interval reaches below −${pts(margin)}`;
}

export function recommendOption(
  options: readonly OptionEvidence[],
  discordant: Discordant,
  budget: Budget = {},
  margin: number | null = null
): Recommendation {
  const graded = options.filter((o) => o.n > 0);
  const best = bestOption(graded);
  const none = {margin, minimum_detectable: null};
  if (!best) return {recommended: null, best: null, excluded: [], reason: "No option has graded cases.", ...none};
  const excluded: {key: string; why: string}[] = [];
  const eligible: {o: OptionEvidence; p: number; d: ReturnType<Discordant> | null}[] = [];
  const unknownCost: OptionEvidence[] = [];
  for (const o of graded) {
    const d = o === best ? null : discordant(o.key, best.key);
    const p = d ? exactMcNemar(d.aOnly, d.bOnly).pValue : 1;
    const outside = d && margin !== null ? outsideMargin(d, margin) : null;
    if (outside) excluded.push({key: o.key, why: outside});
    else if (d && margin === null && rateOf(o) < rateOf(best) && p < ALPHA)
      excluded.push({
        key: o.key,
        why: `significantly below the best (${pct(rateOf(o))} vs ${pct(rateOf(best))}, McNemar p ${p < 0.001 ? "< 0.001" : `= ${p.toFixed(3)}`} on ${d.shared} shared cases)`
      });
    else if (budget.cost !== undefined && o.cost !== null && o.cost > budget.cost)
      excluded.push({key: o.key, why: `over the cost budget (${usd(o.cost)} > ${usd(budget.cost)})`});
    else if (budget.latencyP95 !== undefined && o.latencyP95 !== null && o.latencyP95 > budget.latencyP95)
      excluded.push({
        key: o.key,
        why: `over the p95 latency budget (${Math.round(o.latencyP95)} ms > ${budget.latencyP95} ms)`
      });
    else if (o.cost === null) unknownCost.push(o);
    else eligible.push({o, p, d});
  }
  // Only a known cost can make an option the cheapest: one of unknown cost (a source that wrote $0
  // for a model it had no price for) is left out, and says so, rather than ranked as free or last.
  excluded.push(
    ...unknownCost.map((o) => ({
      key: o.key,
      why: `cost unknown${o.costUnknown ? ` (${o.costUnknown})` : ""}: left out of the cost ranking`
    }))
  );
  if (eligible.length === 0 && unknownCost.length > 0) {
    return {
      recommended: null,
      best: best.key,
      excluded,
      ...none,
      reason:
        `The cost of ${unknownCost.map((o) => o.key).join(", ")} is unknown, and no option of known cost is as good as the best (${best.key}) and ` +
        `within budget: add the models to prices in workbench.config.json.`
    };
  }
  if (eligible.length === 0)
    return {
      recommended: null,
      best: best.key,
      excluded,
      ...none,
      reason: `No option is both as good as the best (${best.key}) and within budget.`
    };
  const pick = [...eligible].sort(
    (a, b) =>
      (a.o.cost ?? Infinity) - (b.o.cost ?? Infinity) || rateOf(b.o) - rateOf(a.o) || (a.o.key < b.o.key ? -1 : 1)
  )[0];
  const others = eligible
    .filter((e) => e !== pick)
    .map((e) => ({key: e.o.key, why: `as good, but dearer (${usd(e.o.cost)})`}));
  const reason =
    pick.o === best
      ? `${best.key} has the best pass rate (${pct(rateOf(best))}, n = ${best.n}) and no cheaper option matches it.`
      : margin !== null
        ? `${pick.o.key} is the cheapest (${usd(pick.o.cost)}) shown to be at most ${pts(margin)} worse than the best, ${best.key}: ` +
          `its pass rate is ${pct(rateOf(pick.o))} against ${pct(rateOf(best))} (n = ${pick.o.n}), ` +
          `and the 95% interval of the difference stays above −${pts(margin)}.`
        : `${pick.o.key} is the cheapest (${usd(pick.o.cost)}) whose pass rate (${pct(rateOf(pick.o))}, n = ${pick.o.n}) is not significantly below ` +
          `the best, ${best.key} (${pct(rateOf(best))}; McNemar p = ${pick.p.toFixed(2)}).`;
  // "Not significantly below" is not "equivalent": say how large a gap these shared cases could miss.
  const d = pick.d;
  const minimum_detectable =
    margin === null && d && d.shared > 0
      ? detectableVsBest(d.both === undefined ? rateOf(best) : (d.both + d.bOnly) / d.shared, d.shared)
      : null;
  const unknownNote = unknownCost.length
    ? ` The cost of ${unknownCost.map((o) => o.key).join(", ")} is unknown, so it was not weighed.`
    : "";
  return {
    recommended: pick.o.key,
    best: best.key,
    excluded: [...excluded, ...others],
    reason: reason + unknownNote,
    margin,
    minimum_detectable
  };
}

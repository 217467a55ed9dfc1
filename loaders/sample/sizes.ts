// How much to generate. The default is the embedded sample; a scale of N asks for at least N
// eval results and at least N spans, with the other tables grown in proportion.
import {createRng} from "./random.js";
import {evalRunPlan} from "./evalRuns.js";
import {evalSuites} from "./evalSuites.js";
import {MIN_SPANS_PER_TRACE} from "./spans.js";
import {TRAFFIC} from "./story.js";

export interface SampleSizes {
  readonly caseMultiplier: number;
  readonly requests: number;
  readonly itemMultiplier: number;
  readonly flagMultiplier: number;
}

export const DEFAULT_SIZES: SampleSizes = {
  caseMultiplier: 1,
  requests: TRAFFIC.requests,
  itemMultiplier: 1,
  flagMultiplier: 1
};

/** eval_results rows at the default size: the sum of cases over all planned runs. */
export function defaultEvalRows(): number {
  const rng = createRng(0, "plan-size");
  return evalRunPlan(rng, evalSuites(rng, 1)).reduce((n, run) => n + run.cases.length, 0);
}

/** spans, when given, sizes the traffic on its own (at least that many spans); scale then sizes the rest. */
export function sampleSizes(scale?: number, spans?: number): SampleSizes {
  if (scale === undefined) return DEFAULT_SIZES;
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`scale must be a positive integer (rows of eval_results and of spans); got ${scale}`);
  if (spans !== undefined && (!Number.isInteger(spans) || spans < 1))
    throw new Error(`spans must be a positive integer; got ${spans}`);
  const factor = scale / defaultEvalRows();
  const requests = Math.ceil(((spans ?? scale) * TRAFFIC.traceSampleEvery) / MIN_SPANS_PER_TRACE);
  return {caseMultiplier: factor, requests, itemMultiplier: factor, flagMultiplier: factor};
}

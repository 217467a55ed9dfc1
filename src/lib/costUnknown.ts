// Why an option's cost is unknown, in words: the build's bake-off and frontier (over eval_option_request)
// and the bake-off's filtered slice in the browser (over the same requests of bakeoff-cases.json) say it alike.

/** An option's requests as far as its cost goes: the mean (null when unknown), how many carried a cost, and how many reported $0 without a price. */
export interface CostEvidence {
  cost_mean: number | null;
  cost_n: number;
  cost_reported_zero: number;
  requests: number;
}

/** Why an option's cost is unknown, in words for the page and the recommendation's note. */
export function costUnknownWhy(q: CostEvidence | undefined): string | undefined {
  if (!q || q.cost_mean !== null) return undefined;
  if (q.cost_reported_zero > 0)
    return `${q.cost_reported_zero} of ${q.requests} requests reported $0 despite using tokens, and the price table has no price for the model`;
  return q.cost_n === 0 ? "no request has a reported cost, or tokens and a price to compute one" : undefined;
}

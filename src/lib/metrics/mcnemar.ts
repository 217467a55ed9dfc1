// Exact McNemar test for paired pass/fail outcomes on the same cases. Only discordant pairs carry
// information: b = cases only A passed, c = cases only B passed. Under "A and B pass equally often"
// each discordant case is a fair coin, so min(b, c) ~ Binomial(b + c, ½); the two-sided p-value is
// twice that tail, capped at 1 (the definition of statsmodels' mcnemar(exact=True)).
import {binomialCdf} from "./binomial.js";

export interface McNemar {
  /** Cases A passed and B failed. */
  b: number;
  /** Cases B passed and A failed. */
  c: number;
  /** Discordant pairs, b + c. */
  discordant: number;
  /** Two-sided exact p-value; 1 when there are no discordant pairs. */
  pValue: number;
}

export function exactMcNemar(b: number, c: number): McNemar {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0)
    throw new RangeError(`exactMcNemar: counts must be whole numbers ≥ 0, got b=${b}, c=${c}`);
  const discordant = b + c;
  const pValue = discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(Math.min(b, c), discordant, 0.5));
  return {b, c, discordant, pValue};
}

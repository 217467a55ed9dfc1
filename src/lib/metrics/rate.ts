// A rate as the production pages show it: n, successes and the 95% Wilson interval, rounded to 6
// digits. One definition for the build's queries and the pages' in-browser recomputation of a filtered
// slice, so both print the same figure for the same rows.
import {round} from "../format.js";
import {wilsonInterval, type Rate} from "./wilson.js";

export const RATE_DIGITS = 6;

export function rate(successes: number, n: number): Rate {
  const r = wilsonInterval(successes, n);
  return {...r, rate: round(r.rate, RATE_DIGITS), low: round(r.low, RATE_DIGITS), high: round(r.high, RATE_DIGITS)};
}

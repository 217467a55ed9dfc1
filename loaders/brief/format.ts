// How the brief writes a number: with the formats the pages use (src/lib/format.ts), so a figure
// reads the same in the brief and on the page it links to; plus the brief's own units.
import {fmtInt, fmtMs, fmtP, fmtPct, fmtPts, fmtUsd} from "../../src/lib/format.js";

export {fmtDate, fmtInt, fmtMs, fmtP, fmtPct, fmtPts, fmtUsd, fmtWholePeriod} from "../../src/lib/format.js";

export const fmtPsi = (x: number) => x.toFixed(3);

export type Unit = "rate" | "ms" | "usd" | "count" | "pts" | "p" | "psi" | "score";

export function fmtValue(x: number, unit: Unit): string {
  switch (unit) {
    case "rate":
      return fmtPct(x);
    case "ms":
      return fmtMs(x);
    case "usd":
      return fmtUsd(x);
    case "pts":
      return fmtPts(x);
    case "p":
      return fmtP(x);
    case "psi":
      return fmtPsi(x);
    case "score":
      return x.toFixed(3);
    default:
      return fmtInt(x);
  }
}

/** "[82.8%–89.5%]", "[2.05 s–2.42 s]", as fmtCI writes them; an open end is "…". */
export function fmtInterval(low: number | null, high: number | null, unit: Unit): string {
  // As the production pages write a difference: "[−21.4 to −2.5]".
  if (unit === "pts")
    return `[${low === null ? "…" : fmtPts(low).replace(" pts", "")} to ${high === null ? "…" : fmtPts(high).replace(" pts", "")}]`;
  const end = (x: number | null) => (x === null ? "…" : fmtValue(x, unit));
  return `[${end(low)}–${end(high)}]`;
}

// Formats of the production pages: a rate with its interval and n, a difference in points with its
// interval, a PSI with its reading, a p-value. Kept in one place so every page says them alike.
import {ALL} from "../lib/all.js";

export {fmtCI, type Interval} from "./format.js";
// The shared money and p-value formats (src/lib/format.ts), under the names the production pages import.
export {fmtP as fmtPValue, fmtUsd as fmtCost} from "../lib/format.js";
export {ALL} from "../lib/all.js";

export interface Difference {
  value: number | null;
  low: number | null;
  high: number | null;
}

const pts = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)}`;

/** "+28.3 pts [+25.0 to +31.7]" */
export function fmtDiff(d: Difference | null | undefined): string {
  if (!d || d.value === null) return "—";
  return `${pts(d.value)} pts [${pts(d.low!)} to ${pts(d.high!)}]`;
}

export const fmtPsi = (psi: number | null | undefined) => (psi == null ? "—" : psi.toFixed(3));

/** The usual reading of a PSI, the thresholds written out where it is shown. */
export const psiReading = (level: string | null | undefined) =>
  level === "major"
    ? "major shift (> 0.25)"
    : level === "moderate"
      ? "moderate shift (0.1–0.25)"
      : level === "stable"
        ? "stable (< 0.1)"
        : "not computed";

export const allLabel = (v: string, all = "All") => (v === ALL ? all : v);

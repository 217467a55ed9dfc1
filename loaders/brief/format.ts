// How the brief writes a number: the same strings the other pages show for the same figure (see
// src/components/format.ts, evalFormat.ts, productionFormat.ts). Repeated here because a loader may
// only import from loaders/, the code the warehouse fingerprint covers; a test pins the two together.

export const fmtInt = (x: number) => Math.round(x).toLocaleString("en-US");

export const fmtPct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export const fmtMs = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

/** Three significant digits, trailing zeros dropped: "$0.00976", "$0.012". */
export const fmtUsd = (x: number) => (x >= 100 ? `$${Math.round(x).toLocaleString("en-US")}` : `$${Number(x.toPrecision(3))}`);

/** A change in percentage points, signed: "−8.3 pts". */
export const fmtPts = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)} pts`;

export const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`);

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
  if (unit === "pts") return `[${low === null ? "…" : fmtPts(low).replace(" pts", "")} to ${high === null ? "…" : fmtPts(high).replace(" pts", "")}]`;
  const end = (x: number | null) => (x === null ? "…" : fmtValue(x, unit));
  return `[${end(low)}–${end(high)}]`;
}

export const fmtDate = (iso: string) => iso.slice(0, 10);

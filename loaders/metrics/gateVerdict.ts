// A launch gate's verdict comes from the interval, not the point estimate: a gate passes only when
// the whole 95% interval is on the right side of the threshold, fails when the whole interval is on
// the wrong side, and is not yet conclusive when the interval straddles it (more cases would tell).
// A missing bound (a p95 from too few requests has no upper bound) can never confirm a pass.
export type GateDirection = "min" | "max";
export type GateVerdict = "pass" | "fail" | "inconclusive" | "no-data";
export type LaunchVerdict = "go" | "no-go" | "inconclusive";

export interface GateEvidence {
  direction: GateDirection;
  threshold: number;
  estimate: number | null;
  low: number | null;
  high: number | null;
}

export function gateVerdict({direction, threshold, estimate, low, high}: GateEvidence): GateVerdict {
  if (estimate === null || Number.isNaN(estimate)) return "no-data";
  if (direction === "min") {
    if (low !== null && low >= threshold) return "pass";
    if (high !== null && high < threshold) return "fail";
  } else {
    if (high !== null && high <= threshold) return "pass";
    if (low !== null && low > threshold) return "fail";
  }
  return "inconclusive";
}

/** Go when every gate passes, no-go when any fails, otherwise not yet conclusive. */
export function launchVerdict(verdicts: readonly GateVerdict[]): LaunchVerdict {
  if (verdicts.includes("fail")) return "no-go";
  if (verdicts.length > 0 && verdicts.every((v) => v === "pass")) return "go";
  return "inconclusive";
}

// A launch gate's verdict comes from the interval, not the point estimate: a gate passes only when
// the whole 95% interval is on the right side of the threshold, fails when the whole interval is on
// the wrong side, and is not yet conclusive when the interval straddles it (more cases would tell).
// A missing bound (a p95 from too few requests has no upper bound) can never confirm a pass.
// A gate may state a non-inferiority margin ("the candidate may be up to 2 points worse"): the
// interval then has to clear the threshold moved by the margin (threshold − margin for a minimum,
// threshold + margin for a maximum). Without one, the bar is the threshold itself.
export type GateDirection = "min" | "max";
export type GateVerdict = "pass" | "fail" | "inconclusive" | "no-data";
export type LaunchVerdict = "go" | "no-go" | "inconclusive";

export interface GateEvidence {
  direction: GateDirection;
  threshold: number;
  /** How far past the threshold the product may tolerate, in the metric's unit; 0 when not stated. */
  margin?: number | null;
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** The value the interval must clear: the threshold, moved against the gate's direction by its margin. */
export function gateBar({
  direction,
  threshold,
  margin
}: Pick<GateEvidence, "direction" | "threshold" | "margin">): number {
  if (margin != null && !(margin >= 0)) throw new RangeError(`gateBar: a margin must be 0 or more, got ${margin}`);
  return direction === "min" ? threshold - (margin ?? 0) : threshold + (margin ?? 0);
}

export function gateVerdict(evidence: GateEvidence): GateVerdict {
  const {direction, estimate, low, high} = evidence;
  if (estimate === null || Number.isNaN(estimate)) return "no-data";
  const bar = gateBar(evidence);
  if (direction === "min") {
    if (low !== null && low >= bar) return "pass";
    if (high !== null && high < bar) return "fail";
  } else {
    if (high !== null && high <= bar) return "pass";
    if (low !== null && low > bar) return "fail";
  }
  return "inconclusive";
}

/** Go when every gate passes, no-go when any fails, otherwise not yet conclusive. */
export function launchVerdict(verdicts: readonly GateVerdict[]): LaunchVerdict {
  if (verdicts.includes("fail")) return "no-go";
  if (verdicts.length > 0 && verdicts.every((v) => v === "pass")) return "go";
  return "inconclusive";
}

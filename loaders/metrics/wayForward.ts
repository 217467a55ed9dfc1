// What would settle a gate that is not yet conclusive, sized to the suite the team has. "About 1,777
// more cases" against a 400-case suite is not an action; rerunning the suite a few times (epochs),
// growing it, or a limited canary read from production are. Repeats of the same cases carry less
// information than new ones (a case that fails tends to fail again), so epochs are proposed only up
// to MAX_EPOCHS passes, a larger suite up to MAX_SUITE_GROWTH times the current one, and beyond that
// a canary at CANARY_SHARE of current traffic, with how many days it needs.
export const MAX_EPOCHS = 3;
export const MAX_SUITE_GROWTH = 5;
export const CANARY_SHARE = 0.1;

export type WayForward =
  | {kind: "epochs"; epochs: number; cases: number}
  | {kind: "larger-suite"; cases: number}
  | {kind: "canary"; requests: number; share: number; days: number | null};

/**
 * casesNeeded: total graded cases (or requests) that would settle the gate if the rate holds;
 * suiteSize: cases in the suite today; requestsPerDay: the feature's current production traffic, or
 * null when no traces exist. epochsCount: whether a rerun of the same cases adds to the gate's n. A
 * gate measured once per case (a pass rate: each case's epochs reduced to one majority verdict) gains
 * nothing from reruns, so only new cases or a canary can settle it.
 */
export function wayForward(
  casesNeeded: number,
  suiteSize: number,
  requestsPerDay: number | null,
  {epochsCount = true}: {epochsCount?: boolean} = {}
): WayForward {
  if (!(casesNeeded > 0) || !(suiteSize > 0))
    throw new RangeError(`wayForward: needs positive sizes, got ${casesNeeded} cases for a suite of ${suiteSize}`);
  const epochs = Math.ceil(casesNeeded / suiteSize);
  if (epochsCount && epochs <= MAX_EPOCHS) return {kind: "epochs", epochs, cases: epochs * suiteSize};
  if (casesNeeded <= suiteSize * MAX_SUITE_GROWTH) return {kind: "larger-suite", cases: casesNeeded};
  const perDay = requestsPerDay !== null && requestsPerDay > 0 ? requestsPerDay * CANARY_SHARE : null;
  return {
    kind: "canary",
    requests: casesNeeded,
    share: CANARY_SHARE,
    days: perDay === null ? null : Math.ceil(casesNeeded / perDay)
  };
}

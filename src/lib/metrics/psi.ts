// Population stability index: how far an actual distribution (production) has moved from an
// expected one (the eval set), over the same bins. PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bin shares.
/** Share given to an empty bin so that ln(a/e) stays finite: a bin absent on one side still counts, heavily. */
export const PSI_EPSILON = 1e-4;

/** The usual reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major one. */
export const PSI_THRESHOLDS = {moderate: 0.1, major: 0.25} as const;

export type PsiLevel = "stable" | "moderate" | "major";

export interface PsiBin {
  expectedShare: number;
  actualShare: number;
  /** This bin's term of the sum; the bins with the largest terms explain the shift. */
  contribution: number;
}

export interface Psi {
  /** null when either side has no observations. */
  psi: number | null;
  level: PsiLevel | null;
  bins: PsiBin[];
}

export function psiLevel(psi: number): PsiLevel {
  return psi < PSI_THRESHOLDS.moderate ? "stable" : psi <= PSI_THRESHOLDS.major ? "moderate" : "major";
}

/** PSI of counts over the same bins; each share is floored at `epsilon` before the logarithm. */
export function populationStabilityIndex(
  expected: readonly number[],
  actual: readonly number[],
  {epsilon = PSI_EPSILON} = {}
): Psi {
  if (expected.length !== actual.length)
    throw new RangeError(`populationStabilityIndex: ${expected.length} expected bins but ${actual.length} actual bins`);
  for (const v of [...expected, ...actual])
    if (!(v >= 0) || !Number.isFinite(v))
      throw new RangeError(`populationStabilityIndex: counts must be finite and ≥ 0, got ${v}`);
  const e = sum(expected);
  const a = sum(actual);
  if (e === 0 || a === 0) return {psi: null, level: null, bins: []};
  const bins = expected.map((count, i) => {
    const expectedShare = count / e;
    const actualShare = actual[i] / a;
    const pe = Math.max(expectedShare, epsilon);
    const pa = Math.max(actualShare, epsilon);
    return {expectedShare, actualShare, contribution: (pa - pe) * Math.log(pa / pe)};
  });
  const psi = sum(bins.map((b) => b.contribution));
  return {psi, level: psiLevel(psi), bins};
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

// Power for a two-sided z-test of a difference of means at level α with power 1 − β:
// the minimum detectable effect at the current sample is (z₁₋α/₂ + z₁₋β)·√(σₜ²/nₜ + σc²/nc), and the
// units needed for a target effect δ with a fixed split (share s in treatment) are
// ((z₁₋α/₂ + z₁₋β)/δ)²·(σₜ²/s + σc²/(1 − s)). Days to go divide what is missing by the current daily traffic.
import {normalQuantile} from "../../../src/lib/metrics/normal.js";

export interface PowerOptions {
  alpha?: number;
  power?: number;
}

function zSum({alpha = 0.05, power = 0.8}: PowerOptions): number {
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

export function minimumDetectableEffect(
  varianceT: number,
  nT: number,
  varianceC: number,
  nC: number,
  options: PowerOptions = {}
): number | null {
  if (!(nT > 0 && nC > 0)) return null;
  return zSum(options) * Math.sqrt(varianceT / nT + varianceC / nC);
}

/** Total units (both arms) needed to detect `effect` with the treatment share `share`. */
export function requiredUnits(
  effect: number,
  varianceT: number,
  varianceC: number,
  share = 0.5,
  options: PowerOptions = {}
): number {
  if (!(effect > 0)) throw new RangeError(`requiredUnits: the effect must be > 0, got ${effect}`);
  if (!(share > 0 && share < 1))
    throw new RangeError(`requiredUnits: the treatment share must be in (0, 1), got ${share}`);
  return (zSum(options) / effect) ** 2 * (varianceT / share + varianceC / (1 - share));
}

/** Whole days until `required` units at `unitsPerDay`; 0 when already there, null when no traffic. */
export function daysToReach(required: number, current: number, unitsPerDay: number): number | null {
  if (current >= required) return 0;
  if (!(unitsPerDay > 0)) return null;
  return Math.ceil((required - current) / unitsPerDay);
}

/** The MDE from the current estimate's standard error, for any estimator (Welch, delta method, CUPED). */
export function mdeFromStandardError(standardError: number, options: PowerOptions = {}): number {
  return zSum(options) * standardError;
}

/**
 * Units needed for `effect` when `units` give the MDE `mde` now: the standard error shrinks as 1/√n at
 * a fixed split, so n grows with (mde / effect)².
 */
export function unitsForEffect(units: number, mde: number, effect: number): number {
  if (!(effect > 0)) throw new RangeError(`unitsForEffect: the effect must be > 0, got ${effect}`);
  return units * (mde / effect) ** 2;
}

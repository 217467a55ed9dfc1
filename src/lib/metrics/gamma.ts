// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P, which give the χ²
// distribution's tail. Q is computed directly (not as 1 − P) where it is small, so
// p-values far below 1e-16 keep their relative precision instead of rounding to 0.
import {logGamma} from "./logGamma.js";

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** P(a, x) = γ(a, x) / Γ(a): the lower regularized incomplete gamma function. */
export function regularizedGammaP(a: number, x: number): number {
  checkArguments(a, x);
  if (x === 0) return 0;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x): the upper regularized incomplete gamma function. */
export function regularizedGammaQ(a: number, x: number): number {
  checkArguments(a, x);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

function checkArguments(a: number, x: number): void {
  if (!(a > 0) || !Number.isFinite(a))
    throw new RangeError(`incomplete gamma: a must be a finite number > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`incomplete gamma: x must be ≥ 0, got ${x}`);
}

/** e^{−x} x^a / Γ(a), the factor both expansions share, computed in logs to avoid overflow. */
function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Series γ(a, x) = e^{−x} x^a Σ x^n / (a (a+1) … (a+n)); converges fast for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return Math.min(1, sum * prefactor(a, x));
  }
  throw new Error(`incomplete gamma: series did not converge for a = ${a}, x = ${x}`);
}

/** Continued fraction for Γ(a, x) (modified Lentz); converges fast for x ≥ a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return Math.min(1, prefactor(a, x) * h);
  }
  throw new Error(`incomplete gamma: continued fraction did not converge for a = ${a}, x = ${x}`);
}

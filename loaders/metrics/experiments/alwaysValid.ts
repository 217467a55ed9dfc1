// An always-valid confidence sequence for a difference of means: the mixture sequential probability
// ratio test (mSPRT) of Johari, Koomen, Pekelis & Walsh ("Always valid inference", Operations
// Research 2022), with a normal mixing distribution N(0, τ²) over the effect. With the estimate θ̂
// and its variance V = σₜ²/nₜ + σc²/nc at a look, the mixture likelihood ratio against θ = θ₀ is
//   Λ = √(V / (V + τ²)) · exp(τ²(θ̂ − θ₀)² / (2V(V + τ²))),
// and Ville's inequality makes P(Λ ever ≥ 1/α) ≤ α under θ₀, however often one looks. Inverting
// gives the interval θ̂ ± √(V(V + τ²)/τ² · (2 log(1/α) + log((V + τ²)/V))), the normal-mixture
// boundary of Howard, Ramdas, McAuliffe & Sekhon (Ann. Statist. 2021, eq. 14) on the mean scale.
// The always-valid p-value is min(1, 1/Λ) at θ₀ = 0, running-minimized over looks by the caller.

export const ALWAYS_VALID_METHOD = "mixture SPRT (Johari et al. 2022), normal mixture";

export interface AlwaysValidInterval {
  estimate: number;
  low: number;
  high: number;
  /** 1/Λ at θ₀ = 0 for this look, capped at 1. */
  pValue: number;
  method: typeof ALWAYS_VALID_METHOD;
}

/**
 * @param variance V, the variance of the estimate at this look.
 * @param tau2 τ², the mixing variance: the squared effect size the test is tuned to detect
 * (defaults to none; pass the experiment's minimum effect of interest squared).
 */
export function alwaysValidInterval(
  estimate: number,
  variance: number,
  tau2: number,
  alpha = 0.05
): AlwaysValidInterval {
  if (!(variance > 0) || !Number.isFinite(variance))
    throw new RangeError(`alwaysValidInterval: the estimate's variance must be > 0, got ${variance}`);
  if (!(tau2 > 0) || !Number.isFinite(tau2))
    throw new RangeError(`alwaysValidInterval: the mixing variance τ² must be > 0, got ${tau2}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alwaysValidInterval: α must be in (0, 1), got ${alpha}`);
  const half = Math.sqrt(
    ((variance * (variance + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance))
  );
  const logLambda =
    0.5 * Math.log(variance / (variance + tau2)) + (tau2 * estimate ** 2) / (2 * variance * (variance + tau2));
  return {
    estimate,
    low: estimate - half,
    high: estimate + half,
    pValue: Math.min(1, Math.exp(-logLambda)),
    method: ALWAYS_VALID_METHOD
  };
}

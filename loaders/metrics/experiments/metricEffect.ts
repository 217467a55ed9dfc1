// One metric's treatment-vs-control readout from per-arm summaries: the lift with its fixed-horizon
// 95% interval (Welch for per-unit metrics, the delta method for ratios of per-user sums), CUPED when
// a pre-period covariate has data, and the always-valid interval that decisions use, tuned to the
// experiment's minimum effect of interest.
import {alwaysValidInterval} from "./alwaysValid.js";
import {cuped} from "./cuped.js";
import {meanDifference, type Interval, type Lift} from "./meanDifference.js";
import type {CovariateMoments, RatioMoments} from "./moments.js";
import {ratioDifference} from "./ratioMetric.js";
import {normalTwoSidedP} from "../../../src/lib/metrics/normal.js";
import {Z95} from "../../../src/lib/metrics/wilson.js";

/** Per-arm summary: y is the metric (a ratio's numerator), d a ratio's denominator, c the covariate. */
export interface ArmSummary {
  n: number;
  meanY: number;
  varianceY: number;
  meanD: number | null;
  varianceD: number | null;
  covarianceYD: number | null;
  meanC: number | null;
  varianceC: number | null;
  covarianceCY: number | null;
}

export interface MetricSpec {
  name: string;
  kind: "count" | "sum" | "binary" | "ratio";
  better: "higher" | "lower";
}

export interface MetricEffect {
  name: string;
  kind: MetricSpec["kind"];
  better: MetricSpec["better"];
  control: {n: number; value: number};
  treatment: {n: number; value: number};
  absolute: Interval;
  relative: Interval | null;
  method: string;
  cuped: {varianceReduction: number; theta: number; unadjustedStandardError: number} | null;
  alwaysValid: {low: number; high: number; pValue: number};
  /** The always-valid interval lies wholly on the improving side / on the harmful side. */
  direction: "better" | "worse" | "unclear";
}

export function metricEffect(
  metric: MetricSpec,
  treatment: ArmSummary,
  control: ArmSummary,
  minimumRelativeEffect: number
): MetricEffect | null {
  if (treatment.n < 2 || control.n < 2) return null;
  const {lift, value, method, adjustment} = estimate(metric, treatment, control);
  if (lift === null) return null;
  const scale = Math.abs(value(control)) || 1;
  const variance = lift.absolute.standardError ** 2;
  const av =
    variance > 0
      ? alwaysValidInterval(lift.absolute.estimate, variance, (minimumRelativeEffect * scale) ** 2)
      : {low: lift.absolute.estimate, high: lift.absolute.estimate, pValue: lift.absolute.estimate === 0 ? 1 : 0};
  return {
    name: metric.name,
    kind: metric.kind,
    better: metric.better,
    control: {n: control.n, value: value(control)},
    treatment: {n: treatment.n, value: value(treatment)},
    absolute: lift.absolute,
    relative: lift.relative,
    method,
    cuped: adjustment,
    alwaysValid: {low: av.low, high: av.high, pValue: av.pValue},
    direction: directionOf(metric.better, av)
  };
}

function directionOf(better: MetricSpec["better"], av: {low: number; high: number}): MetricEffect["direction"] {
  if (av.low > 0) return better === "higher" ? "better" : "worse";
  if (av.high < 0) return better === "higher" ? "worse" : "better";
  return "unclear";
}

function estimate(metric: MetricSpec, t: ArmSummary, c: ArmSummary) {
  if (metric.kind === "ratio") {
    if (!t.meanD || !c.meanD) return {lift: null, value: () => 0, method: "", adjustment: null};
    const ratio = (a: ArmSummary): RatioMoments => ({
      n: a.n,
      meanX: a.meanY,
      meanY: a.meanD!,
      varianceX: a.varianceY,
      varianceY: a.varianceD!,
      covarianceXY: a.covarianceYD!
    });
    return {
      lift: ratioDifference(ratio(t), ratio(c)) as Lift | null,
      value: (a: ArmSummary) => a.meanY / a.meanD!,
      method: "delta method on per-user sums",
      adjustment: null
    };
  }
  const raw = meanDifference(
    {n: t.n, mean: t.meanY, variance: t.varianceY},
    {n: c.n, mean: c.meanY, variance: c.varianceY}
  );
  const value = (a: ArmSummary) => a.meanY;
  const hasCovariate = (a: ArmSummary) =>
    a.meanC !== null && a.varianceC !== null && a.varianceC > 0 && a.covarianceCY !== null;
  if (!hasCovariate(t) || !hasCovariate(c))
    return {lift: raw as Lift | null, value, method: "Welch t (per unit)", adjustment: null};
  const covariate = (a: ArmSummary): CovariateMoments => ({
    n: a.n,
    meanX: a.meanC!,
    meanY: a.meanY,
    varianceX: a.varianceC!,
    varianceY: a.varianceY,
    covarianceXY: a.covarianceCY!
  });
  const adjusted = cuped(covariate(t), covariate(c));
  // The relative lift divides the adjusted difference by the unadjusted control mean (CUPED moves the
  // arms' means by θ·Δx̄, which is noise reduction, not a different baseline), treating that mean as
  // known: at experiment sizes its own variance adds little next to the difference's.
  const relative =
    c.meanY !== 0
      ? relativeAround(
          adjusted.adjusted.absolute.estimate / c.meanY,
          adjusted.adjusted.absolute.standardError / Math.abs(c.meanY)
        )
      : null;
  return {
    lift: {absolute: adjusted.adjusted.absolute, relative} as Lift | null,
    value,
    method: "Welch t on CUPED-adjusted values",
    adjustment: {
      varianceReduction: adjusted.varianceReduction,
      theta: adjusted.theta,
      unadjustedStandardError: raw.absolute.standardError
    }
  };
}

function relativeAround(estimate: number, se: number): Interval {
  const half = Z95 * se;
  return {
    estimate,
    low: estimate - half,
    high: estimate + half,
    standardError: se,
    pValue: se > 0 ? normalTwoSidedP(estimate / se) : estimate === 0 ? 1 : 0
  };
}

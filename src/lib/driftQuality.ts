// The drift page's "quality since launch" and the deployments it is read against: the SQL (over
// `corrections` and `requests`, each with optional filter conditions) and the shaping of its rows.
// In src/lib because the page's filters recompute a slice in the browser (DuckDB-wasm over the exported
// tables) with these same queries; the build (loaders/queries/drift.ts) runs them unfiltered.
// Times leave the SQL as epoch milliseconds and become ISO strings here: DuckDB in Node hands back a
// Date, DuckDB-wasm a number, and both sides must print the same text.
import {NONE} from "./all.js";
import {difference} from "./driftShift.js";
import {rate} from "./metrics/rate.js";
import {utcWeekDateSql} from "./utcBuckets.js";

/** The launch baseline: a feature's first 14 days of production data (of the slice, when filtered). */
export const BASELINE_DAYS = 14;

const where = (terms: readonly string[]) => (terms.length ? `WHERE ${terms.join(" AND ")}` : "");
const iso = (ms: number) => new Date(ms).toISOString();

/** Corrections with their feature's first one: the filter applies before the window, as a slice-only warehouse would. */
const correctionsSql = (
  terms: readonly string[]
) => `SELECT feature, "at", min("at") OVER (PARTITION BY feature) AS first_at, action
      FROM corrections
      ${where(terms)}`;

type WeekCounts = {feature: string; week: string; n: number; accepted: number; corrected: number};
export type WeeklyQualityRow = WeekCounts;
export type BaselineQualityRow = WeekCounts & {from_ms: number; to_ms: number};
export type WeeklyFailuresRow = {feature: string; week: string; n: number; failed: number};
export type BaselineFailuresRow = {feature: string; from_ms: number; to_ms: number; n: number; failed: number};

/** Corrections per feature and UTC week: how many, accepted as is, corrected (edited, rejected or escalated). */
export const weeklyQualitySql = (terms: readonly string[] = []) => `WITH c AS (
      ${correctionsSql(terms)}
    )
    SELECT feature,
      ${utcWeekDateSql('"at"')}::VARCHAR AS week,
      count(*)::INTEGER AS n,
      count(*) FILTER (action = 'accepted')::INTEGER AS accepted,
      count(*) FILTER (action IN ('edited', 'rejected', 'escalated'))::INTEGER AS corrected
    FROM c
    GROUP BY ALL
    ORDER BY ALL`;

/** The same counts over each feature's first BASELINE_DAYS days. */
export const baselineQualitySql = (terms: readonly string[] = []) => `WITH c AS (
      ${correctionsSql(terms)}
    )
    SELECT feature,
      epoch_ms(min(first_at))::DOUBLE AS from_ms,
      epoch_ms(min(first_at) + INTERVAL ${BASELINE_DAYS} DAY)::DOUBLE AS to_ms,
      count(*)::INTEGER AS n,
      count(*) FILTER (action = 'accepted')::INTEGER AS accepted,
      count(*) FILTER (action IN ('edited', 'rejected', 'escalated'))::INTEGER AS corrected
    FROM c
    WHERE "at" < first_at + INTERVAL ${BASELINE_DAYS} DAY
    GROUP BY feature
    ORDER BY feature`;

/** Requests per feature (a missing one is NONE) and UTC week, and how many failed. */
export const weeklyFailuresSql = (terms: readonly string[] = []) => `SELECT coalesce(feature, '${NONE}') AS feature,
      ${utcWeekDateSql("start_time")}::VARCHAR AS week,
      count(*)::INTEGER AS n,
      count(*) FILTER (failed)::INTEGER AS failed
    FROM requests
    ${where(terms)}
    GROUP BY ALL
    ORDER BY ALL`;

/** The same over each feature's first BASELINE_DAYS days. */
export const baselineFailuresSql = (terms: readonly string[] = []) => `WITH r AS (
      SELECT coalesce(feature, '${NONE}') AS feature,
        start_time,
        failed,
        min(start_time) OVER (PARTITION BY coalesce(feature, '${NONE}')) AS first_at
      FROM requests
      ${where(terms)}
    )
    SELECT feature,
      epoch_ms(min(first_at))::DOUBLE AS from_ms,
      epoch_ms(min(first_at) + INTERVAL ${BASELINE_DAYS} DAY)::DOUBLE AS to_ms,
      count(*)::INTEGER AS n,
      count(*) FILTER (failed)::INTEGER AS failed
    FROM r
    WHERE start_time < first_at + INTERVAL ${BASELINE_DAYS} DAY
    GROUP BY feature
    ORDER BY feature`;

/** Weekly acceptance and correction rates and request failure rates, each against the feature's baseline. */
export function qualityOf(
  weekly: readonly WeeklyQualityRow[],
  baselines: readonly BaselineQualityRow[],
  failures: readonly WeeklyFailuresRow[],
  failureBaselines: readonly BaselineFailuresRow[]
) {
  const baselineOf = new Map(baselines.map((b) => [b.feature, b]));
  const failureBaselineOf = new Map(failureBaselines.map((b) => [b.feature, b]));
  return {
    baseline: baselines.map((b) => ({
      feature: b.feature,
      from: iso(b.from_ms),
      to: iso(b.to_ms),
      n: b.n,
      accepted: rate(b.accepted, b.n),
      corrected: rate(b.corrected, b.n)
    })),
    weekly: weekly.map((w) => {
      const b = baselineOf.get(w.feature)!;
      return {
        feature: w.feature,
        week: w.week,
        n: w.n,
        accepted: rate(w.accepted, w.n),
        corrected: rate(w.corrected, w.n),
        acceptedVsBaseline: difference(w.accepted, w.n, b.accepted, b.n),
        correctedVsBaseline: difference(w.corrected, w.n, b.corrected, b.n)
      };
    }),
    failureBaseline: failureBaselines.map((b) => ({
      feature: b.feature,
      from: iso(b.from_ms),
      to: iso(b.to_ms),
      n: b.n,
      failed: rate(b.failed, b.n)
    })),
    failures: failures.map((f) => {
      const b = failureBaselineOf.get(f.feature)!;
      return {
        feature: f.feature,
        week: f.week,
        n: f.n,
        failed: rate(f.failed, f.n),
        failedVsBaseline: difference(f.failed, f.n, b.failed, b.n)
      };
    })
  };
}

/** When each model × prompt version a feature runs on first served production traffic: the changes a trend should be read against. */
export type Deployment = {
  feature: string;
  model: string | null;
  prompt_version: string | null;
  first_at: string;
  requests: number;
  /** True for the versions the feature started on: they are no change to read a trend against. */
  at_start: boolean;
};
export type DeploymentRow = Omit<Deployment, "first_at"> & {first_ms: number};

/** Each feature × model × prompt version's first request; `terms` filter the requests. */
export const deploymentsSql = (terms: readonly string[] = []) => `SELECT feature, model, prompt_version,
      epoch_ms(min(start_time))::DOUBLE AS first_ms,
      count(*)::INTEGER AS requests,
      min(start_time) = min(min(start_time)) OVER (PARTITION BY feature) AS at_start
    FROM requests
    WHERE feature IS NOT NULL AND (model IS NOT NULL OR prompt_version IS NOT NULL)${terms.map((t) => ` AND ${t}`).join("")}
    GROUP BY feature, model, prompt_version
    ORDER BY feature, first_ms, model, prompt_version`;

export const deploymentsOf = (rows: readonly DeploymentRow[]): Deployment[] =>
  rows.map(({feature, model, prompt_version, first_ms, requests, at_start}) => ({
    feature,
    model,
    prompt_version,
    first_at: iso(first_ms),
    requests,
    at_start
  }));

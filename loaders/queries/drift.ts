// The drift page: is production moving away from what was tested and from how it behaved at first?
// Quality (outputs accepted as is, outputs corrected, failed requests) week by week against the
// feature's first two weeks; the input mix of production against the eval set (category mix and
// input length: PSI for the size of the shift, a χ² test of homogeneity for its significance), week
// by week; and the categories production sees that no eval case covers, with their volume and quality.
import {PSI_EPSILON, PSI_THRESHOLDS} from "../../src/lib/metrics/psi.js";
import {
  categoryActionsSql,
  categoryCellsSql,
  categoryCountsSql,
  categoryShiftOf,
  categoryWeeksSql,
  difference,
  lengthBinSql,
  lengthCountsSql,
  lengthLabels,
  lengthShiftOf,
  newCategoryRows,
  type CategoryActions,
  type CategoryCell,
  type CategoryCount,
  type CategoryWeek,
  type LengthCount
} from "../../src/lib/driftShift.js";
import {fillHint} from "../adapters/index.js";
import type {Database} from "../warehouse/duckdb.js";
import {NONE, rate, round} from "./production.js";
import {utcWeekDateSql} from "./utcBuckets.js";

/** The launch baseline: a feature's first 14 days of production data. */
export const BASELINE_DAYS = 14;
const LENGTH_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The drift page's data (src/data/drift.json.ts); components import this type, not a copy. */
export type DriftPage = Awaited<ReturnType<typeof driftPage>>;

type FeatureRow = {feature: string};

export async function driftPage(db: Database) {
  await prepareEvalSet(db);
  const features = (
    await db.query<FeatureRow>(`SELECT DISTINCT feature
      FROM (
        SELECT feature FROM requests
        UNION ALL
        SELECT feature FROM corrections
      )
      WHERE feature IS NOT NULL
      ORDER BY feature`)
  ).map((r) => r.feature);
  const evalFeatures = new Set(
    (
      await db.query<FeatureRow>(`SELECT DISTINCT feature
        FROM drift_eval_case`)
    ).map((r) => r.feature)
  );
  return {
    hints: {spans: fillHint("spans"), corrections: fillHint("corrections"), eval_results: fillHint("eval_results")},
    features,
    evalFeatures: [...evalFeatures].sort(),
    baselineDays: BASELINE_DAYS,
    psi: {epsilon: PSI_EPSILON, ...PSI_THRESHOLDS},
    quality: await qualityOverTime(db),
    deployments: await deployments(db),
    categoryShift: await categoryShift(db, features),
    lengthShift: await lengthShift(db, features),
    newCategories: await newCategories(db),
    filters: await filterValues(db)
  };
}

/**
 * What the page's filters offer (src/components/driftFilters.ts): the models and segments of the
 * requests (none where no request has one) and the weeks, Mondays in UTC, for a window.
 */
async function filterValues(db: Database) {
  const values = async (column: "model" | "segment") => {
    const rows = await db.query<{v: string}>(
      `SELECT DISTINCT coalesce(${column}, '${NONE}') AS v
      FROM requests
      ORDER BY v`
    );
    return rows.length === 1 && rows[0].v === NONE ? [] : rows.map((r) => r.v);
  };
  const weeks = await db.query<{week: string}>(
    `SELECT DISTINCT ${utcWeekDateSql("start_time")}::VARCHAR AS week
    FROM requests
    ORDER BY week`
  );
  return {model: await values("model"), segment: await values("segment"), weeks: weeks.map((w) => w.week)};
}

/** The eval set of each feature: one row per distinct case (a case run many times counts once). */
async function prepareEvalSet(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE drift_eval_case AS
    SELECT coalesce(feature, suite) AS feature,
      suite,
      case_id,
      max(category) AS category,
      max(input_chars) AS input_chars
    FROM eval_results
    GROUP BY ALL`);
}

type WeekCounts = {feature: string; week: string; n: number; accepted: number; corrected: number};
type WeeklyQualityRow = WeekCounts & {baseline: boolean};
type BaselineQualityRow = WeekCounts & {from_at: string; to_at: string};
type WeeklyFailuresRow = {feature: string; week: string; n: number; failed: number};
type BaselineFailuresRow = {feature: string; from_at: string; to_at: string; n: number; failed: number};

/** Weekly acceptance and correction rates and request failure rates, each against the feature's baseline. */
async function qualityOverTime(db: Database) {
  const weekly = await db.query<WeeklyQualityRow>(`WITH c AS (
      SELECT feature, "at", min("at") OVER (PARTITION BY feature) AS first_at, action
      FROM corrections
    )
    SELECT feature,
      ${utcWeekDateSql('"at"')}::VARCHAR AS week,
      count(*)::INTEGER AS n,
      count(*) FILTER (action = 'accepted')::INTEGER AS accepted,
      count(*) FILTER (action IN ('edited', 'rejected', 'escalated'))::INTEGER AS corrected
    FROM c
    GROUP BY ALL
    ORDER BY ALL`);
  const baselines = await db.query<BaselineQualityRow>(`WITH c AS (
      SELECT feature, "at", min("at") OVER (PARTITION BY feature) AS first_at, action
      FROM corrections
    )
    SELECT feature,
      min(first_at) AS from_at,
      min(first_at) + INTERVAL ${BASELINE_DAYS} DAY AS to_at,
      count(*)::INTEGER AS n,
      count(*) FILTER (action = 'accepted')::INTEGER AS accepted,
      count(*) FILTER (action IN ('edited', 'rejected', 'escalated'))::INTEGER AS corrected
    FROM c
    WHERE "at" < first_at + INTERVAL ${BASELINE_DAYS} DAY
    GROUP BY feature
    ORDER BY feature`);
  const failures = await db.query<WeeklyFailuresRow>(`SELECT coalesce(feature, '${NONE}') AS feature,
      ${utcWeekDateSql("start_time")}::VARCHAR AS week,
      count(*)::INTEGER AS n,
      count(*) FILTER (failed)::INTEGER AS failed
    FROM requests
    GROUP BY ALL
    ORDER BY ALL`);
  const failureBaselines = await db.query<BaselineFailuresRow>(`WITH r AS (
      SELECT coalesce(feature, '${NONE}') AS feature,
        start_time,
        failed,
        min(start_time) OVER (PARTITION BY coalesce(feature, '${NONE}')) AS first_at
      FROM requests
    )
    SELECT feature,
      min(first_at) AS from_at,
      min(first_at) + INTERVAL ${BASELINE_DAYS} DAY AS to_at,
      count(*)::INTEGER AS n,
      count(*) FILTER (failed)::INTEGER AS failed
    FROM r
    WHERE start_time < first_at + INTERVAL ${BASELINE_DAYS} DAY
    GROUP BY feature
    ORDER BY feature`);
  const baselineOf = new Map(baselines.map((b) => [b.feature, b]));
  const failureBaselineOf = new Map(failureBaselines.map((b) => [b.feature, b]));
  return {
    baseline: baselines.map((b) => ({
      feature: b.feature,
      from: b.from_at,
      to: b.to_at,
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
      from: b.from_at,
      to: b.to_at,
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

async function deployments(db: Database) {
  return db.query<Deployment>(`SELECT feature, model, prompt_version,
      min(start_time) AS first_at,
      count(*)::INTEGER AS requests,
      min(start_time) = min(min(start_time)) OVER (PARTITION BY feature) AS at_start
    FROM requests
    WHERE feature IS NOT NULL AND (model IS NOT NULL OR prompt_version IS NOT NULL)
    GROUP BY feature, model, prompt_version
    ORDER BY feature, first_at, model, prompt_version`);
}

async function categoryShift(db: Database, features: string[]) {
  const evalCounts = await db.query<{feature: string; category: string; n: number}>(
    `SELECT feature, category, count(*)::INTEGER AS n FROM drift_eval_case WHERE category IS NOT NULL GROUP BY ALL`
  );
  const prodCounts = await db.query<CategoryCount>(categoryCountsSql());
  return features.flatMap((feature) => {
    const evalOf = new Map(evalCounts.filter((c) => c.feature === feature).map((c) => [c.category, c.n]));
    const shifted = categoryShiftOf(feature, evalOf, prodCounts);
    return shifted ? [shifted] : [];
  });
}

/** Bins of input length cut at the eval set's deciles, so each bin holds a tenth of the eval cases. */
async function lengthShift(db: Database, features: string[]) {
  const out = [];
  for (const feature of features) {
    const [row] = await db.query<{q: number[] | null; n: number}>(
      `SELECT quantile_cont(input_chars, [${LENGTH_QUANTILES.join(", ")}]) AS q, count(input_chars)::INTEGER AS n
      FROM drift_eval_case WHERE feature = $feature AND input_chars IS NOT NULL`,
      {feature}
    );
    if (!row?.n || !row.q) continue;
    const edges = [...new Set(row.q.map((e) => Math.round(e)))].filter(Number.isFinite).sort((a, b) => a - b);
    const evalCounts = await db.query<{bin: number; n: number}>(
      `SELECT ${lengthBinSql(edges)} AS bin, count(*)::INTEGER AS n
      FROM drift_eval_case
      WHERE feature = $feature AND input_chars IS NOT NULL
      GROUP BY ALL`,
      {feature}
    );
    const counts = await db.query<LengthCount>(lengthCountsSql(feature, edges));
    const evalN = lengthLabels(edges).map((_, bin) => evalCounts.find((c) => c.bin === bin)?.n ?? 0);
    const shifted = lengthShiftOf(feature, edges, evalN, counts);
    if (shifted) out.push(shifted);
  }
  return out;
}

/** Production categories no eval case of the feature covers, with their traffic and how users and the system fared on them. */
async function newCategories(db: Database) {
  const evalCategories = await db.query<{feature: string; category: string | null}>(
    `SELECT DISTINCT feature, category FROM drift_eval_case`
  );
  const covered = new Map<string, Set<string>>();
  for (const {feature, category} of evalCategories) {
    const set = covered.get(feature) ?? new Set<string>();
    if (category !== null) set.add(category);
    covered.set(feature, set);
  }
  return newCategoryRows(
    await db.query<CategoryCell>(categoryCellsSql()),
    covered,
    await db.query<CategoryWeek>(categoryWeeksSql()),
    await db.query<CategoryActions>(categoryActionsSql())
  );
}

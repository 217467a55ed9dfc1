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
import {
  BASELINE_DAYS,
  baselineFailuresSql,
  baselineQualitySql,
  deploymentsOf,
  deploymentsSql,
  qualityOf,
  weeklyFailuresSql,
  weeklyQualitySql,
  type BaselineFailuresRow,
  type BaselineQualityRow,
  type DeploymentRow,
  type WeeklyFailuresRow,
  type WeeklyQualityRow
} from "../../src/lib/driftQuality.js";
import {fillHint} from "../adapters/index.js";
import type {Database} from "../warehouse/duckdb.js";
import {RUN_FEATURE_SQL} from "./evalTables.js";
import {NONE} from "./production.js";
import {utcWeekDateSql} from "./utcBuckets.js";

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

/** One distinct value of a filtered column ("(none)" for missing). */
type ValueRow = {v: string};
/** One week of requests, its Monday in UTC as YYYY-MM-DD. */
type WeekRow = {week: string};

/**
 * What the page's filters offer (src/components/driftFilters.ts): the models and segments of the
 * requests (none where no request has one) and the weeks, Mondays in UTC, for a window.
 */
async function filterValues(db: Database) {
  const values = async (column: "model" | "segment") => {
    const rows = await db.query<ValueRow>(
      `SELECT DISTINCT coalesce(${column}, '${NONE}') AS v
      FROM requests
      ORDER BY v`
    );
    return rows.length === 1 && rows[0].v === NONE ? [] : rows.map((r) => r.v);
  };
  const weeks = await db.query<WeekRow>(
    `SELECT DISTINCT ${utcWeekDateSql("start_time")}::VARCHAR AS week
    FROM requests
    ORDER BY week`
  );
  return {model: await values("model"), segment: await values("segment"), weeks: weeks.map((w) => w.week)};
}

/**
 * The eval set of each feature: one row per distinct case (a case run many times counts once). A case
 * belongs to its run's feature (RUN_FEATURE_SQL, as on the eval pages): a row of a run that names its
 * feature elsewhere counts under that feature, not under the suite's name as a feature of its own.
 */
async function prepareEvalSet(db: Database): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE drift_eval_case AS
    WITH run_feature AS (
      SELECT run_id,
        ${RUN_FEATURE_SQL} AS feature
      FROM eval_results
      GROUP BY run_id
    )
    SELECT r.feature,
      e.suite,
      e.case_id,
      max(e.category) AS category,
      max(e.input_chars) AS input_chars
    FROM eval_results e
    JOIN run_feature r USING (run_id)
    GROUP BY ALL`);
}

/** Weekly acceptance and correction rates and request failure rates, each against the feature's baseline. */
async function qualityOverTime(db: Database) {
  return qualityOf(
    await db.query<WeeklyQualityRow>(weeklyQualitySql()),
    await db.query<BaselineQualityRow>(baselineQualitySql()),
    await db.query<WeeklyFailuresRow>(weeklyFailuresSql()),
    await db.query<BaselineFailuresRow>(baselineFailuresSql())
  );
}

async function deployments(db: Database) {
  return deploymentsOf(await db.query<DeploymentRow>(deploymentsSql()));
}

/** Distinct eval cases of one feature and category. */
type EvalCategoryCount = {feature: string; category: string; n: number};

async function categoryShift(db: Database, features: string[]) {
  const evalCounts = await db.query<EvalCategoryCount>(
    `SELECT feature, category, count(*)::INTEGER AS n
    FROM drift_eval_case
    WHERE category IS NOT NULL
    GROUP BY ALL`
  );
  const prodCounts = await db.query<CategoryCount>(categoryCountsSql());
  return features.flatMap((feature) => {
    const evalOf = new Map(evalCounts.filter((c) => c.feature === feature).map((c) => [c.category, c.n]));
    const shifted = categoryShiftOf(feature, evalOf, prodCounts);
    return shifted ? [shifted] : [];
  });
}

/** A feature's eval-case input-length deciles, and how many cases have a length. */
type DecilesRow = {q: number[] | null; n: number};
/** Distinct eval cases in one input-length bin. */
type EvalBinCount = {bin: number; n: number};

/** Bins of input length cut at the eval set's deciles, so each bin holds a tenth of the eval cases. */
async function lengthShift(db: Database, features: string[]) {
  const out = [];
  for (const feature of features) {
    const [row] = await db.query<DecilesRow>(
      `SELECT quantile_cont(input_chars, [${LENGTH_QUANTILES.join(", ")}]) AS q,
        count(input_chars)::INTEGER AS n
      FROM drift_eval_case
      WHERE feature = $feature
        AND input_chars IS NOT NULL`,
      {feature}
    );
    if (!row?.n || !row.q) continue;
    const edges = [...new Set(row.q.map((e) => Math.round(e)))].filter(Number.isFinite).sort((a, b) => a - b);
    const evalCounts = await db.query<EvalBinCount>(
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

/** A category the feature's eval cases hold (null: cases without one). */
type EvalCategoryRow = {feature: string; category: string | null};

/** Production categories no eval case of the feature covers, with their traffic and how users and the system fared on them. */
async function newCategories(db: Database) {
  const evalCategories = await db.query<EvalCategoryRow>(
    `SELECT DISTINCT feature, category
    FROM drift_eval_case`
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

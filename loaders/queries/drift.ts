// The drift page: is production moving away from what was tested and from how it behaved at first?
// Quality (outputs accepted as is, outputs corrected, failed requests) week by week against the
// feature's first two weeks; the input mix of production against the eval set (category mix and
// input length: PSI for the size of the shift, a χ² test of homogeneity for its significance), week
// by week; and the categories production sees that no eval case covers, with their volume and quality.
import {chiSquareHomogeneity} from "../metrics/chiSquare.js";
import {populationStabilityIndex, PSI_EPSILON, PSI_THRESHOLDS} from "../metrics/psi.js";
import {proportionDifference} from "../metrics/proportionDifference.js";
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
    newCategories: await newCategories(db)
  };
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

function difference(k1: number, n1: number, k2: number, n2: number) {
  const d = proportionDifference(k1, n1, k2, n2);
  return {
    value: round(d.difference),
    low: round(d.low),
    high: round(d.high),
    significant: d.low !== null && (d.low > 0 || d.high! < 0)
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

type Bin = {label: string; evalN: number; prodN: number};

/** PSI (size of the shift) and χ² test (is it more than chance) of production against the eval set over the same bins. */
function shift(bins: Bin[]) {
  const psi = populationStabilityIndex(
    bins.map((b) => b.evalN),
    bins.map((b) => b.prodN)
  );
  const test = chiSquareHomogeneity([bins.map((b) => b.evalN), bins.map((b) => b.prodN)]);
  const evalN = bins.reduce((s, b) => s + b.evalN, 0);
  const prodN = bins.reduce((s, b) => s + b.prodN, 0);
  return {
    evalN,
    prodN,
    psi: round(psi.psi),
    level: psi.level,
    chiSquare: {
      statistic: round(test.statistic, 4),
      df: test.df,
      pValue: test.pValue,
      smallExpectedCells: test.smallExpectedCells
    },
    bins: bins.map((b, i) => ({
      ...b,
      evalShare: round(psi.bins[i]?.expectedShare ?? null),
      prodShare: round(psi.bins[i]?.actualShare ?? null),
      contribution: round(psi.bins[i]?.contribution ?? null)
    }))
  };
}

async function categoryShift(db: Database, features: string[]) {
  const evalCounts = await db.query<{feature: string; category: string; n: number}>(
    `SELECT feature, category, count(*)::INTEGER AS n FROM drift_eval_case WHERE category IS NOT NULL GROUP BY ALL`
  );
  const prodCounts = await db.query<{
    feature: string;
    week: string | null;
    category: string;
    n: number;
  }>(`SELECT feature, CASE WHEN grouping(week) = 0 THEN week END AS week, category, count(*)::INTEGER AS n
    FROM (SELECT feature, category, ${utcWeekDateSql("start_time")}::VARCHAR AS week FROM requests WHERE category IS NOT NULL AND feature IS NOT NULL)
    GROUP BY GROUPING SETS ((feature, category), (feature, week, category))`);
  return features.flatMap((feature) => {
    const evalOf = new Map(evalCounts.filter((c) => c.feature === feature).map((c) => [c.category, c.n]));
    const prod = prodCounts.filter((c) => c.feature === feature);
    if (!evalOf.size || !prod.length) return [];
    const categories = [...new Set([...evalOf.keys(), ...prod.map((c) => c.category)])].sort();
    const binsFor = (rows: typeof prod) => {
      const prodOf = new Map(rows.map((c) => [c.category, c.n]));
      return categories.map((label) => ({label, evalN: evalOf.get(label) ?? 0, prodN: prodOf.get(label) ?? 0}));
    };
    const weeks = [...new Set(prod.filter((c) => c.week).map((c) => c.week!))].sort();
    return [
      {
        feature,
        ...shift(binsFor(prod.filter((c) => c.week === null))),
        weekly: weeks.map((week) => {
          const s = shift(binsFor(prod.filter((c) => c.week === week)));
          return {week, n: s.prodN, psi: s.psi, level: s.level, pValue: s.chiSquare.pValue};
        })
      }
    ];
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
    const binSql = `CASE ${edges.map((e, i) => `WHEN input_chars < ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;
    const counts = await db.query<{side: string; week: string | null; bin: number; n: number}>(
      `
      SELECT 'eval' AS side, NULL AS week, ${binSql} AS bin, count(*)::INTEGER AS n FROM drift_eval_case WHERE feature = $feature AND input_chars IS NOT NULL GROUP BY ALL
      UNION ALL
      SELECT 'prod', CASE WHEN grouping(week) = 0 THEN week END, bin, count(*)::INTEGER FROM (
        SELECT ${utcWeekDateSql("start_time")}::VARCHAR AS week, ${binSql} AS bin FROM requests WHERE feature = $feature AND input_chars IS NOT NULL)
      GROUP BY GROUPING SETS ((bin), (week, bin))`,
      {feature}
    );
    if (!counts.some((c) => c.side === "prod")) continue;
    const labels = edges.length
      ? [`< ${edges[0]}`, ...edges.slice(1).map((e, i) => `${edges[i]}–${e}`), `≥ ${edges[edges.length - 1]}`]
      : ["all"];
    const binsFor = (week: string | null) =>
      labels.map((label, bin) => ({
        label,
        evalN: counts.find((c) => c.side === "eval" && c.bin === bin)?.n ?? 0,
        prodN: counts.find((c) => c.side === "prod" && c.week === week && c.bin === bin)?.n ?? 0
      }));
    const weeks = [...new Set(counts.filter((c) => c.side === "prod" && c.week).map((c) => c.week!))].sort();
    out.push({
      feature,
      edges,
      ...shift(binsFor(null)),
      weekly: weeks.map((week) => {
        const s = shift(binsFor(week));
        return {week, n: s.prodN, psi: s.psi, level: s.level, pValue: s.chiSquare.pValue};
      })
    });
  }
  return out;
}

type NewCategoryRow = {
  feature: string;
  category: string;
  requests: number;
  feature_requests: number;
  first_at: string;
  failed: number;
  feature_failed: number;
};

/** Production categories no eval case of the feature covers, with their traffic and how users and the system fared on them. */
async function newCategories(db: Database) {
  // Requests are counted per feature × category first, so the eval coverage is matched against a
  // few dozen cells rather than every request.
  const rows = await db.query<NewCategoryRow>(`WITH cells AS (
      SELECT feature, category, count(*) AS n, count(*) FILTER (failed) AS failed, min(start_time) AS first_at
      FROM requests WHERE feature IS NOT NULL AND category IS NOT NULL GROUP BY ALL),
      totals AS (SELECT feature, sum(n) AS n, sum(failed) AS failed FROM cells GROUP BY feature),
      covered AS (SELECT DISTINCT feature, category FROM drift_eval_case WHERE category IS NOT NULL),
      tested AS (SELECT DISTINCT feature FROM drift_eval_case)
    SELECT c.feature, c.category, c.n::INTEGER AS requests, t.n::INTEGER AS feature_requests, c.first_at,
      c.failed::INTEGER AS failed, t.failed::INTEGER AS feature_failed
    FROM cells c JOIN tested USING (feature) JOIN totals t USING (feature)
    WHERE NOT EXISTS (SELECT 1 FROM covered v WHERE v.feature = c.feature AND v.category = c.category)
    ORDER BY requests DESC, c.feature, c.category`);
  const weekly = await db.query<{
    feature: string;
    category: string;
    week: string;
    n: number;
    total: number;
  }>(`WITH w AS (
      SELECT feature, category, ${utcWeekDateSql("start_time")}::VARCHAR AS week FROM requests WHERE feature IS NOT NULL)
    SELECT c.feature, c.category, c.week, c.n, t.total FROM
      (SELECT feature, category, week, count(*)::INTEGER AS n FROM w WHERE category IS NOT NULL GROUP BY ALL) c
      JOIN (SELECT feature, week, count(*)::INTEGER AS total FROM w GROUP BY ALL) t USING (feature, week)
    ORDER BY c.feature, c.category, c.week`);
  const actions = await db.query<{
    feature: string;
    category: string;
    n: number;
    accepted: number;
    escalated: number;
    rejected: number;
  }>(`SELECT feature, coalesce(category, '${NONE}') AS category, count(*)::INTEGER AS n,
      count(*) FILTER (action = 'accepted')::INTEGER AS accepted, count(*) FILTER (action = 'escalated')::INTEGER AS escalated, count(*) FILTER (action = 'rejected')::INTEGER AS rejected
    FROM corrections GROUP BY ALL`);
  return rows.map((r) => {
    const mine = actions.find((a) => a.feature === r.feature && a.category === r.category);
    const rest = actions
      .filter((a) => a.feature === r.feature && a.category !== r.category)
      .reduce((s, a) => ({n: s.n + a.n, accepted: s.accepted + a.accepted, escalated: s.escalated + a.escalated}), {
        n: 0,
        accepted: 0,
        escalated: 0
      });
    return {
      feature: r.feature,
      category: r.category,
      requests: r.requests,
      firstSeen: r.first_at,
      share: rate(r.requests, r.feature_requests),
      weekly: weekly
        .filter((w) => w.feature === r.feature && w.category === r.category)
        .map((w) => ({week: w.week, n: w.n, share: rate(w.n, w.total)})),
      failed: rate(r.failed, r.requests),
      failedRest: rate(r.feature_failed - r.failed, r.feature_requests - r.requests),
      corrections: mine
        ? {
            n: mine.n,
            accepted: rate(mine.accepted, mine.n),
            escalated: rate(mine.escalated, mine.n),
            rejected: rate(mine.rejected, mine.n)
          }
        : null,
      acceptedRest: rate(rest.accepted, rest.n),
      acceptedVsRest: mine ? difference(mine.accepted, mine.n, rest.accepted, rest.n) : null
    };
  });
}

// The user-corrections page: what users did with outputs (accepted, edited, rejected, ignored,
// escalated) per feature and per model, prompt version, segment, category and week, each rate with
// n and a Wilson interval; how much edited outputs changed; the hot spots where one slice acts
// differently from the rest of its feature (Newcombe interval on the difference); and redacted
// before/after examples.
import {proportionDifference} from "../metrics/proportionDifference.js";
import type {Rate} from "../../src/lib/metrics/wilson.js";
import {fillHint} from "../adapters/index.js";
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import {cubeSql, rate, round, sliceLabel} from "./production.js";
import {ALL} from "../../src/lib/all.js";
import {utcWeekDateSql} from "./utcBuckets.js";

export const ACTIONS = ["accepted", "edited", "rejected", "ignored", "escalated"] as const;
export type Action = (typeof ACTIONS)[number];
export const DIMENSIONS = ["model", "prompt_version", "segment", "category", "week"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A slice needs this many events, and so does the rest of its feature, to be called a hot spot. */
export const HOT_SPOT_MIN_N = 30;
const HOT_SPOT_LIMIT = 200;
const EXAMPLES_PER_FEATURE = 6;
export const EDIT_BINS = 20;

type Counts = Record<Action, number>;
type CountRow = {feature: string; value: string; n: number} & Counts;

const countColumns = ACTIONS.map((a) => `count(*) FILTER (action = '${a}')::INTEGER AS ${quotedIdentifier(a)}`).join(
  ", "
);

export type SliceRates = {feature: string; value: string; n: number} & Record<Action, Rate>;

function withRates(row: CountRow): SliceRates {
  const {feature, value, n} = row;
  return {feature, value, n, ...(Object.fromEntries(ACTIONS.map((a) => [a, rate(row[a], n)])) as Record<Action, Rate>)};
}

/** The corrections page's data (src/data/corrections.json.ts); components import this type, not a copy. */
export type CorrectionsPage = Awaited<ReturnType<typeof correctionsPage>>;

export async function correctionsPage(db: Database) {
  // first_at and last_at give every figure on the page its scope (the whole period they cover).
  const [{events, first_at, last_at}] = await db.query<{
    events: number;
    first_at: string | null;
    last_at: string | null;
  }>(`SELECT count(*)::INTEGER AS events, min("at") AS first_at, max("at") AS last_at FROM corrections`);
  const overall =
    await db.query<CountRow>(`SELECT ${sliceLabel("feature")} AS feature, '${ALL}' AS value, count(*)::INTEGER AS n, ${countColumns}
    FROM corrections GROUP BY ${cubeSql([], ["feature"])} ORDER BY ALL`);
  const byDimension: Record<string, SliceRates[]> = {};
  const counts: Record<string, CountRow[]> = {};
  for (const dimension of DIMENSIONS) {
    counts[dimension] = await dimensionCounts(db, dimension);
    byDimension[dimension] = counts[dimension].map(withRates);
  }
  return {
    hint: fillHint("corrections"),
    events,
    first_at,
    last_at,
    actions: ACTIONS,
    dimensions: DIMENSIONS,
    features: overall.filter((r) => r.feature !== ALL).map((r) => r.feature),
    overall: overall.map(withRates),
    byDimension,
    hotSpots: hotSpots(overall, counts),
    editDistance: await editDistances(db),
    examples: await examples(db)
  };
}

async function dimensionCounts(db: Database, dimension: Dimension): Promise<CountRow[]> {
  const source =
    dimension === "week"
      ? `SELECT *, ${utcWeekDateSql('"at"')}::VARCHAR AS week FROM corrections`
      : "SELECT * FROM corrections";
  return db.query<CountRow>(`SELECT ${sliceLabel("feature")} AS feature, coalesce(${quotedIdentifier(dimension)}::VARCHAR, '(none)') AS value, count(*)::INTEGER AS n, ${countColumns}
    FROM (${source}) GROUP BY ${cubeSql([dimension], ["feature"])} ORDER BY ALL`);
}

/**
 * Slices (a segment, category, model or prompt version within one feature) whose rate of an action
 * is significantly above the rest of the feature, ranked by how far above it they are at least
 * (the interval's lower end), so a large gap on few events does not outrank a sure one.
 */
export function hotSpots(overall: CountRow[], counts: Record<string, CountRow[]>) {
  const totals = new Map(overall.map((r) => [r.feature, r]));
  const spots = [];
  for (const dimension of DIMENSIONS.filter((d) => d !== "week")) {
    for (const slice of counts[dimension] ?? []) {
      const total = totals.get(slice.feature);
      if (slice.feature === ALL || !total) continue;
      const restN = total.n - slice.n;
      if (slice.n < HOT_SPOT_MIN_N || restN < HOT_SPOT_MIN_N) continue;
      for (const action of ACTIONS.filter((a) => a !== "accepted")) {
        const restK = total[action] - slice[action];
        const d = proportionDifference(slice[action], slice.n, restK, restN);
        if (d.low === null || d.low <= 0) continue;
        spots.push({
          feature: slice.feature,
          dimension,
          value: slice.value,
          action,
          slice: rate(slice[action], slice.n),
          rest: rate(restK, restN),
          featureRate: rate(total[action], total.n),
          difference: {value: round(d.difference), low: round(d.low), high: round(d.high)}
        });
      }
    }
  }
  spots.sort(
    (a, b) =>
      b.difference.low! - a.difference.low! ||
      a.feature.localeCompare(b.feature) ||
      a.dimension.localeCompare(b.dimension) ||
      a.value.localeCompare(b.value) ||
      a.action.localeCompare(b.action)
  );
  return spots.slice(0, HOT_SPOT_LIMIT);
}

/** Normalized edit distance of edited outputs: a histogram on [0, 1] and its quantiles, per feature and overall. */
async function editDistances(db: Database) {
  const edited = `SELECT feature, edit_distance FROM corrections WHERE action = 'edited' AND edit_distance IS NOT NULL`;
  const bins = await db.query<{feature: string; bin: number; n: number}>(`SELECT ${sliceLabel("feature")} AS feature,
      least(floor(edit_distance * ${EDIT_BINS}), ${EDIT_BINS - 1})::INTEGER AS bin, count(*)::INTEGER AS n
    FROM (${edited}) GROUP BY ${cubeSql(["bin"], ["feature"])} ORDER BY ALL`);
  const stats = await db.query<{
    feature: string;
    n: number;
    mean: number;
    q: number[];
    missing: number;
  }>(`SELECT ${sliceLabel("feature")} AS feature,
      count(edit_distance)::INTEGER AS n, avg(edit_distance) AS mean, quantile_cont(edit_distance, [0.25, 0.5, 0.75, 0.9]) AS q,
      count(*) FILTER (edit_distance IS NULL)::INTEGER AS missing
    FROM corrections WHERE action = 'edited' GROUP BY ${cubeSql([], ["feature"])} ORDER BY ALL`);
  return {
    binWidth: 1 / EDIT_BINS,
    bins: bins.map((b) => ({
      feature: b.feature,
      from: round(b.bin / EDIT_BINS, 4),
      to: round((b.bin + 1) / EDIT_BINS, 4),
      n: b.n
    })),
    stats: stats.map(({q, mean, ...s}) => ({
      ...s,
      mean: round(mean, 4),
      p25: round(q?.[0] ?? null, 4),
      median: round(q?.[1] ?? null, 4),
      p75: round(q?.[2] ?? null, 4),
      p90: round(q?.[3] ?? null, 4)
    }))
  };
}

/** The most heavily edited outputs of each feature, one per distinct before/after pair, as stored (redacted and truncated at ingest). */
export type CorrectionExample = {
  feature: string;
  event_id: string;
  at: string;
  segment: string | null;
  category: string | null;
  model: string | null;
  prompt_version: string | null;
  trace_id: string | null;
  edit_distance: number | null;
  original_text: string;
  edited_text: string;
};

async function examples(db: Database) {
  return db.query<CorrectionExample>(`WITH pairs AS (
      SELECT *
      FROM corrections
      WHERE action = 'edited' AND original_text IS NOT NULL AND edited_text IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY feature, original_text, edited_text ORDER BY event_id) = 1)
    SELECT feature, event_id, "at", segment, category, model, prompt_version, trace_id,
      round(edit_distance, 4) AS edit_distance,
      original_text, edited_text
    FROM pairs
    QUALIFY row_number() OVER (PARTITION BY feature ORDER BY edit_distance DESC NULLS LAST, event_id)
      <= ${EXAMPLES_PER_FEATURE}
    ORDER BY feature, edit_distance DESC NULLS LAST, event_id`);
}

// The user-corrections page: what users did with outputs (accepted, edited, rejected, ignored,
// escalated) per feature and per model, prompt version, segment, category and week, each rate with
// n and a Wilson interval; how much edited outputs changed; the hot spots where one slice acts
// differently from the rest of its feature (Newcombe interval on the difference); and redacted
// before/after examples.
import {fillHint} from "../adapters/index.js";
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import {cubeSql, round, sliceLabel} from "./production.js";
import {ALL} from "../../src/lib/all.js";
import {
  ACTIONS,
  DIMENSIONS,
  hotSpots,
  withRates,
  type CountRow,
  type Dimension,
  type SliceRates
} from "../../src/lib/correctionRates.js";
import {utcWeekDateSql} from "./utcBuckets.js";

// The shaping of counts into rates and hot spots lives in src/lib, shared with the page's filters.
export {
  ACTIONS,
  DIMENSIONS,
  HOT_SPOT_MIN_N,
  hotSpots,
  type Action,
  type Dimension,
  type SliceRates
} from "../../src/lib/correctionRates.js";

const EXAMPLES_PER_FEATURE = 6;
export const EDIT_BINS = 20;

/** One count per action, one select column a line. */
const countColumns = ACTIONS.map((a) => `count(*) FILTER (action = '${a}')::INTEGER AS ${quotedIdentifier(a)}`).join(
  ",\n      "
);

/** The corrections page's data (src/data/corrections.json.ts); components import this type, not a copy. */
export type CorrectionsPage = Awaited<ReturnType<typeof correctionsPage>>;

type TotalsRow = {events: number; first_at: string | null; last_at: string | null};

export async function correctionsPage(db: Database) {
  // first_at and last_at give every figure on the page its scope (the whole period they cover).
  const [{events, first_at, last_at}] = await db.query<TotalsRow>(`SELECT count(*)::INTEGER AS events,
      min("at") AS first_at,
      max("at") AS last_at
    FROM corrections`);
  const overall = await db.query<CountRow>(`SELECT ${sliceLabel("feature")} AS feature,
      '${ALL}' AS value,
      count(*)::INTEGER AS n,
      ${countColumns}
    FROM corrections
    GROUP BY ${cubeSql([], ["feature"])}
    ORDER BY ALL`);
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
      ? `SELECT *, ${utcWeekDateSql('"at"')}::VARCHAR AS week
        FROM corrections`
      : `SELECT *
        FROM corrections`;
  return db.query<CountRow>(`SELECT ${sliceLabel("feature")} AS feature,
      coalesce(${quotedIdentifier(dimension)}::VARCHAR, '(none)') AS value,
      count(*)::INTEGER AS n,
      ${countColumns}
    FROM (${source})
    GROUP BY ${cubeSql([dimension], ["feature"])}
    ORDER BY ALL`);
}

/** Edited outputs of one feature in one of the EDIT_BINS bins of edit distance. */
type EditBinRow = {feature: string; bin: number; n: number};

/** A feature's edit distances: n, mean, the 25th, 50th, 75th and 90th percentiles, and edits without one. */
type EditStatsRow = {feature: string; n: number; mean: number; q: number[]; missing: number};

/** Normalized edit distance of edited outputs: a histogram on [0, 1] and its quantiles, per feature and overall. */
async function editDistances(db: Database) {
  const edited = `SELECT feature, edit_distance
    FROM corrections
    WHERE action = 'edited'
      AND edit_distance IS NOT NULL`;
  const bins = await db.query<EditBinRow>(`SELECT ${sliceLabel("feature")} AS feature,
      least(floor(edit_distance * ${EDIT_BINS}), ${EDIT_BINS - 1})::INTEGER AS bin,
      count(*)::INTEGER AS n
    FROM (${edited})
    GROUP BY ${cubeSql(["bin"], ["feature"])}
    ORDER BY ALL`);
  const stats = await db.query<EditStatsRow>(`SELECT ${sliceLabel("feature")} AS feature,
      count(edit_distance)::INTEGER AS n,
      avg(edit_distance) AS mean,
      quantile_cont(edit_distance, [0.25, 0.5, 0.75, 0.9]) AS q,
      count(*) FILTER (edit_distance IS NULL)::INTEGER AS missing
    FROM corrections
    WHERE action = 'edited'
    GROUP BY ${cubeSql([], ["feature"])}
    ORDER BY ALL`);
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
      WHERE action = 'edited'
        AND original_text IS NOT NULL
        AND edited_text IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY feature, original_text, edited_text ORDER BY event_id) = 1
    )
    SELECT feature,
      event_id,
      "at",
      segment,
      category,
      model,
      prompt_version,
      trace_id,
      round(edit_distance, 4) AS edit_distance,
      original_text,
      edited_text
    FROM pairs
    QUALIFY row_number() OVER (PARTITION BY feature ORDER BY edit_distance DESC NULLS LAST, event_id)
      <= ${EXAMPLES_PER_FEATURE}
    ORDER BY feature, edit_distance DESC NULLS LAST, event_id`);
}

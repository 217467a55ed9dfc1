// The user-corrections page: what users did with outputs (accepted, edited, rejected, ignored,
// escalated) per feature and per model, prompt version, segment, category and week, each rate with
// n and a Wilson interval; how much edited outputs changed; the hot spots where one slice acts
// differently from the rest of its feature (Newcombe interval on the difference); and redacted
// before/after examples.
import {fillHint} from "../adapters/index.js";
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import {cubeSql, sliceLabel} from "../../src/lib/cube.js";
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
import {
  editBinsSql,
  editDistanceFigures,
  editStatsSql,
  examplesSql,
  type CorrectionExample,
  type EditBinRow,
  type EditStatsRow
} from "../../src/lib/correctionEdits.js";

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

/** Normalized edit distance of edited outputs, per feature and overall (SQL shared with the page's filters). */
async function editDistances(db: Database) {
  const bins = await db.query<EditBinRow>(editBinsSql("corrections"));
  const stats = await db.query<EditStatsRow>(editStatsSql("corrections"));
  return editDistanceFigures(bins, stats);
}

async function examples(db: Database) {
  return db.query<CorrectionExample>(examplesSql("corrections"));
}

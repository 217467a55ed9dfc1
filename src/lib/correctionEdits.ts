// The corrections page's "how much edited outputs change" and "before and after": the SQL over a set
// of correction events and the shaping of its rows. In src/lib because the page's filters recompute
// both on a slice in the browser (DuckDB-wasm over the exported corrections, correctionSlice.ts) with
// these same queries, which the build runs over the warehouse (loaders/queries/corrections.ts).
import {ALL, NONE} from "./all.js";
import {round} from "./format.js";

export const EDIT_BINS = 20;
export const EXAMPLES_PER_FEATURE = 6;

/** The feature of a row of GROUPING SETS over it: ALL for the total, NONE for a missing feature. */
const featureLabel = `CASE WHEN grouping("feature") = 1 THEN '${ALL}' ELSE coalesce("feature"::VARCHAR, '${NONE}') END`;

/** Edited outputs of one feature in one of the EDIT_BINS bins of edit distance. */
export type EditBinRow = {feature: string; bin: number; n: number};

/** `events`: a table name or a parenthesized SELECT of correction events (the page's filtered slice). */
export function editBinsSql(events: string): string {
  return `SELECT ${featureLabel} AS feature,
      least(floor(edit_distance * ${EDIT_BINS}), ${EDIT_BINS - 1})::INTEGER AS bin,
      count(*)::INTEGER AS n
    FROM (
      SELECT feature, edit_distance
      FROM ${events}
      WHERE action = 'edited'
        AND edit_distance IS NOT NULL
    )
    GROUP BY GROUPING SETS (("bin"), ("bin", "feature"))
    ORDER BY ALL`;
}

/** A feature's edit distances: n, mean, the 25th, 50th, 75th and 90th percentiles, and edits without one. */
export type EditStatsRow = {feature: string; n: number; mean: number; q: number[] | null; missing: number};

export function editStatsSql(events: string): string {
  return `SELECT ${featureLabel} AS feature,
      count(edit_distance)::INTEGER AS n,
      avg(edit_distance) AS mean,
      quantile_cont(edit_distance, [0.25, 0.5, 0.75, 0.9]) AS q,
      count(*) FILTER (edit_distance IS NULL)::INTEGER AS missing
    FROM ${events}
    WHERE action = 'edited'
    GROUP BY GROUPING SETS ((), ("feature"))
    ORDER BY ALL`;
}

/** Normalized edit distance of edited outputs: a histogram on [0, 1] and its quantiles, per feature and overall. */
export function editDistanceFigures(bins: readonly EditBinRow[], stats: readonly EditStatsRow[]) {
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

export function examplesSql(events: string): string {
  return `WITH pairs AS (
      SELECT *
      FROM ${events}
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
    ORDER BY feature, edit_distance DESC NULLS LAST, event_id`;
}

// The safety-review page: flagged outputs by category, severity, root cause (prompt failure,
// capability gap, policy gap), feature and status; the weekly trend against the model and prompt
// changes that might explain it (the page takes those from the drift page's data); the decisions
// taken; and what is still open, most severe and oldest first.
import {fillHint} from "../adapters/index.js";
import {quotedString, type Database} from "../warehouse/duckdb.js";
import {NONE, rate} from "./production.js";
import {ALL} from "../../src/lib/all.js";
import {utcBucketSql, utcWeekDateSql} from "./utcBuckets.js";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export const ROOT_CAUSES = ["prompt", "capability", "policy", "unknown"] as const;
const OPEN_LIMIT = 200;

/** Flags of one feature, category, severity, root cause and status. */
export type FlagGroup = {
  feature: string;
  category: string;
  severity: string;
  root_cause: string;
  status: string;
  n: number;
};

/** Flags of one UTC week (its Monday), feature, category and severity. */
export type WeeklyFlags = {week: string; feature: string; category: string; severity: string; n: number};

/** Flags of one feature and root cause closed by one decision. */
export type DecisionCount = {feature: string; root_cause: string; decision: string; n: number};

/** The safety page's data (src/data/safety.json.ts); components import this type, not a copy. */
export type SafetyPage = Awaited<ReturnType<typeof safetyPage>>;

/** Every flag, the open ones, and the span of their timestamps. */
type FlagTotalsRow = {flags: number; open: number; first_at: string | null; last_at: string | null};

export async function safetyPage(db: Database) {
  const [totals] = await db.query<FlagTotalsRow>(`SELECT count(*)::INTEGER AS flags,
      count(*) FILTER (status = 'open')::INTEGER AS open,
      min("at") AS first_at,
      max("at") AS last_at
    FROM flags`);
  const groups = await db.query<FlagGroup>(`SELECT coalesce(feature, ${quotedString(NONE)}) AS feature,
      category,
      severity,
      coalesce(root_cause, 'unknown') AS root_cause,
      coalesce(status, 'open') AS status,
      count(*)::INTEGER AS n
    FROM flags
    GROUP BY ALL
    ORDER BY ALL`);
  return {
    hint: fillHint("flags"),
    totals,
    severities: SEVERITIES,
    rootCauses: ROOT_CAUSES,
    features: distinct(groups.map((g) => g.feature)),
    categories: distinct(groups.map((g) => g.category)),
    groups,
    rootCauseShares: rootCauseShares(groups),
    weekly: await db.query<WeeklyFlags>(`SELECT ${utcWeekDateSql('"at"')}::VARCHAR AS week,
        coalesce(feature, ${quotedString(NONE)}) AS feature,
        category,
        severity,
        count(*)::INTEGER AS n
      FROM flags
      GROUP BY ALL
      ORDER BY ALL`),
    decisions: await db.query<DecisionCount>(`SELECT coalesce(feature, ${quotedString(NONE)}) AS feature,
        coalesce(root_cause, 'unknown') AS root_cause,
        decision,
        count(*)::INTEGER AS n
      FROM flags
      WHERE decision IS NOT NULL
      GROUP BY ALL
      ORDER BY n DESC, decision, feature, root_cause`),
    // Per day, so the page's findings can weigh the flags before and after a version change by the
    // exact days each side covers (weeks would blur a change made mid-week).
    daily: await db.query<DailyFlags>(`SELECT ${utcBucketSql("day", '"at"')}::DATE::VARCHAR AS day,
        coalesce(feature, ${quotedString(NONE)}) AS feature,
        category,
        count(*)::INTEGER AS n
      FROM flags
      GROUP BY ALL
      ORDER BY ALL`),
    open: await openItems(db, totals.last_at)
  };
}

export type DailyFlags = {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  feature: string;
  category: string;
  n: number;
};

export type OpenFlagRow = {
  flag_id: string;
  at: string;
  feature: string;
  category: string;
  severity: string;
  root_cause: string;
  model: string | null;
  prompt_version: string | null;
  /** Where prompt_version comes from: the flag's trace, or the newest version live for its feature and model then. */
  prompt_source: "trace" | "live then" | null;
  trace_id: string | null;
  reviewer: string | null;
  excerpt: string | null;
  age_days: number;
};

const distinct = (values: string[]) => [...new Set(values)].sort();

/**
 * Share of each root cause within each category (and all categories), with n and a Wilson interval,
 * for every feature and status and for all of them, so the page's filters only pick rows.
 */
export function rootCauseShares(
  groups: readonly {feature: string; status: string; category: string; root_cause: string; n: number}[]
) {
  const features = [ALL, ...distinct(groups.map((g) => g.feature))];
  const statuses = [ALL, ...distinct(groups.map((g) => g.status))];
  const categories = [ALL, ...distinct(groups.map((g) => g.category))];
  const matches = (value: string, filter: string) => filter === ALL || value === filter;
  return features.flatMap((feature) =>
    statuses.flatMap((status) =>
      categories.flatMap((category) => {
        const slice = groups.filter(
          (g) => matches(g.feature, feature) && matches(g.status, status) && matches(g.category, category)
        );
        const n = slice.reduce((t, g) => t + g.n, 0);
        if (!n) return [];
        return ROOT_CAUSES.map((root_cause) => ({
          feature,
          status,
          category,
          root_cause,
          share: rate(
            slice.filter((g) => g.root_cause === root_cause).reduce((t, g) => t + g.n, 0),
            n
          )
        }));
      })
    )
  );
}

/** The open flags, counted. */
type OpenCountRow = {n: number};

/** Open flags, most severe first, then oldest; age is counted to the newest flag so a rebuild of the same data says the same. */
async function openItems(db: Database, asOf: string | null) {
  const [{n}] = await db.query<OpenCountRow>(`SELECT count(*)::INTEGER AS n
    FROM flags
    WHERE status = 'open' OR status IS NULL`);
  // The prompt version a flag came from: its trace's, else the newest version of its feature and model
  // live in production when it was flagged (an inference the page labels as such).
  const rows = await db.query<OpenFlagRow>(
    `WITH served AS (
      SELECT feature,
        model,
        prompt_version,
        min(start_time) AS first_at
      FROM requests
      WHERE feature IS NOT NULL
        AND model IS NOT NULL
        AND prompt_version IS NOT NULL
      GROUP BY ALL
    ),
    open AS (
      SELECT *
      FROM flags
      WHERE status = 'open'
        OR status IS NULL
    ),
    traced AS (
      SELECT trace_id,
        min(prompt_version) AS prompt_version
      FROM requests
      WHERE trace_id IN (
          SELECT trace_id
          FROM open
        )
        AND prompt_version IS NOT NULL
      GROUP BY trace_id
    )
    SELECT o.flag_id,
      o."at",
      o.feature,
      o.category,
      o.severity,
      coalesce(o.root_cause, 'unknown') AS root_cause,
      o.model,
      coalesce(t.prompt_version, s.prompt_version) AS prompt_version,
      CASE WHEN t.prompt_version IS NOT NULL THEN 'trace' WHEN s.prompt_version IS NOT NULL THEN 'live then' END AS prompt_source,
      o.trace_id,
      o.reviewer,
      o.excerpt,
      floor((epoch($asOf::TIMESTAMPTZ) - epoch(o."at")) / 86400)::INTEGER AS age_days
    FROM open o
    LEFT JOIN traced t ON t.trace_id = o.trace_id
    ASOF LEFT JOIN served s ON s.feature = o.feature AND s.model = o.model AND o."at" >= s.first_at
    ORDER BY CASE o.severity ${SEVERITIES.map((s, i) => `WHEN ${quotedString(s)} THEN ${i}`).join(" ")} END, o."at", o.flag_id
    LIMIT ${OPEN_LIMIT}`,
    {asOf}
  );
  return {total: n, shown: rows.length, rows};
}

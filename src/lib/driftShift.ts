// The drift page's input-mix shift and untested categories, from counts: the production side's SQL
// (over `requests`, with an optional filter) and the shaping of counts into PSI, χ² and shares. In
// src/lib because the page's filters recompute a slice in the browser (DuckDB-wasm over the exported
// requests) with these same queries and functions, against the eval set's counts the build wrote.
import {byText, NONE} from "./all.js";
import {round as roundTo} from "./format.js";
import {chiSquareHomogeneity} from "./metrics/chiSquare.js";
import {populationStabilityIndex} from "./metrics/psi.js";
import {proportionDifference} from "./metrics/proportionDifference.js";
import {rate} from "./metrics/rate.js";
import {utcWeekDateSql} from "./utcBuckets.js";

const round = (x: number | null) => roundTo(x, 6);
const and = (where: readonly string[]) => where.map((t) => ` AND ${t}`).join("");

export type Bin = {label: string; evalN: number; prodN: number};

/** PSI (size of the shift) and χ² test (is it more than chance) of production against the eval set over the same bins. */
export function shift(bins: Bin[]) {
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
      statistic: roundTo(test.statistic, 4),
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

/** The weeks of a shift, each against the same eval counts. */
const weeklyShift = (weeks: readonly string[], binsFor: (week: string) => Bin[]) =>
  weeks.map((week) => {
    const s = shift(binsFor(week));
    return {week, n: s.prodN, psi: s.psi, level: s.level, pValue: s.chiSquare.pValue};
  });

export type CategoryCount = {feature: string; week: string | null; category: string; n: number};

/** Production requests per feature and category, over the whole period (week null) and per UTC week; `where` filters requests. */
export const categoryCountsSql = (where: readonly string[] = []) =>
  `SELECT feature, CASE WHEN grouping(week) = 0 THEN week END AS week, category, count(*)::INTEGER AS n
  FROM (
    SELECT feature, category, ${utcWeekDateSql("start_time")}::VARCHAR AS week
    FROM requests
    WHERE category IS NOT NULL AND feature IS NOT NULL${and(where)}
  )
  GROUP BY GROUPING SETS ((feature, category), (feature, week, category))`;

/** A feature's category mix against its eval set's (category → distinct cases), or null when either side is empty. */
export function categoryShiftOf(
  feature: string,
  evalOf: ReadonlyMap<string, number>,
  counts: readonly CategoryCount[]
) {
  const prod = counts.filter((c) => c.feature === feature);
  if (!evalOf.size || !prod.length) return null;
  const categories = [...new Set([...evalOf.keys(), ...prod.map((c) => c.category)])].sort();
  const binsFor = (week: string | null) => {
    const prodOf = new Map(prod.filter((c) => c.week === week).map((c) => [c.category, c.n]));
    return categories.map((label) => ({label, evalN: evalOf.get(label) ?? 0, prodN: prodOf.get(label) ?? 0}));
  };
  const weeks = [...new Set(prod.filter((c) => c.week).map((c) => c.week!))].sort();
  return {feature, ...shift(binsFor(null)), weekly: weeklyShift(weeks, binsFor)};
}

/** Input-length bins cut at `edges` (the eval set's deciles): a length below the first edge is bin 0, at or above the last the last bin. */
export const lengthBinSql = (edges: readonly number[]) =>
  `CASE ${edges.map((e, i) => `WHEN input_chars < ${e} THEN ${i}`).join(" ")} ELSE ${edges.length} END`;

export const lengthLabels = (edges: readonly number[]) =>
  edges.length
    ? [`< ${edges[0]}`, ...edges.slice(1).map((e, i) => `${edges[i]}–${e}`), `≥ ${edges[edges.length - 1]}`]
    : ["all"];

export type LengthCount = {week: string | null; bin: number; n: number};

/** A feature's production requests per length bin, whole period (week null) and per week; `where` filters requests. */
export const lengthCountsSql = (feature: string, edges: readonly number[], where: readonly string[] = []) =>
  `SELECT CASE WHEN grouping(week) = 0 THEN week END AS week, bin, count(*)::INTEGER AS n
  FROM (
    SELECT ${utcWeekDateSql("start_time")}::VARCHAR AS week, ${lengthBinSql(edges)} AS bin
    FROM requests
    WHERE feature = '${feature.replaceAll("'", "''")}' AND input_chars IS NOT NULL${and(where)}
  )
  GROUP BY GROUPING SETS ((bin), (week, bin))`;

/** A feature's length mix against the eval set's counts per bin, or null without production requests. */
export function lengthShiftOf(
  feature: string,
  edges: number[],
  evalCounts: readonly number[],
  counts: readonly LengthCount[]
) {
  if (!counts.length) return null;
  const binsFor = (week: string | null) =>
    lengthLabels(edges).map((label, bin) => ({
      label,
      evalN: evalCounts[bin] ?? 0,
      prodN: counts.find((c) => c.week === week && c.bin === bin)?.n ?? 0
    }));
  const weeks = [...new Set(counts.filter((c) => c.week).map((c) => c.week!))].sort();
  return {feature, edges, ...shift(binsFor(null)), weekly: weeklyShift(weeks, binsFor)};
}

export type CategoryCell = {feature: string; category: string; n: number; failed: number; first_ms: number};
export type CategoryWeek = {feature: string; category: string; week: string; n: number; total: number};
export type CategoryActions = {
  feature: string;
  category: string;
  n: number;
  accepted: number;
  escalated: number;
  rejected: number;
};

/** Requests per feature × category: how many, how many failed, when first seen; `where` filters requests. */
export const categoryCellsSql = (where: readonly string[] = []) =>
  `SELECT feature, category, count(*)::INTEGER AS n, count(*) FILTER (failed)::INTEGER AS failed, epoch_ms(min(start_time))::DOUBLE AS first_ms
  FROM requests
  WHERE feature IS NOT NULL AND category IS NOT NULL${and(where)}
  GROUP BY ALL`;

/** Each category's requests per week against its feature's requests that week; `where` filters requests. */
export const categoryWeeksSql = (where: readonly string[] = []) =>
  `WITH w AS (
    SELECT feature, category, ${utcWeekDateSql("start_time")}::VARCHAR AS week
    FROM requests
    WHERE feature IS NOT NULL${and(where)}
  )
  SELECT c.feature, c.category, c.week, c.n, t.total
  FROM (SELECT feature, category, week, count(*)::INTEGER AS n FROM w WHERE category IS NOT NULL GROUP BY ALL) c
  JOIN (SELECT feature, week, count(*)::INTEGER AS total FROM w GROUP BY ALL) t USING (feature, week)
  ORDER BY c.feature, c.category, c.week`;

/** User actions per feature and category (a missing category is NONE); `where` filters corrections. */
export const categoryActionsSql = (where: readonly string[] = []) =>
  `SELECT feature, coalesce(category, '${NONE}') AS category, count(*)::INTEGER AS n,
    count(*) FILTER (action = 'accepted')::INTEGER AS accepted,
    count(*) FILTER (action = 'escalated')::INTEGER AS escalated,
    count(*) FILTER (action = 'rejected')::INTEGER AS rejected
  FROM corrections
  ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
  GROUP BY ALL`;

export function difference(k1: number, n1: number, k2: number, n2: number) {
  const d = proportionDifference(k1, n1, k2, n2);
  return {
    value: round(d.difference),
    low: round(d.low),
    high: round(d.high),
    significant: d.low !== null && (d.low > 0 || d.high! < 0)
  };
}

/**
 * Production categories no eval case of a tested feature covers (`covered`: feature → its eval
 * categories; a feature absent from it has no eval set and is skipped), with their traffic, weekly
 * share, failures and how users fared on them against the rest of the feature. Most requests first.
 */
export function newCategoryRows(
  cells: readonly CategoryCell[],
  covered: ReadonlyMap<string, ReadonlySet<string>>,
  weekly: readonly CategoryWeek[],
  actions: readonly CategoryActions[]
) {
  const totals = new Map<string, {n: number; failed: number}>();
  for (const c of cells) {
    const t = totals.get(c.feature) ?? {n: 0, failed: 0};
    totals.set(c.feature, {n: t.n + c.n, failed: t.failed + c.failed});
  }
  const fresh = cells
    .filter((c) => covered.has(c.feature) && !covered.get(c.feature)!.has(c.category))
    .sort((a, b) => b.n - a.n || byText(a.feature, b.feature) || byText(a.category, b.category));
  return fresh.map((r) => {
    const total = totals.get(r.feature)!;
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
      requests: r.n,
      firstSeen: new Date(r.first_ms).toISOString(),
      share: rate(r.n, total.n),
      weekly: weekly
        .filter((w) => w.feature === r.feature && w.category === r.category)
        .map((w) => ({week: w.week, n: w.n, share: rate(w.n, w.total)})),
      failed: rate(r.failed, r.n),
      failedRest: rate(total.failed - r.failed, total.n - r.n),
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

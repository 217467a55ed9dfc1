// The drift page's filtered slice, imported only once a filter is set: quality since launch (against
// the slice's own launch baseline, with the deployments it is read against), the production side of
// the input-mix shift (PSI, χ²) and the untested categories, recomputed for the filtered requests and
// corrections with the build's own queries and functions (src/lib/driftQuality.ts, driftShift.ts),
// against the eval set the build counted (the eval set is what was tested, so the filters leave it whole).
import type {DriftPage} from "../../loaders/queries/drift.js";
import {
  categoryActionsSql,
  categoryCellsSql,
  categoryCountsSql,
  categoryShiftOf,
  categoryWeeksSql,
  lengthCountsSql,
  lengthShiftOf,
  newCategoryRows,
  type CategoryActions,
  type CategoryCell,
  type CategoryCount,
  type CategoryWeek,
  type LengthCount
} from "../lib/driftShift.js";
import {
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
} from "../lib/driftQuality.js";
import {filterTerms} from "./filterSql.js";
import type {PageFilter} from "./pageFilters.js";

const columns = {model: "model", segment: "segment"};
/** The filter's conditions on the requests and on the corrections (same columns, their own time column). */
export const driftTerms = (filter: PageFilter) => ({
  requests: filterTerms(filter, {columns, time: {column: "start_time", bucket: "7 DAY"}}),
  corrections: filterTerms(filter, {columns, time: {column: "at", bucket: "7 DAY"}})
});

/** The eval side as the build wrote it: each feature's category counts, length edges and counts, and covered categories. */
export function evalSide(d: Pick<DriftPage, "categoryShift" | "lengthShift" | "evalFeatures">) {
  const categories = new Map(
    d.categoryShift.map((s) => [s.feature, new Map(s.bins.filter((b) => b.evalN > 0).map((b) => [b.label, b.evalN]))])
  );
  return {
    categories,
    lengths: d.lengthShift.map((s) => ({feature: s.feature, edges: s.edges, evalN: s.bins.map((b) => b.evalN)})),
    // A tested feature without eval categories covers none; one without an eval set is not compared.
    covered: new Map(d.evalFeatures.map((f) => [f, new Set(categories.get(f)?.keys() ?? [])]))
  };
}

type Query = <R>(sql: string) => Promise<R[]>;

/** The filtered slice's quality, deployments, shift and untested categories, in the shape of the page's data (src/data/drift.json). */
export async function slicedDrift(
  query: Query,
  filter: PageFilter,
  d: Pick<DriftPage, "features" | "categoryShift" | "lengthShift" | "evalFeatures">
) {
  const terms = driftTerms(filter);
  const side = evalSide(d);
  const counts = await query<CategoryCount>(categoryCountsSql(terms.requests));
  const lengthShift = [];
  for (const {feature, edges, evalN} of side.lengths) {
    const shifted = lengthShiftOf(
      feature,
      edges,
      evalN,
      await query<LengthCount>(lengthCountsSql(feature, edges, terms.requests))
    );
    if (shifted) lengthShift.push(shifted);
  }
  return {
    quality: qualityOf(
      await query<WeeklyQualityRow>(weeklyQualitySql(terms.corrections)),
      await query<BaselineQualityRow>(baselineQualitySql(terms.corrections)),
      await query<WeeklyFailuresRow>(weeklyFailuresSql(terms.requests)),
      await query<BaselineFailuresRow>(baselineFailuresSql(terms.requests))
    ),
    deployments: deploymentsOf(await query<DeploymentRow>(deploymentsSql(terms.requests))),
    categoryShift: d.features.flatMap((f) => {
      const shifted = categoryShiftOf(f, side.categories.get(f) ?? new Map(), counts);
      return shifted ? [shifted] : [];
    }),
    lengthShift,
    newCategories: newCategoryRows(
      await query<CategoryCell>(categoryCellsSql(terms.requests)),
      side.covered,
      await query<CategoryWeek>(categoryWeeksSql(terms.requests)),
      await query<CategoryActions>(categoryActionsSql(terms.corrections))
    )
  };
}
export type SlicedDrift = Awaited<ReturnType<typeof slicedDrift>>;

// The home page: what needs attention this week, from the brief's own facts (loaders/brief/attention.ts),
// and one line on what was loaded (the Data quality page has the rest).
import {attentionOf} from "../brief/attention.js";
import {brief as briefPage} from "./brief.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sharedOr, type SharedResults} from "../pages/shared.js";
import {overview} from "./overview.js";

/** src/data/attention.json (inferred from the query: the components import it, never restate it). */
export type AttentionPage = Awaited<ReturnType<typeof attention>>;

/** `shared`: in a build, the other pages' results (loaders/pages/shared.ts), the brief's among them. */
export async function attention(db: Database, workspace: Workspace, shared?: SharedResults) {
  const brief = await sharedOr(shared, briefPage, db, workspace);
  const {product, totals, span} = await sharedOr(shared, overview, db, workspace);
  return {product, period: brief.period, reviewDays: brief.reviewDays, ...attentionOf(brief), loaded: {totals, span}};
}

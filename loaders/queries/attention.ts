// The home page: what needs attention this week, from the brief's own facts (loaders/brief/attention.ts),
// and one line on what was loaded (the Data quality page has the rest).
import {assembleBrief} from "../brief/assemble.js";
import {attentionOf} from "../brief/attention.js";
import {gatherInputs} from "../brief/inputs.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {overview} from "./overview.js";

export async function attention(db: Database, workspace: Workspace) {
  const brief = assembleBrief(await gatherInputs(db, workspace));
  const {product, totals, span} = await overview(db, workspace);
  return {product, period: brief.period, reviewDays: brief.reviewDays, ...attentionOf(brief), loaded: {totals, span}};
}

// The capability brief for leadership: one page per feature and a portfolio page, composed from the
// other pages' own query results (loaders/brief/inputs.ts), so every figure is the one its page shows.
import {assembleBrief, type Brief} from "../brief/assemble.js";
import {gatherInputs} from "../brief/inputs.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import type {SharedResults} from "../pages/shared.js";

/** src/data/brief.json. */
export type BriefPage = Brief;

/** `shared`: in a build, the other pages' results, which the brief reuses rather than computes again. */
export async function brief(db: Database, workspace: Workspace, shared?: SharedResults): Promise<BriefPage> {
  return assembleBrief(await gatherInputs(db, workspace, shared));
}

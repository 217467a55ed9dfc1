// The brief's prose as drafted by a model, when OPENAI_API_KEY is set (loaders/brief/draft.ts); without
// a key, or when the draft is rejected, the page keeps the text composed from the facts. A separate
// data file from the brief, and rebuilt every build (scripts/pipeline.ts), so that neither a cached
// draft nor a cached absence of one outlives a change of key, model or server.
import {draftBrief, draftSettings, type DraftOutcome} from "../brief/draft.js";
import {excerptsOf} from "../brief/excerpts.js";
import {gatherInputs} from "../brief/inputs.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sharedOr, type SharedResults} from "../pages/shared.js";
import {brief} from "./brief.js";

/** src/data/brief-draft.json: the model's prose, or why the facts' own text is used. */
export type BriefDraftPage = DraftOutcome;

export async function briefDraft(
  db: Database,
  workspace: Workspace,
  env: NodeJS.ProcessEnv = process.env,
  shared?: SharedResults
): Promise<BriefDraftPage> {
  const settings = draftSettings(env);
  if (!settings) return {mode: "deterministic", model: null, reason: null};
  const inputs = await gatherInputs(db, workspace, shared);
  return draftBrief(await sharedOr(shared, brief, db, workspace), excerptsOf(inputs), settings);
}

// The brief's prose as drafted by a model, when OPENAI_API_KEY is set (loaders/brief/draft.ts); without
// a key, or when the draft is rejected, the page keeps the text composed from the facts. A separate
// data file from the brief, and rebuilt every build (scripts/pipeline.ts), so that neither a cached
// draft nor a cached absence of one outlives a change of key, model or server.
import {assembleBrief} from "../brief/assemble.js";
import {draftBrief, draftSettings, type DraftOutcome} from "../brief/draft.js";
import {excerptsOf} from "../brief/excerpts.js";
import {gatherInputs} from "../brief/inputs.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";

/** src/data/brief-draft.json: the model's prose, or why the facts' own text is used. */
export type BriefDraftPage = DraftOutcome;

export async function briefDraft(
  db: Database,
  workspace: Workspace,
  env: NodeJS.ProcessEnv = process.env
): Promise<BriefDraftPage> {
  const settings = draftSettings(env);
  if (!settings) return {mode: "deterministic", model: null, reason: null};
  const inputs = await gatherInputs(db, workspace);
  return draftBrief(assembleBrief(inputs), excerptsOf(inputs), settings);
}

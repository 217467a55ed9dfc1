// Every page's data, by the name of its data file (src/data/<name>.json): the one list that the build
// pipeline computes in a single process (loaders/pages/computePages.ts) and that each Framework data
// loader falls back to when run on its own (loaders/pages/writePage.ts).
import {attention} from "../queries/attention.js";
import {bakeoff} from "../queries/bakeoff.js";
import {bakeoffCases} from "../queries/bakeoffCases.js";
import {brief} from "../queries/brief.js";
import {briefDraft} from "../queries/briefDraft.js";
import {buildTime} from "../schema/config.js";
import {classifierJudges} from "../queries/classifierJudges.js";
import {classifiers} from "../queries/classifiers.js";
import {correctionsPage} from "../queries/corrections.js";
import {driftPage} from "../queries/drift.js";
import {evalTriage} from "../queries/evalTriage.js";
import {triageOutcomes} from "../queries/triageOutcomes.js";
import {experimentsPage} from "../queries/experiments.js";
import {frontier} from "../queries/frontier.js";
import {launchGate} from "../queries/launchGate.js";
import {overview, quarantineReport} from "../queries/overview.js";
import {safetyPage} from "../queries/safety.js";
import {tracesPage} from "../queries/traces.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";

export type PageCompute = (db: Database, workspace: Workspace) => Promise<unknown>;

/** Page data that depends only on the warehouse and the workbench config. */
export const pages: Record<string, PageCompute> = {
  attention,
  bakeoff,
  "bakeoff-cases": (db) => bakeoffCases(db),
  brief,
  "classifier-judges": classifierJudges,
  classifiers,
  corrections: correctionsPage,
  drift: driftPage,
  "eval-triage": (db) => evalTriage(db),
  "eval-triage-outcomes": (db) => triageOutcomes(db),
  experiments: experimentsPage,
  frontier: (db) => frontier(db),
  "launch-gate": launchGate,
  overview,
  quarantine: (db) => quarantineReport(db),
  safety: safetyPage,
  traces: tracesPage
};

/**
 * Page data computed afresh every build, never reused: the build's time, and the brief's model draft,
 * whose inputs (OPENAI_API_KEY, the server, the model) are environment no fingerprint can see.
 */
export const freshPages: Record<string, PageCompute> = {
  "brief-draft": (db, workspace) => briefDraft(db, workspace),
  "build-stamp": async () => ({built_at: buildTime().toISOString()})
};

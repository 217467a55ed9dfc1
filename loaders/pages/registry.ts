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
import {evalTriagePage} from "../queries/evalTriage.js";
import {joinTriage, triageFiles, type TriageOverview, type TriageSuiteBlock} from "../queries/triageFiles.js";
import {triageCaseTexts} from "../queries/triageTexts.js";
import {experimentsPage} from "../queries/experiments.js";
import {frontier} from "../queries/frontier.js";
import {launchGate} from "../queries/launchGate.js";
import {overview, quarantineReport} from "../queries/overview.js";
import {safetyPage} from "../queries/safety.js";
import {traceCells} from "../queries/traceCells.js";
import {tracesPage} from "../queries/traces.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sharedOr, type Query, type SharedResults} from "./shared.js";

/** `shared`: results already computed in this build that the page may reuse (loaders/pages/shared.ts). */
export type PageCompute = ((db: Database, workspace: Workspace, shared?: SharedResults) => Promise<unknown>) & {
  /** The query the page is, alone, when other pages reuse its result: its data file is that result. */
  query?: Query<Workspace, unknown>;
  /**
   * A query other pages reuse whose result this page's file holds together with other pages' files
   * (eval triage's overview and suite blocks): `join` gives the result back from the files named, in
   * that order, when every one of them is current.
   */
  recalls?: {query: Query<Workspace, unknown>; files: readonly string[]; join: (values: unknown[]) => unknown};
};

/** A page that is one query whose result other pages (attention, the brief) reuse in the same build. */
const reused = <T>(query: Query<Workspace, T>): PageCompute =>
  Object.assign(
    (db: Database, workspace: Workspace, shared?: SharedResults) => sharedOr(shared, query, db, workspace),
    {
      query
    }
  );

/** evalTriage's result, held by eval triage's two files together (one object: computePages recalls it once). */
const triageRecalls: PageCompute["recalls"] = {
  query: evalTriagePage,
  files: ["eval-triage", "eval-triage-suites"],
  join: ([overview, suites]) => joinTriage(overview as TriageOverview, suites as TriageSuiteBlock[])
};

/** Page data that depends only on the warehouse and the workbench config. */
export const pages: Record<string, PageCompute> = {
  attention,
  bakeoff: reused(bakeoff),
  "bakeoff-cases": (db) => bakeoffCases(db),
  brief: reused(brief),
  "classifier-judges": classifierJudges,
  classifiers,
  corrections: reused(correctionsPage),
  drift: reused(driftPage),
  "eval-triage": triageFile("overview"),
  "eval-triage-cases": triageFile("cases"),
  "eval-triage-suites": triageFile("suites"),
  "eval-triage-texts": (db) => triageCaseTexts(db),
  experiments: experimentsPage,
  frontier: (db) => frontier(db),
  "launch-gate": reused(launchGate),
  overview: reused(overview),
  quarantine: (db) => quarantineReport(db),
  safety: reused(safetyPage),
  traces: reused(tracesPage),
  // One computation for both files: the cells file says where each block of the values file is.
  "trace-cells": async (db, workspace, shared) => (await sharedOr(shared, traceCellFiles, db, workspace)).cells,
  "trace-values": async (db, workspace, shared) => (await sharedOr(shared, traceCellFiles, db, workspace)).values
};

/** One of eval triage's three files (loaders/queries/triageFiles.ts). */
function triageFile(part: "overview" | "suites" | "cases"): PageCompute {
  return Object.assign(
    async (db: Database, workspace: Workspace, shared?: SharedResults) =>
      (await sharedOr(shared, triageFiles, db, workspace))[part],
    {recalls: triageRecalls}
  );
}

/** The traces page's cells and values files, computed once a build (a named query, so SharedResults reuses it). */
async function traceCellFiles(db: Database) {
  return traceCells(db);
}

/**
 * Page data computed afresh every build, never reused: the build's time, and the brief's model draft,
 * whose inputs (OPENAI_API_KEY, the server, the model) are environment no fingerprint can see.
 */
export const freshPages: Record<string, PageCompute> = {
  "brief-draft": (db, workspace, shared) => briefDraft(db, workspace, process.env, shared),
  "build-stamp": async () => ({built_at: buildTime().toISOString()})
};

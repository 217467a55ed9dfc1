// What the brief is composed from: the outputs of the other pages' own query functions, called on the
// same warehouse, so every figure in the brief is the figure its page shows. Nothing is re-derived.
import {bakeoff} from "../queries/bakeoff.js";
import {correctionsPage} from "../queries/corrections.js";
import {driftPage} from "../queries/drift.js";
import {evalTriagePage} from "../queries/evalTriage.js";
import {launchGate} from "../queries/launchGate.js";
import {tableSummaries, type TableSummary} from "../queries/overview.js";
import {safetyPage} from "../queries/safety.js";
import {tracesPage} from "../queries/traces.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {sharedOr, type SharedResults} from "../pages/shared.js";

export interface BriefInputs {
  product: string;
  launches: Awaited<ReturnType<typeof launchGate>>["launches"];
  triage: Awaited<ReturnType<typeof evalTriagePage>>;
  bakeoff: Awaited<ReturnType<typeof bakeoff>>;
  drift: Awaited<ReturnType<typeof driftPage>>;
  corrections: Awaited<ReturnType<typeof correctionsPage>>;
  traces: Awaited<ReturnType<typeof tracesPage>>;
  safety: Awaited<ReturnType<typeof safetyPage>>;
  tables: TableSummary[];
}

/** `shared`: in a build, the results the pages computed (or will reuse), so no query runs twice. */
export async function gatherInputs(db: Database, workspace: Workspace, shared?: SharedResults): Promise<BriefInputs> {
  const result = <T>(query: (db: Database, workspace: Workspace) => Promise<T>) =>
    sharedOr(shared, query, db, workspace);
  return {
    product: workspace.config.product?.name ?? "AI product",
    launches: (await result(launchGate)).launches,
    triage: await result(evalTriagePage),
    bakeoff: await result(bakeoff),
    drift: await result(driftPage),
    corrections: await result(correctionsPage),
    traces: await result(tracesPage),
    safety: await result(safetyPage),
    tables: await result(tableSummaries)
  };
}

/** Days in the review period: a brief is read weekly, so "since the last review" is the last week of data. */
export const REVIEW_DAYS = 7;

export interface Period {
  /** Earliest and latest timestamp in any table: the data's span. */
  dataFrom: string | null;
  dataTo: string | null;
  /** The review period: the REVIEW_DAYS ending at the newest timestamp, so a rebuild of the same data says the same. */
  from: string | null;
  to: string | null;
}

export function reviewPeriod(tables: readonly TableSummary[], days = REVIEW_DAYS): Period {
  const firsts = tables
    .map((t) => t.first_at)
    .filter((x): x is string => !!x)
    .sort();
  const lasts = tables
    .map((t) => t.last_at)
    .filter((x): x is string => !!x)
    .sort();
  const dataTo = lasts.at(-1) ?? null;
  const from = dataTo ? new Date(Date.parse(dataTo) - days * 86_400_000).toISOString() : null;
  return {dataFrom: firsts[0] ?? null, dataTo, from, to: dataTo};
}

// The page file eval-triage-texts.json: the text of every case eval triage's filter can list, by the
// build's own SQL for its listed cases (changedCasesSql, every flipped case instead of the 40 biggest
// changes), laid out for range reads by src/lib/triageTexts.ts.
import {changedCasesSql, type ChangedCaseRow} from "../../src/lib/triageRuns.js";
import {caseText, textsFile, type CaseText} from "../../src/lib/triageTexts.js";
import type {Database} from "../warehouse/duckdb.js";
import {prepareEvalTables} from "./evalTables.js";
import {prepareTriagePairs} from "./evalTriage.js";
import {CASE_INDEX_SQL} from "./triageOutcomes.js";

type TextRow = ChangedCaseRow & {suite: string};

/**
 * Each of evalTriage's pairs with the texts of its flipped cases (the suite's cases that both runs
 * graded) in the order the page picks them (CHANGED_ORDER, ties in the suite's case order: changedPicks
 * without a limit), which the browser computes from the case figures.
 */
export async function triageCaseTexts(db: Database) {
  await prepareEvalTables(db);
  await prepareTriagePairs(db);
  const rows = await db.query<TextRow>(
    `SELECT p.suite, t.*
     FROM (${changedCasesSql("triage_joined", "eval_results", Infinity)}) t
     JOIN triage_pair p USING (before_run, after_run)
     JOIN (${CASE_INDEX_SQL}) x ON x.suite = p.suite AND x.case_id = t.case_id
     ORDER BY p.suite, p.seq DESC, t.after_run, t.before_run, t.change,
       abs(coalesce(t.after_score, 0) - coalesce(t.before_score, 0)) DESC, x.i`
  );
  const pairs = await db.query<{before_run: string; after_run: string}>(`SELECT before_run, after_run
    FROM triage_pair
    ORDER BY suite, seq DESC, after_run, before_run`);
  const texts = new Map(pairs.map((p) => [`${p.before_run}\u0000${p.after_run}`, [] as CaseText[]]));
  for (const r of rows) texts.get(`${r.before_run}\u0000${r.after_run}`)!.push(caseText(r));
  return textsFile(
    pairs.map((p) => ({
      before: p.before_run,
      after: p.after_run,
      texts: texts.get(`${p.before_run}\u0000${p.after_run}`)!
    }))
  );
}

// One run_id is one run: one suite's cases graded on one system. The eval pages take a run's suite,
// model, prompt… once per run_id (eval_run in loaders/queries/evalTables.ts), so a run_id whose rows
// disagree (a nightly job that wrote one run_id for three suites, a run whose rows name two models)
// would be filed under one of its suites, with the other suites' cases in its pass rate, and nothing
// would say so. Such a run is bad input: every row of it goes to the quarantine, naming the run, the
// fields and their values (which fields, and why missing values do not count: runLevelFields in
// loaders/schema/tables.ts). Runs after the duplicate check, so a repeated row (the same run, case and
// epoch in a second file, which is set aside as a copy) is not a second voice of its run.
import {evalResults, runLevelFields, type RunLevelField} from "../schema/tables.js";
import {hasRows, quotedIdentifier, type Database} from "./duckdb.js";
import {quarantineRows} from "./quarantineRows.js";
import {keyHashSql} from "./validate.js";

/** How a reason names a field, one and many. */
const nouns: Record<RunLevelField, readonly [string, string]> = {
  suite: ["suite", "suites"],
  feature: ["feature", "features"],
  model: ["model", "models"],
  prompt_version: ["prompt version", "prompt versions"],
  dataset_version: ["dataset version", "dataset versions"],
  option: ["option", "options"],
  eval_id: ["eval id", "eval ids"]
};

/** The values a reason lists of one field; the count says how many there are in all. */
const SHOWN_VALUES = 5;

/** One field on which a run's rows disagree: how many distinct values, and the first of them in order. */
export interface RunConflict {
  field: RunLevelField;
  count: number;
  values: readonly string[];
}

const listed = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/**
 * The quarantine's reason for every row of a run whose rows disagree, e.g. `run nightly-1 names 3 suites
 * (a, b, c): one run_id is one suite's run; give each suite's run its own run_id`.
 */
export function runConflictReason(runId: string, conflicts: readonly RunConflict[]): string {
  const named = conflicts.map(({field, count, values}) => {
    const shown = values.slice(0, SHOWN_VALUES).join(", ");
    return `${count} ${nouns[field][1]} (${shown}${count > SHOWN_VALUES ? ", …" : ""})`;
  });
  const one = conflicts.map(({field}) => nouns[field][0]);
  const rule =
    one.length === 1
      ? `one run_id is one ${one[0]}'s run; give each ${one[0]}'s run its own run_id`
      : `one run_id is one run, of ${listed(one.map((n) => `one ${n}`))}; give each its own run_id`;
  return `run ${runId} names ${listed(named)}: ${rule}`;
}

/**
 * Every eval row quarantined because its run disagrees ("set aside with its run"), with its run and its
 * key's hash (as duplicate_links records it): such a row is in neither eval_results nor duplicate_links,
 * and an incremental ingest must still find the files that hold it (sharedRunFiles in
 * loaders/warehouse/ingest.ts), since a run's rows are checked together.
 */
export const createSplitRunRowsSql = `CREATE TABLE IF NOT EXISTS split_run_rows (
    source_file VARCHAR,
    source_line INTEGER,
    run_id VARCHAR,
    key_hash UBIGINT
  )`;

/** A run whose rows disagree, with each field's distinct count and first values (one column per field). */
type SplitRunRow = {run_id: string} & Record<RunLevelField, number> & Record<`${RunLevelField}#values`, string[]>;

/**
 * Quarantines every row of each run whose rows disagree on a run-level field. `newFiles`, after an
 * incremental ingest: a temp table (`file`) of the files just read; only their runs are checked, since
 * no other run gained or lost a row, and every row of theirs is in eval_results (the files of rows set
 * aside earlier were read too: ingest.ts). Rows of a file not read may still move to the quarantine,
 * when a new file makes their run disagree.
 */
export async function quarantineSplitRuns(db: Database, {newFiles}: {newFiles?: string} = {}): Promise<void> {
  const scope = newFiles
    ? `WHERE run_id IN (
        SELECT run_id
        FROM eval_results
        WHERE source_file IN (SELECT file FROM ${quotedIdentifier(newFiles)})
      )`
    : "";
  // min and max skip NULLs: they differ exactly when a field has two values present. Far cheaper than
  // counting distinct values of every run; only the runs found pay for the lists their reasons show.
  const differ = runLevelFields.map((f) => `min(${quotedIdentifier(f)}) <> max(${quotedIdentifier(f)})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE split_runs AS
    SELECT run_id
    FROM eval_results
    ${scope}
    GROUP BY run_id
    HAVING ${differ.join("\n      OR ")}`);
  if (await hasRows(db, "split_runs")) await quarantineRuns(db);
  await db.run(`DROP TABLE split_runs`);
}

/** The rows of the runs in `split_runs` to the quarantine, each with its run's reason. */
async function quarantineRuns(db: Database): Promise<void> {
  const columns = runLevelFields.flatMap((f) => {
    const v = quotedIdentifier(f);
    return [
      `count(DISTINCT ${v})::INTEGER AS ${v}`,
      `list_sort(list_distinct(list(${v})))[1:${SHOWN_VALUES}] AS ${quotedIdentifier(`${f}#values`)}`
    ];
  });
  const runs = await db.query<SplitRunRow>(`SELECT run_id,
      ${columns.join(",\n      ")}
    FROM eval_results
    SEMI JOIN split_runs USING (run_id)
    GROUP BY run_id
    ORDER BY run_id`);
  const reasons = runs.map((run) => {
    const conflicts = runLevelFields
      .filter((field) => run[field] > 1)
      .map((field) => ({field, count: run[field], values: run[`${field}#values`]}));
    return {
      run_id: run.run_id,
      field: conflicts.map((c) => c.field).join(", "),
      reason: runConflictReason(run.run_id, conflicts)
    };
  });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE split_run_reasons AS
    SELECT unnest(from_json($reasons, '[{"run_id": "VARCHAR", "field": "VARCHAR", "reason": "VARCHAR"}]'), recursive := true)`,
    {reasons: JSON.stringify(reasons)}
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE split_run_rejects AS
    SELECT e.*,
      r.field AS "#field",
      r.reason AS "#reason"
    FROM eval_results e
    JOIN split_run_reasons r USING (run_id)`);
  await db.run(createSplitRunRowsSql);
  await db.run(`INSERT INTO split_run_rows
    SELECT source_file,
      source_line,
      run_id,
      ${keyHashSql(evalResults)}
    FROM split_run_rejects`);
  await quarantineRows(db, evalResults, `SELECT * FROM split_run_rejects`);
  // A row of a file not read was priced by an earlier ingest; a cold build never prices a row set aside.
  await db.run(`DELETE FROM zero_cost_rows z
    USING split_run_rejects r
    WHERE z.table_name = 'eval_results'
      AND z.source_file = r.source_file
      AND z.source_line = r.source_line`);
  await db.run(`DROP TABLE split_run_rejects`);
  await db.run(`DROP TABLE split_run_reasons`);
}

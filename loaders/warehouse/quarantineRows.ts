// Moving accepted rows of a canonical table to the quarantine, for the checks that need more than one
// row and run after validation: the experiment checks (experiments.ts) and the eval run check
// (evalRuns.ts). Rows in = accepted + quarantined still holds per file: a row leaves the table as it
// enters the quarantine.
import type {TableSpec} from "../schema/fields.js";
import {quotedIdentifier, quotedString, type Database} from "./duckdb.js";
import {redactSql} from "./redact.js";
import {quarantineExcerptSql, quarantineRedactedSql} from "./validate.js";

/** Rows a check set aside in the temp table `rejected`. */
type RejectedRow = {rejected: number};

/**
 * Moves the rows `select` yields to the quarantine: a table's columns plus "#field" and "#reason" (named
 * apart from the table's own columns: eval_results has a `reason`, the grader's).
 */
export async function quarantineRows(db: Database, spec: TableSpec, select: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE rejected AS ${select}`);
  // Usually nothing is rejected; planning the redacting INSERT and the DELETE costs about 0.2 s each time.
  const [{rejected}] = await db.query<RejectedRow>(`SELECT count(*)::INTEGER AS rejected
    FROM rejected`);
  if (rejected === 0) return db.run(`DROP TABLE rejected`);
  const pairs = spec.fields.flatMap((f) => [quotedString(f.name), quotedIdentifier(f.name)]);
  const row = `json_object(${pairs.join(", ")})::VARCHAR`;
  // Reasons quote identifiers from the file (unit ids, variants, runs, models): redacted like every reason.
  await db.run(`INSERT INTO quarantine
    SELECT source_file,
      source_line,
      ${quotedString(spec.name)},
      "#field",
      ${redactSql(`"#reason"`)},
      ${quarantineExcerptSql}
    FROM (
      SELECT *,
        ${quarantineRedactedSql(row)}
      FROM rejected
    )
    ORDER BY source_file, source_line`);
  await db.run(`DELETE FROM ${quotedIdentifier(spec.name)} t
    USING rejected r
    WHERE t.source_file = r.source_file
      AND t.source_line = r.source_line`);
  await db.run(`DROP TABLE rejected`);
}

// One class written two ways ("pass" and "Pass ", or "fail\r" from a stray line end) would split a
// confusion matrix into classes nobody meant and take agreement down with it. So every class label is
// trimmed of edge whitespace, and spellings of a task's labels that then differ only in case are merged
// into the spelling most rows use. Case is folded only where two spellings meet: a task whose labels are
// all "Billing" keeps them as written. Every rewritten spelling is kept in `label_spellings` with its
// file, field and rows, for the Data quality page.
import {predictions} from "../schema/tables.js";
import {hasRows, quotedIdentifier, quotedString, type Database} from "./duckdb.js";

/** One spelling that was rewritten: the rows of a file whose field held it, and what it became. */
export type LabelSpelling = {
  source_file: string;
  task: string;
  field: string;
  /** The file's column that holds the field (human_label for a judge CSV's label). */
  column: string;
  spelling: string;
  merged_into: string;
  rows: number;
  /** "whitespace" when only edges were trimmed, "case" when the case was folded too. */
  reason: "whitespace" | "case";
};

export const createLabelSpellingsSql = `CREATE OR REPLACE TABLE label_spellings
  (source_file VARCHAR, task VARCHAR, field VARCHAR, "column" VARCHAR, spelling VARCHAR, merged_into VARCHAR, rows INTEGER, reason VARCHAR)`;

/**
 * Each rewritten label's spelling as read, by row, so that an incremental ingest can put them back
 * (revertLabelSpellings) and merge again over every file: a new file can change the spelling most
 * rows of a task use, and so what every other file's labels become.
 */
export const createLabelRewritesSql = `CREATE TABLE IF NOT EXISTS label_rewrites (source_file VARCHAR, source_line INTEGER, field VARCHAR, spelling VARCHAR)`;

/** Puts every rewritten label back as it was read and forgets the rewrites: predictions as before mergeLabelSpellings. */
export async function revertLabelSpellings(db: Database): Promise<void> {
  await db.run(createLabelRewritesSql);
  // Nothing to put back (no predictions, or none rewritten): skip the updates, whose planning is most
  // of a small ingest's cost here.
  if (!(await hasRows(db, "label_rewrites"))) return;
  for (const f of predictions.fields.filter((f) => f.classLabel).map((f) => f.name)) {
    await db.run(`UPDATE predictions AS t
      SET ${quotedIdentifier(f)} = r.spelling
      FROM label_rewrites r
      WHERE r.field = ${quotedString(f)}
        AND r.source_file = t.source_file
        AND r.source_line = t.source_line`);
  }
  await db.run(`DELETE FROM label_rewrites`);
}

const trimmedSql = (v: string) => `regexp_replace(${v}, '^\\s+|\\s+$', '', 'g')`;

/** A label spelling of one file, task and field, the spelling it is merged into, its rows and why. */
type SpellingRow = {
  source_file: string;
  task: string;
  field: string;
  spelling: string;
  merged_into: string;
  rows: number;
  reason: string;
};

/** Labels name classes within a task, so spellings are compared per task, across its files. */
export async function mergeLabelSpellings(
  db: Database,
  columnOf: (file: string, field: string) => string = (_, field) => field
): Promise<void> {
  await db.run(createLabelSpellingsSql);
  await db.run(createLabelRewritesSql);
  // A workspace without predictions (most) has no spelling to merge: the two tables above, empty, are
  // the whole result, and the fourteen statements below (about 25 ms to plan) are skipped.
  if (!(await hasRows(db, "predictions"))) return;
  const fields = predictions.fields.filter((f) => f.classLabel).map((f) => f.name);
  const spelled = fields.map(
    (f) => `SELECT source_file,
        task,
        ${quotedString(f)} AS field,
        ${quotedIdentifier(f)} AS spelling,
        count(*) AS rows
      FROM predictions
      WHERE ${quotedIdentifier(f)} IS NOT NULL
      GROUP BY ALL`
  );
  // The chosen spelling of each label of a task: the trimmed spelling with the most rows across its
  // files and fields, ties to the first in byte order, so the choice never depends on file order.
  await db.run(`CREATE OR REPLACE TEMP TABLE spellings AS
    WITH spelled AS (
      SELECT *, ${trimmedSql("spelling")} AS trimmed
      FROM (
        ${spelled.join("\n        UNION ALL\n        ")}
      )
    ),
    per_trimmed AS (
      SELECT task, trimmed, sum(rows) AS n
      FROM spelled
      GROUP BY ALL
    ),
    chosen AS (
      SELECT task, lower(trimmed) AS folded, first(trimmed ORDER BY n DESC, trimmed) AS merged_into
      FROM per_trimmed
      GROUP BY ALL
    )
    SELECT s.source_file,
      s.task,
      s.field,
      s.spelling,
      c.merged_into,
      s.rows::INTEGER AS rows,
      CASE WHEN s.trimmed = c.merged_into THEN 'whitespace' ELSE 'case' END AS reason
    FROM spelled s
    JOIN chosen c ON c.task = s.task AND c.folded = lower(s.trimmed)
    WHERE s.spelling <> c.merged_into`);
  const merged = await db.query<SpellingRow>(`SELECT *
    FROM spellings
    ORDER BY source_file, task, field, spelling`);
  for (const m of merged) {
    await db.run(
      `INSERT INTO label_spellings VALUES ($source_file, $task, $field, $column, $spelling, $merged_into, $rows, $reason)`,
      {...m, column: columnOf(m.source_file, m.field)}
    );
  }
  for (const f of fields) {
    const column = quotedIdentifier(f);
    await db.run(`INSERT INTO label_rewrites
      SELECT t.source_file,
        t.source_line,
        ${quotedString(f)},
        t.${column}
      FROM predictions t
      JOIN spellings s ON s.field = ${quotedString(f)} AND s.source_file = t.source_file AND s.task = t.task AND s.spelling = t.${column}`);
    await db.run(`UPDATE predictions AS t
      SET ${column} = s.merged_into
      FROM spellings s
      WHERE s.field = ${quotedString(f)}
        AND s.source_file = t.source_file
        AND s.task = t.task
        AND s.spelling = t.${column}`);
  }
  await db.run(`DROP TABLE spellings`);
}

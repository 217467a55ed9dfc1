// Checks that need more than one row, or the config, and run after every table is validated: an
// assignment to a variant the experiment does not define, a unit found in two variants of one
// experiment (every row of it: which arm its outcomes belong to cannot be known), an outcome of a unit
// with no valid assignment, and an outcome timestamped before its unit's assignment (unless its
// metric is the experiment's pre-period covariate). Each moves rows from the table to the quarantine
// with the field and the reason, so rows in = accepted + quarantined still holds per file. On the way
// they leave every unit one distinct unit_key, and write on each accepted outcome its unit's assignment
// time, which the experiments page groups by (loaders/schema/tables.ts, unitKeySql).
import type {ExperimentConfig} from "../schema/config.js";
import {assignments, outcomes} from "../schema/tables.js";
import {quotedString, type Database} from "./duckdb.js";
import {quarantineRows} from "./quarantineRows.js";

/** The pre-period covariates of an experiment: outcome metrics measured before assignment on purpose. */
export function covariateMetrics(e: ExperimentConfig): string[] {
  return [e.primary, ...e.guardrails].flatMap((m) => (m.covariate ? [m.covariate] : []));
}

/** The count of rows both tables hold: the checks below are skipped when it is 0. */
type RowsRow = {rows: number};
/** The count of distinct (experiment, variant) pairs of assignments the config does not define. */
type UnknownRow = {unknown: number};
/** Assignment rows beyond the first of each unit key (a hash): units possibly in two variants. */
type RepeatsRow = {repeats: number};

/** The columns that name an assignment's unit: one row each once the checks below are done. */
export const assignmentUnit = ["experiment", "unit_id"] as const;

/**
 * `unitsDistinct`: the duplicate check found the assignments distinct on assignmentUnit already
 * (quarantineDuplicates' `within`), so no unit can be in two variants and that check's count is skipped.
 */
export async function checkExperiments(
  db: Database,
  experiments: readonly ExperimentConfig[],
  {unitsDistinct = false}: {unitsDistinct?: boolean} = {}
): Promise<void> {
  const variants = experiments.flatMap((e) =>
    Object.keys(e.variants).map((v) => `(${quotedString(e.name)}, ${quotedString(v)})`)
  );
  const covariates = experiments.flatMap((e) =>
    covariateMetrics(e).map((m) => `(${quotedString(e.name)}, ${quotedString(m)})`)
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE experiment_variants (experiment VARCHAR, variant VARCHAR)`);
  if (variants.length) await db.run(`INSERT INTO experiment_variants VALUES ${variants.join(", ")}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE experiment_covariates (experiment VARCHAR, metric VARCHAR)`);
  if (covariates.length) await db.run(`INSERT INTO experiment_covariates VALUES ${covariates.join(", ")}`);
  // Every check below reads assignments or outcomes; planning them costs about 0.2 s when both are empty.
  const [{rows}] = await db.query<RowsRow>(
    `SELECT ((SELECT count(*) FROM assignments) + (SELECT count(*) FROM outcomes))::INTEGER AS rows`
  );
  if (rows === 0) return;

  const known = `(SELECT DISTINCT experiment FROM experiment_variants)`;
  const notDefined = (table: string) =>
    `'experiment "' || ${table}.experiment || '" is not defined in the config''s experiments; '
      || 'add it to workbench.config.json (docs/config.md)'`;
  // One anti-join finds both an undefined experiment and an unknown variant of a defined one. It reads
  // every assignment row, so it runs only when one of the few distinct pairs is not configured (at
  // 1M rows the pairs cost about a third of the anti-join).
  const [{unknown}] = await db.query<UnknownRow>(
    `SELECT count(*)::INTEGER AS unknown
    FROM (
      SELECT DISTINCT experiment, variant
      FROM assignments
    ) a
    WHERE NOT EXISTS (
      SELECT 1
      FROM experiment_variants v
      WHERE v.experiment = a.experiment
        AND v.variant = a.variant
    )`
  );
  if (unknown > 0)
    await quarantineRows(
      db,
      assignments,
      `SELECT a.*,
      CASE WHEN e.names IS NULL THEN 'experiment' ELSE 'variant' END AS "#field",
      CASE
        WHEN e.names IS NULL THEN ${notDefined("a")}
        ELSE 'unknown variant "' || a.variant || '" for experiment "' || a.experiment || '"; expected one of '
          || e.names
      END AS "#reason"
    FROM assignments a
    LEFT JOIN (
      SELECT experiment, string_agg(variant, ', ' ORDER BY variant) AS names
      FROM experiment_variants
      GROUP BY experiment
    ) e USING (experiment)
    WHERE NOT EXISTS (
      SELECT 1
      FROM experiment_variants v
      WHERE v.experiment = a.experiment
        AND v.variant = a.variant
    )`
    );
  // Units in two variants are found by min ≠ max first; only they pay for the list of where each was seen.
  // Exact repeats are quarantined by then (the variant is in the key), so a unit is in two variants
  // exactly when its (experiment, unit) pair repeats: counting distinct unit keys (the pair's hash,
  // written as the rows were read) is far cheaper than grouping the text (at 1M rows about 0.15 s of
  // CPU against 0.35 s), and a collision only runs the exact check.
  // The unknown-variant check above only takes rows out, so units distinct before it still are.
  const repeats = unitsDistinct ? 0 : await unitKeyRepeats(db);
  let renumbered = false;
  if (repeats > 0) {
    await quarantineRows(
      db,
      assignments,
      `WITH split AS (
      SELECT experiment, unit_id
      FROM assignments
      GROUP BY ALL
      HAVING min(variant) <> max(variant)
    ),
    rows AS (
      SELECT a.*
      FROM assignments a
      SEMI JOIN split s ON a.experiment = s.experiment AND a.unit_id = s.unit_id
    ),
    seen AS (
      SELECT experiment,
        unit_id,
        count(DISTINCT variant) AS n,
        string_agg(variant || ' at ' || source_file || ':' || source_line, ', ' ORDER BY source_file, source_line)
          AS places
      FROM rows
      GROUP BY ALL
    )
    SELECT r.*,
      'variant' AS "#field",
      'unit "' || r.unit_id || '" is in ' || s.n || ' variants of experiment "' || r.experiment || '" ('
        || s.places || '); all its rows are set aside' AS "#reason"
    FROM rows r
    JOIN seen s USING (experiment, unit_id)`
    );
    // A key that still repeats belongs to two units whose hashes collide (about once in 10^6
    // warehouses of 4M units): every unit is numbered instead, in an order the rows decide.
    renumbered = (await unitKeyRepeats(db)) > 0;
    if (renumbered) await renumberUnitKeys(db);
  }
  // After the checks above a unit has one assignment row per experiment, so one join gives every
  // outcome its assignment: it writes the assignment time on the outcome (the page groups a unit's
  // outcomes by their key and needs no join of its own), and leaves it missing where there is none.
  // The outcome's key is its assignment's already (the same hash), so the join is on that one integer,
  // and the text is compared on the matched pairs only: hashing the experiment and unit id again for a
  // join on the text cost 4.6-5.0 s of CPU at 6M outcomes against 1.7-1.9 s. An outcome whose key is
  // another unit's (hashes colliding) gets no time, as its own unit has no assignment: had it one, that
  // assignment would share the key with the other and the units would have been renumbered. Renumbered,
  // the keys differ between the tables, so the join is on the text and writes the new key too.
  await db.run(
    renumbered
      ? `UPDATE outcomes o
    SET unit_assigned_at = a.assigned_at, unit_key = a.unit_key
    FROM assignments a
    WHERE a.experiment = o.experiment
      AND a.unit_id = o.unit_id`
      : `UPDATE outcomes o
    SET unit_assigned_at = CASE WHEN a.experiment = o.experiment AND a.unit_id = o.unit_id THEN a.assigned_at END
    FROM assignments a
    WHERE a.unit_key = o.unit_key`
  );
  const utc = (v: string) => `strftime(${v} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;
  await quarantineRows(
    db,
    outcomes,
    `SELECT o.* EXCLUDE (covariate, defined),
      CASE WHEN NOT defined THEN 'experiment' WHEN unit_assigned_at IS NULL THEN 'unit_id' ELSE 'at' END AS "#field",
      CASE
        WHEN NOT defined THEN ${notDefined("o")}
        WHEN unit_assigned_at IS NULL
          THEN 'unit "' || o.unit_id || '" has no valid assignment in experiment "' || o.experiment || '"'
        ELSE 'outcome at ' || ${utc("o.at")} || ' is before the unit''s assignment at ' || ${utc("unit_assigned_at")}
          || '; only a pre-period covariate may be'
      END AS "#reason"
    FROM (
      SELECT o.*,
        c.metric IS NOT NULL AS covariate,
        o.experiment IN ${known} AS defined
      FROM outcomes o
      LEFT JOIN experiment_covariates c ON c.experiment = o.experiment AND c.metric = o.metric
    ) o
    WHERE NOT defined
      OR unit_assigned_at IS NULL
      OR (o.at < unit_assigned_at AND NOT covariate)`
  );
}

/** Assignment rows beyond the first of each unit key. */
async function unitKeyRepeats(db: Database): Promise<number> {
  const [{repeats}] = await db.query<RepeatsRow>(
    `SELECT (count(*) - count(DISTINCT unit_key))::INTEGER AS repeats
    FROM assignments`
  );
  return repeats;
}

/**
 * Numbers the units 1, 2, … in the order of their experiment and unit id: distinct keys, and the same
 * ones in a cold build as in an incremental one. For the rare warehouse where two units' hashes collide.
 */
export async function renumberUnitKeys(db: Database): Promise<void> {
  await db.run(`UPDATE assignments a
    SET unit_key = n.unit_key
    FROM (
      SELECT experiment,
        unit_id,
        row_number() OVER (ORDER BY experiment, unit_id)::UBIGINT AS unit_key
      FROM assignments
    ) n
    WHERE a.experiment = n.experiment
      AND a.unit_id = n.unit_id`);
}

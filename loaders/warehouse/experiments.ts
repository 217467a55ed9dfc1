// Checks that need more than one row, or the config, and run after every table is validated: an
// assignment to a variant the experiment does not define, a unit found in two variants of one
// experiment (every row of it: which arm its outcomes belong to cannot be known), an outcome of a unit
// with no valid assignment, and an outcome timestamped before its unit's assignment (unless its
// metric is the experiment's pre-period covariate). Each moves rows from the table to the quarantine
// with the field and the reason, so rows in = accepted + quarantined still holds per file.
import type {ExperimentConfig} from "../schema/config.js";
import {assignments, outcomes} from "../schema/tables.js";
import type {TableSpec} from "../schema/fields.js";
import {ident, literal, type Database} from "./duckdb.js";
import {truncateSql} from "./redact.js";

/** The pre-period covariates of an experiment: outcome metrics measured before assignment on purpose. */
export function covariateMetrics(e: ExperimentConfig): string[] {
  return [e.primary, ...e.guardrails].flatMap((m) => (m.covariate ? [m.covariate] : []));
}

export async function checkExperiments(db: Database, experiments: readonly ExperimentConfig[]): Promise<void> {
  const variants = experiments.flatMap((e) => Object.keys(e.variants).map((v) => `(${literal(e.name)}, ${literal(v)})`));
  const covariates = experiments.flatMap((e) => covariateMetrics(e).map((m) => `(${literal(e.name)}, ${literal(m)})`));
  await db.run(`CREATE OR REPLACE TEMP TABLE experiment_variants (experiment VARCHAR, variant VARCHAR)`);
  if (variants.length) await db.run(`INSERT INTO experiment_variants VALUES ${variants.join(", ")}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE experiment_covariates (experiment VARCHAR, metric VARCHAR)`);
  if (covariates.length) await db.run(`INSERT INTO experiment_covariates VALUES ${covariates.join(", ")}`);

  const known = `(SELECT DISTINCT experiment FROM experiment_variants)`;
  const expected = `(SELECT experiment, string_agg(variant, ', ' ORDER BY variant) AS names FROM experiment_variants GROUP BY experiment)`;
  await quarantineRows(db, assignments, `SELECT a.*, 'experiment' AS field,
      'experiment "' || a.experiment || '" is not defined in the config''s experiments; add it to workbench.config.json (docs/config.md)' AS reason
    FROM assignments a WHERE a.experiment NOT IN ${known}`);
  await quarantineRows(db, assignments, `SELECT a.*, 'variant' AS field,
      'unknown variant "' || a.variant || '" for experiment "' || a.experiment || '"; expected one of ' || e.names AS reason
    FROM assignments a JOIN ${expected} e USING (experiment)
    WHERE (a.experiment, a.variant) NOT IN (SELECT (experiment, variant) FROM experiment_variants)`);
  await quarantineRows(db, assignments, `SELECT a.*, 'variant' AS field,
      'unit "' || a.unit_id || '" is in ' || s.n || ' variants of experiment "' || a.experiment || '" (' || s.seen || '); all its rows are set aside' AS reason
    FROM assignments a JOIN (
      SELECT experiment, unit_id, count(DISTINCT variant) AS n,
        string_agg(variant || ' at ' || source_file || ':' || source_line, ', ' ORDER BY source_file, source_line) AS seen
      FROM assignments GROUP BY ALL HAVING count(DISTINCT variant) > 1) s USING (experiment, unit_id)`);

  await quarantineRows(db, outcomes, `SELECT o.*, 'experiment' AS field,
      'experiment "' || o.experiment || '" is not defined in the config''s experiments; add it to workbench.config.json (docs/config.md)' AS reason
    FROM outcomes o WHERE o.experiment NOT IN ${known}`);
  await quarantineRows(db, outcomes, `SELECT o.*, 'unit_id' AS field,
      'unit "' || o.unit_id || '" has no valid assignment in experiment "' || o.experiment || '"' AS reason
    FROM outcomes o WHERE (o.experiment, o.unit_id) NOT IN (SELECT (experiment, unit_id) FROM assignments)`);
  await quarantineRows(db, outcomes, `SELECT o.*, 'at' AS field,
      'outcome at ' || strftime(o.at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') || ' is before the unit''s assignment at '
        || strftime(a.assigned_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') || '; only a pre-period covariate may be' AS reason
    FROM outcomes o JOIN (SELECT experiment, unit_id, min(assigned_at) AS assigned_at FROM assignments GROUP BY ALL) a USING (experiment, unit_id)
    WHERE o.at < a.assigned_at AND (o.experiment, o.metric) NOT IN (SELECT (experiment, metric) FROM experiment_covariates)`);
}

/** Moves the rows `select` yields (a table's columns plus field and reason) to the quarantine. */
async function quarantineRows(db: Database, spec: TableSpec, select: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE rejected AS ${select}`);
  const row = `json_object(${spec.fields.flatMap((f) => [literal(f.name), ident(f.name)]).join(", ")})::VARCHAR`;
  await db.run(`INSERT INTO quarantine
    SELECT source_file, source_line, ${literal(spec.name)}, field, reason, ${truncateSql(row, 200)} FROM rejected ORDER BY source_file, source_line`);
  await db.run(`DELETE FROM ${spec.name} t USING rejected r WHERE t.source_file = r.source_file AND t.source_line = r.source_line`);
  await db.run(`DROP TABLE rejected`);
}

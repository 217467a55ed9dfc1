// Builds the canonical tables of one workspace: recognize each file, stage its records (or accept a
// clean file's rows directly, checked by the same SQL), validate every table once (so duplicates
// are found across files), compute missing costs, and record for every file how many rows came in,
// were accepted and were quarantined.
import {adapters, adapterNamed} from "../adapters/index.js";
import {sourceColumn} from "../adapters/nativeTable.js";
import {PartitionSkipped} from "../adapters/parquet.js";
import type {Adapter} from "../adapters/adapter.js";
import {timeBounds, type WorkbenchConfig} from "../schema/config.js";
import {canonicalTables} from "../schema/tables.js";
import {listWorkspace, type WorkspaceFile} from "../workspace/files.js";
import {quotedIdentifier, quotedString, type Database} from "./duckdb.js";
import {registerEditDistance} from "./editDistanceFunction.js";
import {redactSecrets, registerRedaction} from "./redact.js";
import {mergeLabelSpellings} from "./labelSpellings.js";
import {applyPrices} from "./prices.js";
import {stageProgress} from "./progress.js";
import {checkExperiments} from "./experiments.js";
import {buildRequests} from "./requests.js";
import {
  createCanonicalTableSql,
  createQuarantineSql,
  createStagingTable,
  stageTable,
  validateStaged,
  type TextPolicy
} from "./validate.js";

export interface FileOutcome {
  file: string;
  format: string | null;
  /** refused: a symlink leaving the workspace or looping; unreadable: not a regular file, or not readable. */
  /** skipped: a dataset partition dated outside the time bounds, not read (loaders/adapters/parquet.ts). */
  status: "ingested" | "empty" | "unrecognized" | "failed" | "refused" | "unreadable" | "skipped";
  message: string | null;
  staged: Record<string, number>;
  /** Table → canonical field → the file's column, where the adapter named one (see StageContext.columns). */
  columns: Record<string, Record<string, string>>;
}

/**
 * The config keys ingest reads, and the only ones the warehouse fingerprint covers: a change to any
 * other key (gates, budgets, classifier costs, the product's name) recomputes the pages that read it
 * (loaders/pages/computePages.ts) without a re-ingest. The type keeps ingest from reading another key.
 */
export const ingestConfigKeys = ["sources", "prices", "checks", "experiments", "privacy"] as const;
export type IngestConfig = Pick<WorkbenchConfig, (typeof ingestConfigKeys)[number]>;

export function ingestConfigOf(config: WorkbenchConfig): IngestConfig {
  return Object.fromEntries(ingestConfigKeys.map((key) => [key, config[key]])) as IngestConfig;
}

export async function ingestWorkspace(db: Database, root: string, config: IngestConfig): Promise<FileOutcome[]> {
  registerEditDistance(db);
  registerRedaction(db);
  for (const spec of canonicalTables) {
    await db.run(createCanonicalTableSql(spec));
    await createStagingTable(db, spec);
  }
  await db.run(createQuarantineSql);
  const text = {
    redact: config.privacy.redact_free_text,
    excerptChars: config.privacy.excerpt_chars,
    timeBounds: timeBounds(config.checks)
  };
  const outcomes: FileOutcome[] = [];
  const listing = await listWorkspace(root, config.sources);
  const progress = stageProgress("ingest");
  for (const [i, file] of listing.files.entries()) {
    const started = performance.now();
    const outcome = await stageFile(db, file, text);
    outcomes.push(outcome);
    const rows = Object.values(outcome.staged).reduce((n, r) => n + r, 0);
    progress.step(i + 1, listing.files.length, file.name, rows, (performance.now() - started) / 1000);
  }
  progress.end();
  for (const path of listing.skipped)
    outcomes.push({file: path.name, format: null, status: path.status, message: path.reason, staged: {}, columns: {}});
  outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const spec of canonicalTables) await validateStaged(db, spec, text);
  // The column a finding names: the adapter's, else the config's rename, else the field's own name.
  const outcomeOf = new Map(outcomes.map((o) => [o.file, o]));
  const sourceColumns = new Map(
    listing.files.map((f) => [
      f.name,
      (field: string) => outcomeOf.get(f.name)?.columns.predictions?.[field] ?? sourceColumn(field, f.source)
    ])
  );
  await mergeLabelSpellings(db, (file, field) => sourceColumns.get(file)?.(field) ?? field);
  await checkExperiments(db, config.experiments);
  await applyPrices(db, config.prices);
  await buildRequests(db);
  await recordOutcomes(db, outcomes);
  return outcomes;
}

function pickAdapter(file: WorkspaceFile): Adapter | undefined {
  if (file.source?.format) return adapterNamed(file.source.format);
  return adapters.find((a) => a.detect(file));
}

async function stageFile(db: Database, file: WorkspaceFile, text: TextPolicy): Promise<FileOutcome> {
  const staged: Record<string, number> = {};
  const columns: FileOutcome["columns"] = {};
  const outcome = (status: FileOutcome["status"], format: string | null, message: string | null): FileOutcome => ({
    file: file.name,
    format,
    status,
    message,
    staged,
    columns
  });
  if (file.head.trim() === "") return outcome("empty", null, "the file is empty");
  let adapter: Adapter | undefined;
  try {
    adapter = pickAdapter(file);
  } catch (error) {
    // Recognizing reads only the head; a head that breaks a format's test is that file's problem, not the build's.
    const message = `could not be recognized: ${error instanceof Error ? error.message : String(error)}`;
    await db.run(`INSERT INTO quarantine VALUES ($file, NULL, NULL, NULL, $reason, NULL)`, {
      file: file.name,
      reason: message
    });
    return outcome("failed", null, message);
  }
  if (!adapter) {
    const known = adapters.map((a) => `${a.name} (${a.description})`).join("; ");
    return outcome(
      "unrecognized",
      null,
      `not a format the workbench reads; expected one of: ${known}. Map it with a "sources" entry in workbench.config.json.`
    );
  }
  try {
    await adapter.stage(
      {
        db,
        text,
        staged: (table, n) => (staged[table] = (staged[table] ?? 0) + n),
        columns: (table, map) => (columns[table] = map)
      },
      file
    );
    return outcome("ingested", adapter.name, null);
  } catch (error) {
    if (error instanceof PartitionSkipped) return outcome("skipped", adapter.name, error.message);
    // A file that cannot be read whole is reported as one quarantined row, and none of its rows are kept:
    // a half-read file would give numbers that look complete but are not.
    for (const spec of canonicalTables) {
      await db.run(`DELETE FROM ${stageTable(spec)} WHERE source_file = $file`, {file: file.name});
      await db.run(`DELETE FROM ${spec.name} WHERE source_file = $file`, {file: file.name});
    }
    for (const table in staged) delete staged[table];
    // A parser's message may quote the file's content; it reaches the Data quality page and the log.
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    await db.run(`INSERT INTO quarantine VALUES ($file, NULL, NULL, NULL, $reason, NULL)`, {
      file: file.name,
      reason: `${adapter.name}: ${message}`
    });
    return outcome("failed", adapter.name, message);
  }
}

async function recordOutcomes(db: Database, outcomes: FileOutcome[]): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE source_files (file VARCHAR, format VARCHAR, status VARCHAR, message VARCHAR, table_name VARCHAR, rows_in INTEGER)`
  );
  for (const o of outcomes) {
    const tables = Object.entries(o.staged);
    // A file that failed whole counts as one row in and one quarantined, so the books still balance.
    const rows = tables.length ? tables : [[null, o.status === "failed" ? 1 : 0] as const];
    for (const [table, n] of rows) {
      await db.run(`INSERT INTO source_files VALUES ($file, $format, $status, $message, $table, $n)`, {
        file: o.file,
        format: o.format,
        status: o.status,
        message: o.message,
        table,
        n
      });
    }
  }
  const perTable = canonicalTables.map((t) => {
    const time = t.timeField
      ? `min(${quotedIdentifier(t.timeField)}) AS first_at, max(${quotedIdentifier(t.timeField)}) AS last_at`
      : "NULL AS first_at, NULL AS last_at";
    return `SELECT ${quotedString(t.name)} AS table_name, source_file, count(*) AS accepted, ${time} FROM ${t.name} GROUP BY source_file`;
  });
  await db.run(`CREATE OR REPLACE TABLE sources AS
    WITH accepted AS (${perTable.join(" UNION ALL ")}),
    quarantined AS (SELECT source_file, table_name, count(*) AS quarantined FROM quarantine GROUP BY ALL)
    SELECT f.file, f.format, f.status, f.message, f.table_name, f.rows_in,
      coalesce(a.accepted, 0)::INTEGER AS rows_accepted,
      coalesce(q.quarantined, 0)::INTEGER AS rows_quarantined,
      a.first_at, a.last_at
    FROM source_files f
    LEFT JOIN accepted a ON a.source_file = f.file AND a.table_name = f.table_name
    LEFT JOIN quarantined q ON q.source_file = f.file AND (q.table_name = f.table_name OR (q.table_name IS NULL AND f.table_name IS NULL))
    ORDER BY f.file, f.table_name`);
}

// Builds the canonical tables of one workspace: recognize each file, stage its records (or accept a
// clean file's rows directly, checked by the same SQL), validate every table once (so duplicates
// are found across files), compute missing costs, and record for every file how many rows came in,
// were accepted and were quarantined.
import {adapters, adapterNamed} from "../adapters/index.js";
import type {Adapter} from "../adapters/adapter.js";
import type {WorkbenchConfig} from "../schema/config.js";
import {canonicalTables} from "../schema/tables.js";
import {listWorkspaceFiles, type WorkspaceFile} from "../workspace/files.js";
import {ident, literal, type Database} from "./duckdb.js";
import {registerEditDistance} from "./editDistanceFunction.js";
import {applyPrices} from "./prices.js";
import {checkExperiments} from "./experiments.js";
import {buildRequests} from "./requests.js";
import {createCanonicalTableSql, createQuarantineSql, createStagingTable, stageTable, validateStaged, type TextPolicy} from "./validate.js";

export interface FileOutcome {
  file: string;
  format: string | null;
  status: "ingested" | "empty" | "unrecognized" | "failed";
  message: string | null;
  staged: Record<string, number>;
}

export async function ingestWorkspace(db: Database, root: string, config: WorkbenchConfig): Promise<FileOutcome[]> {
  registerEditDistance(db);
  for (const spec of canonicalTables) {
    await db.run(createCanonicalTableSql(spec));
    await createStagingTable(db, spec);
  }
  await db.run(createQuarantineSql);
  const text = {redact: config.privacy.redact_free_text, excerptChars: config.privacy.excerpt_chars};
  const outcomes: FileOutcome[] = [];
  for (const file of await listWorkspaceFiles(root, config.sources)) outcomes.push(await stageFile(db, file, text));
  for (const spec of canonicalTables) await validateStaged(db, spec, text);
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
  const outcome = (status: FileOutcome["status"], format: string | null, message: string | null): FileOutcome => ({file: file.name, format, status, message, staged});
  if (file.head.trim() === "") return outcome("empty", null, "the file is empty");
  const adapter = pickAdapter(file);
  if (!adapter) {
    const known = adapters.map((a) => `${a.name} (${a.description})`).join("; ");
    return outcome("unrecognized", null, `not a format the workbench reads; expected one of: ${known}. Map it with a "sources" entry in workbench.config.json.`);
  }
  try {
    await adapter.stage({db, text, staged: (table, n) => (staged[table] = (staged[table] ?? 0) + n)}, file);
    return outcome("ingested", adapter.name, null);
  } catch (error) {
    // A file that cannot be read whole is reported as one quarantined row, and none of its rows are kept:
    // a half-read file would give numbers that look complete but are not.
    for (const spec of canonicalTables) {
      await db.run(`DELETE FROM ${stageTable(spec)} WHERE source_file = $file`, {file: file.name});
      await db.run(`DELETE FROM ${spec.name} WHERE source_file = $file`, {file: file.name});
    }
    for (const table in staged) delete staged[table];
    const message = error instanceof Error ? error.message : String(error);
    await db.run(`INSERT INTO quarantine VALUES ($file, NULL, NULL, NULL, $reason, NULL)`, {file: file.name, reason: `${adapter.name}: ${message}`});
    return outcome("failed", adapter.name, message);
  }
}

async function recordOutcomes(db: Database, outcomes: FileOutcome[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE source_files (file VARCHAR, format VARCHAR, status VARCHAR, message VARCHAR, table_name VARCHAR, rows_in INTEGER)`);
  for (const o of outcomes) {
    const tables = Object.entries(o.staged);
    // A file that failed whole counts as one row in and one quarantined, so the books still balance.
    const rows = tables.length ? tables : [[null, o.status === "failed" ? 1 : 0] as const];
    for (const [table, n] of rows) {
      await db.run(`INSERT INTO source_files VALUES ($file, $format, $status, $message, $table, $n)`, {
        file: o.file, format: o.format, status: o.status, message: o.message, table, n,
      });
    }
  }
  const perTable = canonicalTables.map((t) => {
    const time = t.timeField ? `min(${ident(t.timeField)}) AS first_at, max(${ident(t.timeField)}) AS last_at` : "NULL AS first_at, NULL AS last_at";
    return `SELECT ${literal(t.name)} AS table_name, source_file, count(*) AS accepted, ${time} FROM ${t.name} GROUP BY source_file`;
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

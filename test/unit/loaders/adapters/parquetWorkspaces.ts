// Workspaces of Hive-partitioned Parquet for parquet.test.ts and test/integration/parquetSample.test.ts.
import {copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll} from "vitest";
import {configSchema} from "../../../../loaders/schema/config.js";
import {quotedString, openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../../../loaders/warehouse/ingest.js";
import {projectRoot, type Workspace} from "../../../../loaders/workspace/config.js";

export const sample = join(projectRoot, "data", "sample");
const sampleConfig = JSON.parse(readFileSync(join(sample, "workbench.config.json"), "utf8"));
const {sources: _sources, ...config} = sampleConfig;

/** A maker of temporary folders, removed after the calling file's tests (call it at the top of a test file). */
export function tempFolders(): (prefix: string) => string {
  const folders: string[] = [];
  afterAll(() => folders.forEach((dir) => rmSync(dir, {recursive: true, force: true})));
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
}

/** The sample's spans and eval results as JSONL, and the same rows as DuckDB writes them to Hive-partitioned Parquet. */
export async function workspaces(temp: (prefix: string) => string): Promise<{jsonl: string; parquet: string}> {
  const jsonl = temp("workbench-jsonl-");
  const parquet = temp("workbench-parquet-");
  const db = await openDatabase();
  try {
    for (const [table, time] of [
      ["spans", "start_time"],
      ["eval_results", "started_at"]
    ]) {
      copyFileSync(join(sample, `${table}.jsonl`), join(jsonl, `${table}.jsonl`));
      // Typed columns (DuckDB infers TIMESTAMP, BIGINT, DOUBLE, BOOLEAN), as an engine's export has them.
      await db.run(`COPY (SELECT *, strftime(${time}::TIMESTAMPTZ, '%Y-%m-%d') AS date FROM read_json(${quotedString(join(sample, `${table}.jsonl`))}))
        TO ${quotedString(join(parquet, table))} (FORMAT parquet, PARTITION_BY (date))`);
    }
  } finally {
    db.close();
  }
  for (const dir of [jsonl, parquet]) writeFileSync(join(dir, "workbench.config.json"), JSON.stringify(config));
  return {jsonl, parquet};
}

/** The workspace at root ingested in memory with the sample's config (less its sources), `over` on top. */
export async function ingested(
  root: string,
  over: Record<string, unknown> = {}
): Promise<{db: Database; workspace: Workspace}> {
  const parsed = configSchema.parse({...config, ...over});
  const db = await openDatabase();
  await ingestWorkspace(db, root, parsed);
  return {db, workspace: {root, config: parsed, configFiles: []}};
}

export const partitionFiles = (root: string) =>
  (readdirSync(root, {recursive: true}) as string[]).filter((f) => f.endsWith(".parquet")).sort();

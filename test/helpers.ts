// Shared by the unit tests: write a tiny workspace to a temp folder and ingest it in memory.
import {mkdtempSync, writeFileSync, mkdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {configSchema} from "../loaders/schema/config.js";
import {openDatabase, type Database} from "../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../loaders/warehouse/ingest.js";

export function tempWorkspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "workbench-test-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), {recursive: true});
    writeFileSync(join(root, name), content);
  }
  return root;
}

export async function ingest(files: Record<string, string | Buffer>, config: unknown = {}): Promise<Database> {
  const db = await openDatabase();
  await ingestWorkspace(db, tempWorkspace(files), configSchema.parse(config));
  return db;
}

export const jsonl = (...rows: unknown[]) =>
  rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

export const evalRow = (over: Record<string, unknown> = {}) => ({
  run_id: "r1",
  case_id: "c1",
  suite: "golden",
  started_at: "2026-11-01T09:00:00Z",
  model: "gpt-4.1",
  passed: true,
  ...over
});

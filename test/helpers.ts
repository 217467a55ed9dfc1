// Shared by the unit tests: write a tiny workspace to a temp folder and ingest it in memory.
import {mkdtempSync, writeFileSync, mkdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {configSchema} from "../loaders/schema/config.js";
import {openDatabase, type Database} from "../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../loaders/warehouse/ingest.js";
import {afterAll} from "vitest";

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

/**
 * One warehouse for every test of a file that reads the same unchanged workspace, ingested at first
 * use and closed after the file: ingest is most of a query test's time. Only for tests that read
 * (the page queries replace their own TEMP tables), never for tests that write to the database.
 */
export function sharedIngest(
  files: () => Record<string, string | Buffer>,
  config: unknown = {}
): () => Promise<Database> {
  let opened: Promise<Database> | undefined;
  afterAll(async () => (await opened)?.close());
  return () => (opened ??= ingest(files(), config));
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

/**
 * A two-arm experiment as workbench.config.json holds it: control and treatment at 50/50, a binary
 * primary metric (with its covariate, for CUPED, when given), run over the window from `start` to `end`.
 * The name, the metric and the minimum effect default to the smart-reply test of task completion.
 */
export const binaryExperiment = ({
  start,
  end,
  name = "smart-reply",
  metric = "task_completed",
  covariate,
  minimumEffect = 0.02
}: {
  start: string;
  end: string;
  name?: string;
  metric?: string;
  covariate?: string;
  minimumEffect?: number;
}) => ({
  name,
  variants: {control: 50, treatment: 50},
  control: "control",
  primary: {name: metric, kind: "binary", ...(covariate === undefined ? {} : {covariate})},
  start,
  end,
  minimum_effect: minimumEffect
});

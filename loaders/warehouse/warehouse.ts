// One DuckDB database per workspace, rebuilt only when its fingerprint changes. It is written to a
// temporary file and renamed into place, so a reader never opens a half-built warehouse.
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {createHash} from "node:crypto";
import {join} from "node:path";
import {projectRoot, resolveWorkspace, type Workspace} from "../workspace/config.js";
import {openDatabase, type Database} from "./duckdb.js";
import {fingerprintWorkspace} from "./fingerprint.js";
import {ingestWorkspace, type FileOutcome} from "./ingest.js";

export interface Warehouse {
  path: string;
  fingerprint: string;
  workspace: Workspace;
  rebuilt: boolean;
  outcomes?: FileOutcome[];
}

export function warehousePath(workspace: Workspace): string {
  const id = createHash("sha256").update(workspace.root).digest("hex").slice(0, 12);
  return join(projectRoot, ".workbench", `warehouse-${id}.duckdb`);
}

export async function ensureWarehouse({env = process.env, force = false} = {}): Promise<Warehouse> {
  const workspace = resolveWorkspace(env);
  const path = warehousePath(workspace);
  const fingerprint = await fingerprintWorkspace(workspace);
  const stamp = `${path}.fingerprint`;
  if (!force && existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) {
    return {path, fingerprint, workspace, rebuilt: false};
  }
  mkdirSync(join(projectRoot, ".workbench"), {recursive: true});
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, {force: true});
  const db = await openDatabase(temp);
  let outcomes: FileOutcome[];
  try {
    outcomes = await ingestWorkspace(db, workspace.root, workspace.config);
    await db.run("CHECKPOINT");
  } finally {
    db.close();
  }
  renameSync(temp, path);
  rmSync(`${temp}.wal`, {force: true});
  writeFileSync(stamp, fingerprint);
  return {path, fingerprint, workspace, rebuilt: true, outcomes};
}

/** What a data loader calls: the current warehouse of the selected workspace, opened read-only. */
export async function openWarehouse(): Promise<Database & {workspace: Workspace}> {
  const warehouse = await ensureWarehouse();
  const db = await openDatabase(warehouse.path, {readOnly: true});
  return Object.assign(db, {workspace: warehouse.workspace});
}

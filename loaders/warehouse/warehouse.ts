// One DuckDB database per workspace, updated only when its fingerprint changes. Built from empty (when
// the code or the ingest config changed) it is written to a temporary file and renamed into place;
// brought up to date with changed files or prices it is changed in one transaction. Either way a
// reader never opens a half-built warehouse.
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {createHash} from "node:crypto";
import {basename, dirname, join} from "node:path";
import {projectRoot, resolveWorkspace, type Workspace} from "../workspace/config.js";
import {openDatabase, processAlive, type Database} from "./duckdb.js";
import {workspaceState, type WorkspaceState} from "./fingerprint.js";
import {profiled} from "./progress.js";
import {ingestChanges, ingestConfigOf, ingestWorkspace, type FileOutcome, type IngestReport} from "./ingest.js";

export interface Warehouse {
  path: string;
  fingerprint: string;
  /** The fingerprint of all it is built from but the prices (WorkspaceState). */
  fingerprintBesidesPrices: string;
  workspace: Workspace;
  rebuilt: boolean;
  outcomes?: FileOutcome[];
  /** Set when the warehouse was brought up to date in place: what was read, and why. */
  changes?: IngestReport;
}

export function warehousePath(workspace: Workspace): string {
  const id = createHash("sha256").update(workspace.root).digest("hex").slice(0, 12);
  return join(projectRoot, ".workbench", `warehouse-${id}.duckdb`);
}

/** Where the pages computed from this warehouse record what each was computed from (loaders/pages/computePages.ts). */
export const pagesStateFile = (path: string): string => path.replace(/\.duckdb$/, "") + "-pages.json";

/** Where the build remembers the warehouse's count of accepted rows and problems, by fingerprint (scripts/pipeline.ts). */
export const sourcesSummaryFile = (path: string): string => `${path}.sources.json`;

/** Where the workspace files' hashes are remembered by their stat (fingerprint.ts). */
export const hashCacheFile = (path: string): string => `${path}.hashes.json`;

/** Every file a warehouse owns: the database, its fingerprint stamp, its write-ahead log, its pages' record, its files' hashes and its summary. */
export const warehouseFiles = (path: string): string[] => [
  path,
  `${path}.fingerprint`,
  `${path}.wal`,
  pagesStateFile(path),
  hashCacheFile(path),
  sourcesSummaryFile(path)
];

export async function ensureWarehouse({env = process.env, force = false} = {}): Promise<Warehouse> {
  const workspace = resolveWorkspace(env);
  const path = warehousePath(workspace);
  writable(dirname(path), () => mkdirSync(dirname(path), {recursive: true}));
  const state = await workspaceState(workspace, hashCacheFile(path));
  const {fingerprint, fingerprintBesidesPrices} = state;
  const stamp = `${path}.fingerprint`;
  if (!force && existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) {
    return {path, fingerprint, fingerprintBesidesPrices, workspace, rebuilt: false};
  }
  const folder = dirname(path);
  writable(folder, () => mkdirSync(folder, {recursive: true}));
  removeOrphans(path);
  const changes = force || !existsSync(path) ? undefined : await ingestInPlace(path, workspace, state);
  if (changes) {
    writable(stamp, () => writeFileSync(stamp, fingerprint));
    return {path, fingerprint, fingerprintBesidesPrices, workspace, rebuilt: true, outcomes: changes.outcomes, changes};
  }
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, {force: true});
  rmSync(`${temp}.wal`, {force: true});
  let outcomes: FileOutcome[];
  try {
    const db = await openDatabase(temp);
    try {
      outcomes = await ingestWorkspace(db, workspace.root, ingestConfigOf(workspace.config), state);
      await db.run(
        `CREATE TABLE warehouse_basis AS
        SELECT $basis AS basis`,
        {basis: state.basis}
      );
      await db.run("CHECKPOINT");
    } finally {
      db.close();
    }
  } catch (error) {
    // A failed build leaves nothing half-written behind, and a write that failed names the file.
    rmSync(temp, {force: true});
    rmSync(`${temp}.wal`, {force: true});
    throw writeError(error, temp);
  }
  writable(path, () => renameSync(temp, path));
  rmSync(`${temp}.wal`, {force: true});
  writable(stamp, () => writeFileSync(stamp, fingerprint));
  return {path, fingerprint, fingerprintBesidesPrices, workspace, rebuilt: true, outcomes};
}

/** The basis (fingerprint inputs) the warehouse file was last built from. */
type BasisRow = {basis: string};

/**
 * Brings an existing warehouse up to date in place when only files, prices or the build day changed
 * (its basis, the code and the ingest config, is the same): one transaction, so a build that fails
 * or is killed leaves the warehouse as it was. Undefined when the basis differs, a statement of the ingest failed (rolled back), or the warehouse
 * cannot be opened (a file from an older version, a damaged one): the caller builds it from empty.
 */
async function ingestInPlace(
  path: string,
  workspace: Workspace,
  state: WorkspaceState
): Promise<IngestReport | undefined> {
  let db: Database;
  try {
    db = await openDatabase(path);
  } catch {
    return undefined;
  }
  try {
    const [stored] = await db
      .query<BasisRow>(
        `SELECT basis
        FROM warehouse_basis`
      )
      .catch(() => [] as BasisRow[]);
    if (stored?.basis !== state.basis) return undefined;
    await db.run("BEGIN TRANSACTION");
    try {
      const report = await ingestChanges(db, workspace.root, ingestConfigOf(workspace.config), state);
      await profiled("commit", () => db.run("COMMIT"));
      await profiled("checkpoint", () => db.run("CHECKPOINT"));
      return report;
    } catch (error) {
      await db.run("ROLLBACK");
      const failure = writeError(error, path);
      if (failure !== error) throw failure;
      // DuckDB aborts the whole transaction on any failed statement, and the adapters' fast readers fail
      // on purpose at a malformed line before falling back to the line-by-line reader that quarantines
      // it: inside this one transaction that fallback can only fail. The warehouse is as it was
      // (rolled back), so the caller builds it from empty, where each statement stands alone and the
      // file's bad rows land in the quarantine like in any cold build.
      process.stderr.write(
        `warehouse: the changed files could not be ingested in place (${(error as Error).message?.split("\n")[0]}); building it from empty\n`
      );
      return undefined;
    }
  } finally {
    db.close();
  }
}

/** Codes of a write that failed for want of space or permission: the message then names the path. */
const writeCodes = new Set(["ENOSPC", "EACCES", "EPERM", "EROFS", "EDQUOT"]);

function writeError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (
    (code && writeCodes.has(code)) ||
    /No space left|Permission denied|Read-only file system|Could not (?:write|open|create)/i.test(message)
  ) {
    return new Error(
      `cannot write ${path}: ${message}. Free disk space or make the folder writable, then build again.`
    );
  }
  return error instanceof Error ? error : new Error(message);
}

function writable(path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw writeError(error, path);
  }
}

/**
 * A build killed mid-ingest leaves its temporary database (and WAL) behind, named with its pid. The
 * next build removes every one whose process is gone; a live one belongs to a build still running.
 */
export function removeOrphans(path: string): void {
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    const pid = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)\\.tmp(?:\\.wal)?$`).exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(dirname(path), name), {force: true});
  }
}

export {processAlive};

/** What a data loader calls: the current warehouse of the selected workspace, opened read-only. */
export async function openWarehouse(): Promise<Database & {workspace: Workspace}> {
  const warehouse = await ensureWarehouse();
  const db = await openDatabase(warehouse.path, {readOnly: true});
  return Object.assign(db, {workspace: warehouse.workspace});
}

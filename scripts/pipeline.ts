// What must happen before Framework builds or previews: hermetic npm cache, a current warehouse,
// and no loader output cached from older inputs. Shared by build.ts and dev.ts.
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {syncNotebooks} from "../loaders/explore/notebooks.js";
import {seedNpmCache} from "../loaders/hermetic/seedNpmCache.js";
import {openDatabase} from "../loaders/warehouse/duckdb.js";
import {ensureWarehouse, type Warehouse} from "../loaders/warehouse/warehouse.js";
import {projectRoot} from "../loaders/workspace/config.js";

const srcRoot = join(projectRoot, "src");
const cacheRoot = join(srcRoot, ".observablehq", "cache");

export async function prepare({strict = false} = {}): Promise<Warehouse> {
  process.env.OBSERVABLE_TELEMETRY_DISABLE = "true";
  // One build time for the whole build: its data loaders (other processes) must check timestamps
  // against the same day as the warehouse was built with, or a build across midnight would rebuild it.
  process.env.WORKBENCH_BUILD_TIME ??= new Date().toISOString();
  await seedNpmCache(srcRoot);
  const warehouse = await ensureWarehouse();
  console.error(`workspace ${warehouse.workspace.root} → ${warehouse.rebuilt ? "warehouse rebuilt" : "warehouse current"}`);
  await reportSources(warehouse, strict);
  const notebooks = syncNotebooks(warehouse.workspace.root, srcRoot);
  for (const {name, reason} of notebooks.refused) console.error(`notebooks/${name}: not published: ${reason}`);
  invalidateLoaderCache(warehouse.fingerprint);
  dropAlwaysFresh();
  return warehouse;
}

/**
 * Loader outputs that must never come from the cache: the build time, and the brief's model draft,
 * whose inputs (OPENAI_API_KEY, the server, the model) are environment the fingerprint cannot see.
 */
export const ALWAYS_FRESH = ["build-stamp.json", "brief-draft.json"];

export function dropAlwaysFresh(): void {
  for (const file of ALWAYS_FRESH) rmSync(join(cacheRoot, "data", file), {force: true});
}

/**
 * Framework reuses a loader's cached output while the loader file is older than the cache, even
 * when the data or the modules it imports changed. Every loader reads the warehouse, so when the
 * warehouse's fingerprint changes, every cached loader output is stale: drop them all.
 */
export function invalidateLoaderCache(fingerprint: string): void {
  const stamp = join(cacheRoot, ".workbench-fingerprint");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) return;
  rmSync(join(cacheRoot, "data"), {recursive: true, force: true});
  mkdirSync(cacheRoot, {recursive: true});
  writeFileSync(stamp, fingerprint);
}

/** How many problems a failed strict build prints; the full list is written to a file. */
export const STRICT_SHOWN = 50;

type Problem = {
  source_file: string;
  line: number | null;
  field: string | null;
  reason: string;
};

async function reportSources(warehouse: Warehouse, strict: boolean): Promise<void> {
  const db = await openDatabase(warehouse.path, {readOnly: true});
  try {
    const problems = await db.query<Problem>(
      `SELECT source_file, line, field, reason FROM quarantine
       UNION ALL SELECT file, NULL, NULL, status || ': ' || message FROM sources WHERE status IN ('unrecognized', 'failed', 'refused', 'unreadable')
       ORDER BY 1, 2 NULLS FIRST`,
    );
    const [{accepted}] = await db.query<{accepted: number}>(`SELECT coalesce(sum(rows_accepted), 0)::INTEGER AS accepted FROM sources`);
    console.error(`${accepted} rows accepted, ${problems.length} problems (see the Data quality page)`);
    if (strict && problems.length > 0) {
      // A strict build has no Data quality page to show the rest, so every problem goes to a file
      // beside the warehouse and the terminal shows the first ones and where that file is.
      const lines = problems.map((p) => `${p.source_file}${p.line ? `:${p.line}` : ""}${p.field ? ` ${p.field}` : ""}: ${p.reason}`);
      const listFile = warehouse.path.replace(/\.duckdb$/, "") + "-strict-problems.txt";
      writeFileSync(listFile, lines.join("\n") + "\n");
      const shown = lines.slice(0, STRICT_SHOWN).map((line) => `  ${line}`);
      const more = problems.length > STRICT_SHOWN ? [`  … and ${problems.length - STRICT_SHOWN} more`] : [];
      const where = `every problem, one a line: ${listFile}`;
      throw new Error([`--strict: ${problems.length} input problems; fix them or build without --strict:`, ...shown, ...more, where].join("\n"));
    }
  } finally {
    db.close();
  }
}

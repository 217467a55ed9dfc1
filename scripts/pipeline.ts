// What must happen before Framework builds or previews: hermetic npm cache, a current warehouse,
// and every page's data computed from it into Framework's cache (loaders/pages/computePages.ts), so
// Framework runs no data loader. Shared by build.ts and dev.ts.
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {hermeticBuildEnv} from "../loaders/hermetic/buildEnv.js";
import {syncNotebooks} from "../loaders/explore/notebooks.js";
import {seedNpmCache} from "../loaders/hermetic/seedNpmCache.js";
import {computeExploreFiles, computeFreshPages, computePages} from "../loaders/pages/computePages.js";
import {pages as allPages} from "../loaders/pages/registry.js";
import {SharedResults} from "../loaders/pages/shared.js";
import {openDatabase} from "../loaders/warehouse/duckdb.js";
import {ensureWarehouse, sourcesSummaryFile, type Warehouse} from "../loaders/warehouse/warehouse.js";
import {projectRoot} from "../loaders/workspace/config.js";

const srcRoot = join(projectRoot, "src");
const cacheRoot = join(srcRoot, ".observablehq", "cache");

export async function prepare({strict = false} = {}): Promise<Warehouse> {
  process.env.OBSERVABLE_TELEMETRY_DISABLE = "true";
  // One build time for the whole build: its data loaders (other processes) must check timestamps
  // against the same day as the warehouse was built with, or a build across midnight would rebuild it.
  process.env.WORKBENCH_BUILD_TIME ??= new Date().toISOString();
  // Independent, and one is esbuild's processes while the other is DuckDB's threads: run them together.
  const [, warehouse] = await Promise.all([seedNpmCache(srcRoot), ensureWarehouse()]);
  console.error(`workspace ${warehouse.workspace.root} → ${warehouseChange(warehouse)}`);
  await reportSources(warehouse, strict);
  // Page data is computed here rather than in data loaders, so the loaders' network guard applies here.
  process.env.WORKBENCH_ALLOWED_HOSTS = hermeticBuildEnv(projectRoot).WORKBENCH_ALLOWED_HOSTS;
  await import(pathToFileURL(join(projectRoot, "loaders", "hermetic", "denyNetwork.mjs")).href);
  const started = performance.now();
  const target = {dataDir: join(cacheRoot, "data"), loaderDir: join(srcRoot, "data")};
  // One SharedResults for both: the brief's model draft reuses what the pages computed or recalled.
  const shared = new SharedResults(warehouse.workspace);
  const pages = await computePages(warehouse, target, allPages, shared);
  await computeFreshPages(warehouse, target, shared);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const which = pages.computed.length ? ` (${pages.computed.join(", ")})` : "";
  console.error(
    `page data: ${pages.computed.length} computed${which}, ${pages.unchanged.length} unchanged, ${seconds} s`
  );
  const exportStarted = performance.now();
  const explore = await computeExploreFiles(warehouse, target);
  const exportSeconds = ((performance.now() - exportStarted) / 1000).toFixed(2);
  // "written, <s> s" first: scripts/bench/chromium.bench.ts reads the export's time from this line.
  console.error(
    explore.written.length
      ? `explore tables (Parquet): written, ${exportSeconds} s (${explore.written.length} of ${explore.total} files: ${explore.written.join(", ")})`
      : `explore tables (Parquet): unchanged, ${exportSeconds} s`
  );
  const notebooks = syncNotebooks(warehouse.workspace.root, srcRoot);
  for (const {name, reason} of notebooks.refused) console.error(`notebooks/${name}: not published: ${reason}`);
  return warehouse;
}

/** How many problems a failed strict build prints; the full list is written to a file. */
export const STRICT_SHOWN = 50;

type Problem = {
  source_file: string;
  line: number | null;
  field: string | null;
  reason: string;
};

/** What reportSources found in a warehouse, remembered by its fingerprint. */
interface SourcesSummary {
  fingerprint: string;
  accepted: number;
  problems: number;
}

async function reportSources(warehouse: Warehouse, strict: boolean): Promise<void> {
  // An unchanged warehouse has the counts it had: read from the summary, they cost no DuckDB start.
  // A strict build with problems lists them, so it reads them from the warehouse.
  const summaryFile = sourcesSummaryFile(warehouse.path);
  const known = readSummary(summaryFile);
  if (known?.fingerprint === warehouse.fingerprint && !(strict && known.problems > 0)) {
    console.error(`${known.accepted} rows accepted, ${known.problems} problems (see the Data quality page)`);
    return;
  }
  const db = await openDatabase(warehouse.path, {readOnly: true});
  try {
    const problems = await db.query<Problem>(
      `SELECT source_file, line, field, reason FROM quarantine
       UNION ALL SELECT file, NULL, NULL, status || ': ' || message FROM sources WHERE status IN ('unrecognized', 'failed', 'refused', 'unreadable')
       ORDER BY 1, 2 NULLS FIRST`
    );
    const [{accepted}] = await db.query<{accepted: number}>(
      `SELECT coalesce(sum(rows_accepted), 0)::INTEGER AS accepted FROM sources`
    );
    console.error(`${accepted} rows accepted, ${problems.length} problems (see the Data quality page)`);
    const summary: SourcesSummary = {fingerprint: warehouse.fingerprint, accepted, problems: problems.length};
    writeFileSync(summaryFile, JSON.stringify(summary));
    if (strict && problems.length > 0) {
      // A strict build has no Data quality page to show the rest, so every problem goes to a file
      // beside the warehouse and the terminal shows the first ones and where that file is.
      const lines = problems.map(
        (p) => `${p.source_file}${p.line ? `:${p.line}` : ""}${p.field ? ` ${p.field}` : ""}: ${p.reason}`
      );
      const listFile = warehouse.path.replace(/\.duckdb$/, "") + "-strict-problems.txt";
      writeFileSync(listFile, lines.join("\n") + "\n");
      const shown = lines.slice(0, STRICT_SHOWN).map((line) => `  ${line}`);
      const more = problems.length > STRICT_SHOWN ? [`  … and ${problems.length - STRICT_SHOWN} more`] : [];
      const where = `every problem, one a line: ${listFile}`;
      throw new Error(
        [
          `--strict: ${problems.length} input problems; fix them or build without --strict:`,
          ...shown,
          ...more,
          where
        ].join("\n")
      );
    }
  } finally {
    db.close();
  }
}

function readSummary(path: string): SourcesSummary | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SourcesSummary;
  } catch {
    return undefined;
  }
}

/** What the build did to the warehouse, in a line: built from empty, updated in place (what it read and why), or current. */
function warehouseChange(warehouse: Warehouse): string {
  if (!warehouse.rebuilt) return "warehouse current";
  const changes = warehouse.changes;
  if (!changes) return "warehouse built from empty";
  const reread = Object.entries(changes.reread).map(([file, reason]) => `${file} (${reason})`);
  const parts = [
    `${changes.changed.length} new or changed file(s) read`,
    changes.removed.length ? `${changes.removed.length} removed` : "",
    reread.length ? `read again: ${reread.join("; ")}` : ""
  ].filter(Boolean);
  return `warehouse updated in place: ${parts.join(", ")}`;
}

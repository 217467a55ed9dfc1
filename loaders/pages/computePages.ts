// Every page's data computed in one process over one open warehouse, written where Framework looks
// for its data loaders' output (src/.observablehq/cache/data/<name>.json), so that a build starts no
// loader process. A page is recomputed only when what it was computed from changed: the warehouse (its
// fingerprint covers the raw files, the config keys ingest reads, and the code) or a config key the
// page read, recorded as it ran; so a changed gate threshold recomputes only the pages that read gates.
// Prices count as such a key: a price change rewrites only the warehouse's costs, and a page is charged
// with `prices` when it reads a cost (priceReads.ts), so it recomputes only the pages that read costs.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {openDatabase, type Database} from "../warehouse/duckdb.js";
import {pagesStateFile, type Warehouse} from "../warehouse/warehouse.js";
import type {WorkbenchConfig} from "../schema/config.js";
import {freshPages, pages as allPages, type PageCompute} from "./registry.js";
import {exploreManifest, writeParquet} from "../explore/export.js";
import {exploreTables} from "../explore/tables.js";
import {recordPriceReads} from "./priceReads.js";
import {repricedColumns} from "../warehouse/prices.js";
import {recordReads, SharedResults} from "./shared.js";

/** What one page was computed from (config keys it read, with a hash of each value) and what it wrote. */
interface PageRecord {
  config: Record<string, string>;
  output: string;
}

interface PagesState {
  /** The warehouse's fingerprint besides the prices, which pages that read a cost record as a config key. */
  fingerprint: string;
  pages: Record<string, PageRecord>;
}

export interface PagesOutcome {
  computed: string[];
  unchanged: string[];
}

export interface PagesTarget {
  /** Framework's cache folder of data loader outputs. */
  dataDir: string;
  /** The folder of the data loaders, whose files' mtimes Framework compares with its cache. */
  loaderDir: string;
}

const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
const valueHash = (value: unknown) => sha(JSON.stringify(value) ?? "undefined");

/**
 * `shared`: the query results pages reuse from one another (loaders/pages/shared.ts); pass the same
 * one to computeFreshPages so the brief's draft reuses them too. It must belong to this warehouse's
 * workspace and to this build: the warehouse may not change while it lives.
 */
export async function computePages(
  warehouse: Warehouse,
  target: PagesTarget,
  pages: Record<string, PageCompute> = allPages,
  shared = new SharedResults(warehouse.workspace)
): Promise<PagesOutcome> {
  const statePath = pagesStateFile(warehouse.path);
  const before = readState(statePath);
  const state: PagesState = {fingerprint: warehouse.fingerprintBesidesPrices, pages: {}};
  const outcome: PagesOutcome = {computed: [], unchanged: []};
  let db: Database | undefined;
  mkdirSync(target.dataDir, {recursive: true});
  // Which pages are current is settled first, so that a page computed before them in the list (the
  // home page, the brief) reads a current page's result from its file instead of computing it.
  const current = new Map<string, PageRecord>();
  for (const name of Object.keys(pages)) {
    const file = join(target.dataDir, `${name}.json`);
    const previous = before?.fingerprint === warehouse.fingerprintBesidesPrices ? before.pages[name] : undefined;
    if (previous && isCurrent(previous, warehouse.workspace.config, file)) current.set(name, previous);
  }
  recallCurrent(pages, current, shared, (name) =>
    JSON.parse(readFileSync(join(target.dataDir, `${name}.json`), "utf8"))
  );
  try {
    for (const [name, compute] of Object.entries(pages)) {
      const file = join(target.dataDir, `${name}.json`);
      const previous = current.get(name);
      if (previous) {
        state.pages[name] = previous;
        outcome.unchanged.push(name);
      } else {
        db ??= await openDatabase(warehouse.path, {readOnly: true});
        const read = new Set<string>();
        const config = recordReads(warehouse.workspace.config, read);
        const recorded = recordPriceReads(
          db,
          () => read.has("prices"),
          () => void config.prices
        );
        const text = JSON.stringify(await compute(recorded, {...warehouse.workspace, config}, shared));
        writeIfChanged(file, text);
        state.pages[name] = {
          config: Object.fromEntries(
            [...read].sort().map((key) => [key, valueHash(warehouse.workspace.config[key as keyof WorkbenchConfig])])
          ),
          output: sha(text)
        };
        outcome.computed.push(name);
      }
      freshForFramework(file, join(target.loaderDir, `${name}.json.ts`));
    }
  } finally {
    db?.close();
  }
  writeFileSync(statePath, JSON.stringify(state));
  return outcome;
}

/**
 * Recalls the results that current pages' files hold, for the pages that reuse them: a page that is one
 * query alone (PageCompute.query) holds its result; a result that several pages' files hold together
 * (PageCompute.recalls: eval triage's overview, suite blocks and case figures) is recalled when every
 * one of those pages is current. Each is charged with the config keys its pages read. `read` gives a
 * current page's data.
 */
export function recallCurrent(
  pages: Record<string, PageCompute>,
  current: ReadonlyMap<string, Pick<PageRecord, "config">>,
  shared: SharedResults,
  read: (name: string) => unknown
): void {
  // One entry per result, however many pages name it; a query page is its own one file.
  const held = new Set(
    Object.entries(pages).flatMap(([name, {query, recalls}]) =>
      recalls ? [recalls] : query ? [{query, files: [name], join: ([value]: unknown[]) => value}] : []
    )
  );
  for (const {query, files, join} of held) {
    if (!files.every((name) => current.has(name))) continue;
    shared.recall(
      query,
      () => join(files.map(read)),
      new Set(files.flatMap((name) => Object.keys(current.get(name)!.config)))
    );
  }
}

/** The pages that are computed every build (freshPages), written where Framework looks for them. */
export async function computeFreshPages(
  warehouse: Warehouse,
  target: PagesTarget,
  shared = new SharedResults(warehouse.workspace)
): Promise<void> {
  mkdirSync(target.dataDir, {recursive: true});
  // Opened on first use: the build's time and a draft with no model to ask need no database, and a
  // build with nothing changed then loads no DuckDB at all.
  let opened: Promise<Database> | undefined;
  let connection: Database["connection"] | undefined;
  const open = () =>
    (opened ??= openDatabase(warehouse.path, {readOnly: true}).then((db) => {
      connection = db.connection;
      return db;
    }));
  const db: Database = {
    get connection(): Database["connection"] {
      if (!connection) throw new Error("computeFreshPages: the connection was asked for before any statement ran");
      return connection;
    },
    run: async (sql, params) => (await open()).run(sql, params),
    query: async (sql, params) => (await open()).query(sql, params),
    columns: async (sql, params) => (await open()).columns(sql, params),
    intColumns: async (sql, params) => (await open()).intColumns(sql, params),
    close() {}
  };
  try {
    for (const [name, compute] of Object.entries(freshPages)) {
      const file = join(target.dataDir, `${name}.json`);
      writeIfChanged(file, JSON.stringify(await compute(db, warehouse.workspace, shared)));
      freshForFramework(file, join(target.loaderDir, `${name}.json.ts`));
    }
  } finally {
    if (opened) (await opened).close();
  }
}

/**
 * The Explore page's Parquet files and their manifest (src/data/explore/), written here like the pages'
 * data so that Framework starts none of their loaders. Each file depends on the warehouse alone, and
 * on the prices only when its table holds a repriced column (repricedColumns: spans, eval_results,
 * requests): each is stamped with the fingerprint it was written from (the whole one, or the one
 * besides the prices) and rewritten when that changed or the file is missing, else left as it is
 * (and dated for Framework). So a price change rewrites the files that hold costs, not every file.
 */
export async function computeExploreFiles(
  warehouse: Warehouse,
  target: PagesTarget
): Promise<{written: string[]; total: number}> {
  const dataDir = join(target.dataDir, "explore");
  const loaderDir = join(target.loaderDir, "explore");
  mkdirSync(dataDir, {recursive: true});
  const stampFile = join(dataDir, ".fingerprints.json");
  const stamps = readStamps(stampFile);
  const wanted = new Map<string, string>([
    ...exploreTables.map(
      (t) =>
        [
          `${t.name}.parquet`,
          t.name in repricedColumns ? warehouse.fingerprint : warehouse.fingerprintBesidesPrices
        ] as const
    ),
    // Row counts, columns and types: no price changes them.
    ["manifest.json", warehouse.fingerprintBesidesPrices]
  ]);
  const stale = [...wanted].filter(([file, stamp]) => stamps[file] !== stamp || !existsSync(join(dataDir, file)));
  if (stale.length) {
    // The stale files' stamps go first, so a build killed halfway writes them again next time.
    for (const [file] of stale) delete stamps[file];
    writeFileSync(stampFile, JSON.stringify(stamps));
    const db = await openDatabase(warehouse.path, {readOnly: true});
    try {
      for (const [file, stamp] of stale) {
        if (file === "manifest.json") writeIfChanged(join(dataDir, file), JSON.stringify(await exploreManifest(db)));
        else {
          const temp = join(dataDir, `${file}.${process.pid}.tmp`);
          await writeParquet(db, file.replace(/\.parquet$/, ""), temp);
          renameSync(temp, join(dataDir, file));
        }
        stamps[file] = stamp;
      }
    } finally {
      db.close();
    }
    writeFileSync(stampFile, JSON.stringify(stamps));
  }
  for (const file of wanted.keys()) freshForFramework(join(dataDir, file), join(loaderDir, `${file}.ts`));
  return {written: stale.map(([file]) => file), total: wanted.size};
}

/** Each Explore file's stamp: the fingerprint it was written from. */
function readStamps(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

function readState(path: string): PagesState | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PagesState;
  } catch {
    return undefined;
  }
}

/**
 * Current when every config key the page read has the value it had, and the cached file still holds
 * what this page wrote: another workspace's build, or a loader run by hand, may have replaced it.
 */
function isCurrent(record: PageRecord, config: WorkbenchConfig, file: string): boolean {
  if (!existsSync(file) || sha(readFileSync(file)) !== record.output) return false;
  return Object.entries(record.config).every(([key, hash]) => valueHash(config[key as keyof WorkbenchConfig]) === hash);
}

/** Unchanged bytes keep their file and its mtime, which Framework hashes into the data file's name in dist/. */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * Framework reruns a loader whose file is newer than its cached output (a checkout or an edit touches
 * it). The output here is current by construction, so it is dated now rather than recomputed by a loader.
 */
function freshForFramework(file: string, loader: string): void {
  if (!existsSync(loader)) return;
  if (statSync(file).mtimeMs < statSync(loader).mtimeMs) {
    const now = new Date();
    utimesSync(file, now, now);
  }
}

// Page data computed in one process (loaders/pages/computePages.ts): what each page was computed from
// decides whether it is computed again, and a config-only change re-ingests nothing.
import {spawnSync} from "node:child_process";
import {cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, afterEach, describe, expect, test, vi} from "vitest";
import {adapters} from "../../loaders/adapters/index.js";
import {computeExploreFiles, computePages} from "../../loaders/pages/computePages.js";
import {exploreManifest, exportPlan, exportSql} from "../../loaders/explore/export.js";
import {exploreTables} from "../../loaders/explore/tables.js";
import {pages} from "../../loaders/pages/registry.js";
import {openDatabase, quotedString} from "../../loaders/warehouse/duckdb.js";
import {ensureWarehouse} from "../../loaders/warehouse/warehouse.js";
import {projectRoot} from "../../loaders/workspace/config.js";
import {removeWarehouse} from "./dataLoaders.js";

const workspace = mkdtempSync(join(tmpdir(), "workbench-pages-"));
cpSync(join(projectRoot, "data", "sample"), workspace, {recursive: true});
const env = {...process.env, WORKBENCH_WORKSPACE: workspace};
const cache = mkdtempSync(join(tmpdir(), "workbench-cache-"));
const target = {dataDir: join(cache, "data"), loaderDir: join(projectRoot, "src", "data")};
const configFile = join(workspace, "workbench.config.json");
const page = (name: string) => readFileSync(join(target.dataDir, `${name}.json`), "utf8");
const identity = (path: string) => {
  const s = statSync(path);
  return {ino: s.ino, mtimeMs: s.mtimeMs, size: s.size};
};

/** The pages that read a cost, or reuse a result that did, as the plans of their statements say (loaders/pages/priceReads.ts). */
const PRICED_PAGES = [
  "attention",
  "bakeoff",
  "bakeoff-cases",
  "brief",
  "experiments",
  "frontier",
  "launch-gate",
  "trace-cells",
  "trace-values",
  "traces"
];

/** Spies on every adapter's two ways of reading a file: recognizing it and staging its rows. */
const fileReads = () => adapters.flatMap((a) => [vi.spyOn(a, "detect"), vi.spyOn(a, "stage")]);
const pageFiles = () =>
  Object.fromEntries(Object.keys(pages).map((name) => [name, identity(join(target.dataDir, `${name}.json`))]));

/** Where JSON would not give a value back: undefined, NaN, ±Infinity, -0, a Date or any other class. */
function jsonLosses(value: unknown, path: string): string[] {
  if (value === null || typeof value === "string" || typeof value === "boolean") return [];
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? [] : [`${path}: ${value}`];
  if (typeof value !== "object") return [`${path}: ${typeof value}`];
  const proto = Object.getPrototypeOf(value);
  // An object without a prototype (a lookup table) reads the same as JSON.parse's plain object.
  if (![Object.prototype, Array.prototype, null].includes(proto)) return [`${path}: ${proto.constructor?.name}`];
  return Object.entries(value).flatMap(([key, v]) => jsonLosses(v, `${path}.${key}`));
}

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  removeWarehouse(workspace);
  rmSync(workspace, {recursive: true, force: true});
  rmSync(cache, {recursive: true, force: true});
});

describe("computePages", {timeout: 300_000}, () => {
  test("computes every page once, then none while nothing changed", async () => {
    const first = await ensureWarehouse({env});
    expect((await computePages(first, target)).computed.sort()).toEqual(Object.keys(pages).sort());
    const again = await ensureWarehouse({env});
    expect(again.rebuilt).toBe(false);
    expect(await computePages(again, target)).toEqual({computed: [], unchanged: Object.keys(pages)});
  });

  test("pages that reuse other pages' query results write what each page computes on its own", async () => {
    // computePages shares query results between pages (attention and the brief reuse the others');
    // here every page is computed alone, with no shared result, as before sharing: same bytes.
    const warehouse = await ensureWarehouse({env});
    const db = await openDatabase(warehouse.path, {readOnly: true});
    try {
      for (const [name, compute] of Object.entries(pages)) {
        const result = await compute(db, warehouse.workspace);
        expect(JSON.stringify(result), name).toBe(page(name));
        // A current page's result is read back from its file for the pages that reuse it (the brief
        // after a gate threshold change): so its JSON must give back the very result, nothing lost
        // (no undefined field, Date, NaN or -0 that JSON would turn into something else).
        if (compute.query) {
          expect(jsonLosses(result, name)).toEqual([]);
          expect(JSON.parse(page(name)), name).toEqual(result);
        }
        // A result several pages' files hold together (eval triage's) is read back by joining them.
        if (compute.recalls) {
          const {query, files, join} = compute.recalls;
          const whole = await query(db, warehouse.workspace);
          expect(jsonLosses(whole, name)).toEqual([]);
          expect(join(files.map((file) => JSON.parse(page(file)))), name).toEqual(whole);
        }
      }
    } finally {
      db.close();
    }
  });

  test("writes what the page's own data loader writes when run alone", () => {
    const tsx = join(projectRoot, "node_modules", ".bin", "tsx");
    const loader = spawnSync(tsx, [join(projectRoot, "src", "data", "launch-gate.json.ts")], {
      cwd: projectRoot,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024
    });
    expect(loader.status, loader.stderr).toBe(0);
    expect(loader.stdout).toBe(page("launch-gate"));
  });

  test("a changed gate threshold re-ingests nothing and recomputes only the pages that read the launches", async () => {
    const warehouse = await ensureWarehouse({env});
    const before = identity(warehouse.path);
    const overview = page("overview");
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    const gate = config.launches[0].gates.find((g: {metric: string}) => g.metric === "pass_rate");
    expect(gate.min).not.toBe(0.5);
    gate.min = 0.5;
    writeFileSync(configFile, JSON.stringify(config, null, 2));

    const reads = fileReads();
    const files = pageFiles();
    const changed = await ensureWarehouse({env});
    for (const spy of reads) expect(spy).not.toHaveBeenCalled();
    expect(changed.rebuilt).toBe(false);
    expect(changed.fingerprint).toBe(warehouse.fingerprint);
    expect(identity(changed.path)).toEqual(before);
    const outcome = await computePages(changed, target);
    // The home page shows the gates through the brief's shared result, and still follows them.
    expect(outcome.computed.sort()).toEqual(["attention", "brief", "launch-gate"]);
    // Pages that never read config.launches keep their data untouched.
    for (const name of ["overview", "quarantine", "traces", "safety", "corrections", "drift", "experiments"])
      expect(outcome.unchanged).toContain(name);
    expect(page("overview")).toBe(overview);
    // Only recomputed pages can be rewritten, and only if their bytes changed.
    const rewritten = Object.keys(files).filter((n) => JSON.stringify(files[n]) !== JSON.stringify(pageFiles()[n]));
    expect(rewritten.every((n) => outcome.computed.includes(n))).toBe(true);
    expect(rewritten).toContain("launch-gate");
    const shown = JSON.parse(page("launch-gate")).launches[0].gates.find(
      (g: {metric: string}) => g.metric === "pass_rate"
    );
    expect(shown.threshold).toBe(0.5);
    // Never stale: each recomputed page holds what it computes alone from the changed config.
    const db = await openDatabase(changed.path, {readOnly: true});
    try {
      for (const name of outcome.computed)
        expect(page(name), name).toBe(JSON.stringify(await pages[name](db, changed.workspace)));
    } finally {
      db.close();
    }
  });

  test("a page whose cached file another build replaced is computed again", async () => {
    writeFileSync(join(target.dataDir, "safety.json"), "{}");
    const outcome = await computePages(await ensureWarehouse({env}), target);
    expect(outcome.computed).toEqual(["safety"]);
    expect(JSON.parse(page("safety"))).not.toEqual({});
  });

  test("a changed raw file rebuilds the warehouse, recomputes every page and shows the new row", async () => {
    const rowsIn = JSON.parse(page("overview")).totals.rows_in;
    const line = JSON.stringify({
      flag_id: "flag-extra",
      at: "2026-11-20T10:00:00Z",
      feature: "support-chat",
      category: "pii-leak",
      severity: "high"
    });
    appendFileSync(join(workspace, "flags.jsonl"), line + "\n");
    const warehouse = await ensureWarehouse({env});
    expect(warehouse.rebuilt).toBe(true);
    // Updated in place: the changed file alone was read.
    expect(warehouse.changes?.changed).toEqual(["flags.jsonl"]);
    expect(warehouse.changes?.reread).toEqual({});
    const outcome = await computePages(warehouse, target);
    expect(outcome.computed.sort()).toEqual(Object.keys(pages).sort());
    expect(JSON.parse(page("overview")).totals.rows_in).toBe(rowsIn + 1);
  });

  test("a changed price reads no file, shows the new costs and recomputes only the pages that read a cost", async () => {
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    // The traces page's total cost per feature × model cell: computed costs follow the price table.
    const costs = (text: string) =>
      [...text.matchAll(/"cost":\{[^}]*"total":([-\d.e]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const before = page("traces");
    // A small rise: a cost pushed over a budget trips an unrelated check in the brief (see the report).
    for (const p of config.prices) p.output_per_mtok *= 1.1;
    const files = pageFiles();
    const texts = Object.fromEntries(Object.keys(pages).map((name) => [name, page(name)]));
    const {fingerprintBesidesPrices} = await ensureWarehouse({env});
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const reads = fileReads();
    const warehouse = await ensureWarehouse({env});
    // Costs are repriced in place: no workspace file is recognized or staged again.
    for (const spy of reads) expect(spy).not.toHaveBeenCalled();
    expect(warehouse.rebuilt).toBe(true);
    expect(warehouse.changes?.changed).toEqual([]);
    expect(warehouse.changes?.reread).toEqual({});
    // The warehouse is repriced in place: its fingerprint besides the prices is the same.
    expect(warehouse.fingerprintBesidesPrices).toBe(fingerprintBesidesPrices);
    const outcome = await computePages(warehouse, target);
    // Only the pages that read a cost (or reuse a result that did) are computed again.
    expect(outcome.computed.sort()).toEqual(PRICED_PAGES);
    const after = pageFiles();
    const rewritten = Object.keys(files).filter((n) => JSON.stringify(files[n]) !== JSON.stringify(after[n]));
    expect(rewritten).toEqual(Object.keys(pages).filter((n) => page(n) !== texts[n]));
    // The pages that show a cost or a cost gate (bakeoff-cases holds each request's cost for the
    // browser's filtered slices, trace-cells and trace-values the traces page's costs per block); the
    // others keep their file (and Framework its hash).
    expect(rewritten).toEqual([
      "bakeoff",
      "bakeoff-cases",
      "brief",
      "experiments",
      "frontier",
      "launch-gate",
      "traces",
      "trace-cells",
      "trace-values"
    ]);
    // Never stale: every page, recomputed or not, holds what it computes alone from the repriced warehouse.
    const db = await openDatabase(warehouse.path, {readOnly: true});
    try {
      for (const name of Object.keys(pages))
        expect(page(name), name).toBe(JSON.stringify(await pages[name](db, warehouse.workspace)));
    } finally {
      db.close();
    }
    expect(costs(before)).toBeGreaterThan(0);
    expect(costs(page("traces"))).toBeGreaterThan(costs(before));
  });

  test("a changed price rewrites the Explore files that hold a cost, each as a fresh export, and keeps the others", async () => {
    const dir = join(target.dataDir, "explore");
    const first = await ensureWarehouse({env});
    const names = [...exploreTables.map((t) => `${t.name}.parquet`), "manifest.json"];
    await computeExploreFiles(first, target);
    expect(await computeExploreFiles(first, target)).toEqual({written: [], total: names.length});
    const files = Object.fromEntries(names.map((n) => [n, identity(join(dir, n))]));
    const requestsCost = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
      (
        await db.query<{cost: number}>(
          `SELECT sum(cost_usd) AS cost FROM read_parquet(${quotedString(join(dir, "requests.parquet"))})`
        )
      )[0].cost;
    const memory = await openDatabase();
    const costBefore = await requestsCost(memory);
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    for (const p of config.prices) p.input_per_mtok *= 1.5;
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const warehouse = await ensureWarehouse({env});
    expect(warehouse.changes?.changed).toEqual([]);
    const {written} = await computeExploreFiles(warehouse, target);
    const rewritten = names.filter((n) => JSON.stringify(files[n]) !== JSON.stringify(identity(join(dir, n))));
    expect(rewritten.sort()).toEqual(["eval_results.parquet", "requests.parquet", "spans.parquet"]);
    expect(written.sort()).toEqual(rewritten);
    expect(await requestsCost(memory)).toBeGreaterThan(costBefore);
    memory.close();
    // Never stale: every file, rewritten or kept, holds what an export from the repriced warehouse holds.
    const db = await openDatabase(warehouse.path, {readOnly: true});
    try {
      for (const table of exploreTables) {
        const exported = exportSql(await exportPlan(db, table.name));
        const file = `read_parquet(${quotedString(join(dir, `${table.name}.parquet`))})`;
        const [{differ}] = await db.query<{differ: number}>(`SELECT count(*)::INTEGER AS differ FROM (
          (SELECT * FROM ${file} EXCEPT ALL (${exported}))
          UNION ALL
          ((${exported}) EXCEPT ALL SELECT * FROM ${file})
        )`);
        expect(differ, table.name).toBe(0);
      }
      expect(readFileSync(join(dir, "manifest.json"), "utf8")).toBe(JSON.stringify(await exploreManifest(db)));
    } finally {
      db.close();
    }
  });
});

// Page data computed in one process (loaders/pages/computePages.ts): what each page was computed from
// decides whether it is computed again, and a config-only change re-ingests nothing.
import {spawnSync} from "node:child_process";
import {cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, test} from "vitest";
import {computePages} from "../../loaders/pages/computePages.js";
import {pages} from "../../loaders/pages/registry.js";
import {openDatabase} from "../../loaders/warehouse/duckdb.js";
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
      for (const [name, compute] of Object.entries(pages))
        expect(JSON.stringify(await compute(db, warehouse.workspace)), name).toBe(page(name));
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

    const changed = await ensureWarehouse({env});
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

  test("a changed price reads no file and shows the new costs", async () => {
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    // The traces page's total cost per feature × model cell: computed costs follow the price table.
    const costs = (text: string) =>
      [...text.matchAll(/"cost":\{[^}]*"total":([-\d.e]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const before = page("traces");
    // A small rise: a cost pushed over a budget trips an unrelated check in the brief (see the report).
    for (const p of config.prices) p.output_per_mtok *= 1.1;
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const warehouse = await ensureWarehouse({env});
    expect(warehouse.rebuilt).toBe(true);
    expect(warehouse.changes?.changed).toEqual([]);
    expect(warehouse.changes?.reread).toEqual({});
    await computePages(warehouse, target);
    expect(costs(before)).toBeGreaterThan(0);
    expect(costs(page("traces"))).toBeGreaterThan(costs(before));
  });
});

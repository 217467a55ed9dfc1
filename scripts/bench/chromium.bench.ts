// Issue #14's speed targets, measured where a reader meets them: in Chromium, on a site built from a
// workspace of about 2M spans and 1M eval results (the sample's generator at that size, so the pages
// have the sample's stories, segments and suites). Generated once into .workbench/bench/chromium and
// built once into site/ there (CHROMIUM_BENCH_REBUILD=1 builds again); the build's wall time is kept
// beside it. Then, on a local static server (127.0.0.1 only, with range requests), each of
// CHROMIUM_BENCH_RUNS fresh browser contexts (default 3) measures:
// - traces: from choosing a segment to the recomputed cards (target ≤ 1 s), the whole of it: the cells
//   files' fetches and the computation (before the cells, DuckDB-wasm's start as well, which earlier
//   benches left out by starting it first), with the all-process and main-thread CPU time, the bytes
//   fetched, and the DuckDB-wasm statements the filter ran (none on the cells path);
// - eval triage: DuckDB-wasm started first (the page's own module, as on traces), then from choosing a
//   case filter to every section it recomputes (the pair's slice, its charts, the option grid, the chosen
//   comparison, and in DuckDB-wasm the run chart, the runs table and the regressed and improved cases)
//   drawn (≤ 1 s), each section's own time, the renderer's main-thread CPU time and the bytes fetched beside it;
// - bake-off: from choosing a category on the suite with the most options to every section it
//   recomputes drawn (≤ 1 s; no DuckDB-wasm: the first filter fetches bakeoff-cases.json), each
//   section's time, the main-thread and all-process CPU time and the bytes fetched beside it;
// - Explore: a trivial query first (DuckDB ready), then the group-by-model-and-day query, timed by the
//   page (≤ 1 s), and the Parquet bytes the page says it fetched for it (≤ 25% of the spans file);
// - the Parquet export: every Explore table written again from the built warehouse by the build's own
//   code, as a share of the rest of the build (the build's wall time less one export; ≤ 0.15).
// Every run is printed; each result keeps the fastest (a shared machine only adds time).
// CHROMIUM_BENCH_SITE=<folder> measures a site built elsewhere (say from the commit before a change,
// on the same workspace) instead of building one, for paired turns before and after.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import {writeParquet} from "../../loaders/explore/export.js";
import {exploreTables} from "../../loaders/explore/tables.js";
import {writeWorkspace} from "../../loaders/sample/writeWorkspace.js";
import {openWarehouse} from "../../loaders/warehouse/warehouse.js";
import {projectRoot} from "../../loaders/workspace/config.js";
import {launchChromium} from "../../test/browser/browser.js";
import {serveStatic} from "../../test/browser/server.js";
import {TRACE_CATEGORIES, threadCpu, threadCpuText} from "./chromiumTrace.js";
import type {Bench, BenchResult} from "./types.js";
import {time} from "./types.js";

const SPANS = Number(process.env.CHROMIUM_BENCH_SPANS ?? 2_000_000);
const EVAL_RESULTS = Number(process.env.CHROMIUM_BENCH_EVAL_RESULTS ?? 1_000_000);
const RUNS = Number(process.env.CHROMIUM_BENCH_RUNS ?? 3);
/** How long one measurement may take before it counts as not finished (and the next one runs). */
const TIMEOUT_MS = 1000 * Number(process.env.CHROMIUM_BENCH_TIMEOUT ?? 300);
/**
 * Which measurements run (CHROMIUM_BENCH_ONLY=triage,explore; default all): triage alone needs no
 * spans, so CHROMIUM_BENCH_SPANS=10000 CHROMIUM_BENCH_ONLY=triage measures it on a 1M-result site built in
 * a fraction of the full site's time.
 */
const ONLY = new Set((process.env.CHROMIUM_BENCH_ONLY ?? "traces,triage,bakeoff,explore,export").split(","));
/**
 * A site built elsewhere to measure instead of building one (CHROMIUM_BENCH_SITE=path): a copy built
 * from an earlier commit's code, for paired turns before and after a change on the same workspace. The
 * export is then not measured.
 */
const SITE = process.env.CHROMIUM_BENCH_SITE;
/**
 * A file to write a Chromium trace of each Explore query to (CHROMIUM_BENCH_TRACE=path; each run
 * replaces it), and its CPU by thread printed beside the run (chromiumTrace.ts). Tracing costs time of
 * its own: the run's figures are then not comparable with untraced ones.
 */
const TRACE = process.env.CHROMIUM_BENCH_TRACE;
const EXPLORE_QUERY = "SELECT date_trunc('day', start_time) AS day, model, count(*) AS spans FROM spans GROUP BY ALL";

/** The workspace, generated once: workbench.config.json is written last, so its presence means complete. */
async function workspace(dir: string): Promise<string> {
  const folder = join(dir, "workspace");
  if (!existsSync(join(folder, "workbench.config.json")))
    await writeWorkspace(folder, {scale: EVAL_RESULTS, spans: SPANS});
  return folder;
}

interface Built {
  root: string;
  /** The cold build's wall time, and the export's share of it as the build itself timed it. */
  seconds: number;
  exportSeconds: number;
}

/**
 * The site, built once (cold: a new workspace has no warehouse yet) with the project's build
 * (scripts/build.ts), which prints how long its Parquet export took.
 */
function site(dir: string, folder: string): Built {
  const root = join(dir, "site");
  const stamp = join(dir, "build.json");
  const cold = existsSync(stamp) ? (JSON.parse(readFileSync(stamp, "utf8")) as Built) : undefined;
  if (cold && process.env.CHROMIUM_BENCH_REBUILD !== "1") return {...cold, root};
  rmSync(root, {recursive: true, force: true});
  const started = performance.now();
  const built = spawnSync(join(projectRoot, "node_modules", ".bin", "tsx"), ["scripts/build.ts"], {
    cwd: projectRoot,
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: {...process.env, WORKBENCH_WORKSPACE: folder, WORKBENCH_OUTPUT: root, OBSERVABLE_TELEMETRY_DISABLE: "true"}
  });
  process.stderr.write(built.stderr);
  if (built.status !== 0) throw new Error(`the bench site's build failed (exit ${built.status})`);
  const seconds = (performance.now() - started) / 1000;
  const exported = /explore tables \(Parquet\): written, ([\d.]+) s/.exec(built.stderr);
  // A rebuild after a change to the pages' code finds the warehouse and the Explore files unchanged
  // (a minute instead of many): the cold build's times stay the reference for the export's share.
  if (!exported && cold) return {...cold, root};
  if (!exported) throw new Error("the bench site's build did not write the Explore tables (was it cold?)");
  const result: Built = {root, seconds, exportSeconds: Number(exported[1])};
  writeFileSync(stamp, JSON.stringify({...result, at: new Date().toISOString()}));
  return result;
}

/** Every Explore table written again from the built warehouse, as the build's loaders write them. */
async function exportSeconds(folder: string): Promise<number> {
  process.env.WORKBENCH_WORKSPACE = folder;
  const db = await openWarehouse();
  const out = mkdtempSync(join(tmpdir(), "workbench-export-bench-"));
  try {
    const {seconds} = await time(async () => {
      for (const table of exploreTables) await writeParquet(db, table.name, join(out, `${table.name}.parquet`));
    });
    return seconds;
  } finally {
    db.close();
    rmSync(out, {recursive: true, force: true});
  }
}

/** The built spans Parquet file (Framework names it spans.<hash>.parquet). */
function spansParquet(root: string): string {
  const dir = join(root, "_file", "data", "explore");
  const name = readdirSync(dir).find((f) => /^spans\.[\w-]+\.parquet$/.test(f));
  if (!name) throw new Error(`no spans Parquet file in ${dir}`);
  return join(dir, name);
}

/** A page in a fresh context that reaches only the local server; requests elsewhere are aborted and counted. */
async function open(
  browser: Browser,
  origin: string,
  path: string,
  ready: string
): Promise<{page: Page; close: () => Promise<void>; thirdParty: string[]}> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  const thirdParty: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    thirdParty.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(new URL(path, origin).href);
  await page.locator(ready).first().waitFor({timeout: TIMEOUT_MS});
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, {
    timeout: TIMEOUT_MS
  });
  return {page, close: () => context.close(), thirdParty};
}

/** Runs change, then waits until done() holds in the page; milliseconds between the two, timed in the page. */
async function timedInPage<A>(
  page: Page,
  change: () => Promise<void>,
  done: (arg: A) => boolean,
  arg?: A
): Promise<number> {
  await page.evaluate(() => ((globalThis as {__benchStart?: number}).__benchStart = performance.now()));
  await change();
  await page.waitForFunction(done as (arg: unknown) => boolean, arg ?? null, {timeout: TIMEOUT_MS, polling: "raf"});
  return page.evaluate(() => performance.now() - (globalThis as {__benchStart?: number}).__benchStart!);
}

const stats = (ms: number[]) => (ms.length ? `${ms.map((m) => m.toFixed(0)).join(" / ")} ms` : "none");

/** A built component module's URL (Framework names it <name>.<hash>.js). */
function componentHref(root: string, name: string): string {
  const module = readdirSync(join(root, "_import", "components")).find((f) =>
    new RegExp(`^${name}\\.[\\w-]+\\.js$`).test(f)
  );
  if (!module) throw new Error(`no ${name} module in the built site`);
  return `/_import/components/${module}`;
}

/** Where the page's column loads spent their time so far (exploreData.ts loadStats; the same module the page uses). */
type LoadStats = {readMs: number; arrowMs: number; insertMs: number; ipcMs: number; values: number};
const loadStatsOf = (page: Page, root: string): Promise<LoadStats> =>
  page.evaluate(async (href) => ({...(await import(href)).loadStats}), componentHref(root, "exploreData"));
/** What the column loads spent between two readings of loadStatsOf. */
const loadSince = (load: LoadStats, before: LoadStats): LoadStats => ({
  readMs: load.readMs - before.readMs,
  arrowMs: load.arrowMs - before.arrowMs,
  insertMs: load.insertMs - before.insertMs,
  ipcMs: load.ipcMs - before.ipcMs,
  values: load.values - before.values
});
/** The queries the page ran in DuckDB-wasm so far, each with its own time (exploreData.ts queryLog). */
const queriesOf = async (page: Page, root: string): Promise<string> =>
  (
    await page.evaluate(
      async (href) => [...(await import(href)).queryLog] as {sql: string; ms: number}[],
      componentHref(root, "exploreData")
    )
  )
    .map((q) => `${q.ms.toFixed(0)} ms ${q.sql.slice(0, 40)}`)
    .join("; ");
const loadText = (l: LoadStats) =>
  `${(l.values / 1e6).toFixed(1)}M values loaded: read ${l.readMs.toFixed(0)}, Arrow ${l.arrowMs.toFixed(0)}, insert ${l.insertMs.toFixed(0)} ms (Arrow IPC on the page ${l.ipcMs.toFixed(0)})`;

/**
 * Starts the page's own slice database and returns how long DuckDB-wasm took to be ready (ms). A
 * filter's dynamic import resolves to this same module, so it finds DuckDB-wasm started, and a timing
 * taken after this is the filtered recomputation, DuckDB's start apart.
 */
async function startSliceDatabase(page: Page, root: string): Promise<number> {
  return page.evaluate(
    async (href) => {
      const started = performance.now();
      const {openDatabase} = await import(href);
      await openDatabase();
      return performance.now() - started;
    },
    componentHref(root, "sliceDatabase")
  );
}

/**
 * A reader of every Chromium process's CPU time so far (ms; the renderer with DuckDB-wasm's worker, the
 * GPU and browser processes), as Chromium counts it: on a shared machine the wall time follows the load,
 * the CPU time much less.
 */
async function chromiumCpu(browser: Browser): Promise<{read: () => Promise<number>; detach: () => Promise<void>}> {
  const cdp = await browser.newBrowserCDPSession();
  const read = async () =>
    ((await cdp.send("SystemInfo.getProcessInfo")) as {processInfo: {cpuTime: number}[]}).processInfo.reduce(
      (sum, p) => sum + p.cpuTime * 1000,
      0
    );
  return {read, detach: () => cdp.detach()};
}

async function tracesRun(
  browser: Browser,
  origin: string,
  root: string
): Promise<{
  opened: number;
  filter: number;
  cpu: number;
  mainCpu: number;
  bytes: number;
  requests: number;
  queries: string;
  thirdParty: string[];
}> {
  const started = performance.now();
  const {page, close, thirdParty} = await open(browser, origin, "/traces.html", "#trace-filters");
  const opened = performance.now() - started;
  try {
    const before = await page.locator("#observablehq-main").innerText();
    const cpu = await chromiumCpu(browser);
    const cpuBefore = await cpu.read();
    const mainCpu = await mainThreadCpu(page);
    const mainBefore = await mainCpu();
    const received = receivedFrom(page);
    const filter = await timedInPage(
      page,
      async () =>
        void (await page.locator("#trace-filters").getByLabel("Segment", {exact: true}).selectOption("enterprise")),
      () =>
        // The cards say "filtered slice" once they show the recomputed figures (the note above them comes first).
        (document.querySelector("#trace-cards") as HTMLElement | null)?.innerText.includes("filtered slice") === true
    );
    const cpuUsed = (await cpu.read()) - cpuBefore;
    const mainUsed = (await mainCpu()) - mainBefore;
    await cpu.detach();
    if ((await page.locator("#observablehq-main").innerText()) === before)
      throw new Error("traces: the filter changed nothing");
    const fetched = await received();
    // Empty when the filter ran no statement in DuckDB-wasm (the cells path).
    const queries = await queriesOf(page, root);
    return {
      opened,
      filter,
      cpu: cpuUsed,
      mainCpu: mainUsed,
      bytes: fetched.reduce((sum, r) => sum + r.bytes, 0),
      requests: fetched.length,
      queries,
      thirdParty
    };
  } finally {
    await close();
  }
}

/**
 * Marks the sections in `names` the page shows before a filter, by their downloads' names (a filter
 * renames them with its suffix), and returns those it shows; `needed` must be among them.
 */
async function markSections(page: Page, names: readonly string[], needed: readonly string[], what: string) {
  await page.evaluate((sliced) => {
    const g = globalThis as {__downloads?: Record<string, string[]>; __at?: Record<string, number>};
    g.__downloads = {};
    g.__at = {};
    for (const name of sliced) {
      const now = [...document.querySelectorAll(`a.csv-download[download^="${name}"]`)].map(
        (a) => a.getAttribute("download") ?? ""
      );
      if (now.length) g.__downloads[name] = now;
    }
  }, names);
  const shown = await page.evaluate(() => Object.keys((globalThis as {__downloads?: object}).__downloads!));
  for (const name of needed)
    if (!shown.includes(name)) throw new Error(`${what}: no ${name} section before the filter`);
  return shown;
}

/**
 * In the page (timedInPage's done): whether every marked section's downloads were renamed and every
 * [name, selector, text before] in `also` shows (with other text than before, where given), noting
 * when each first did in __at.
 */
function sectionsDrawn(also: [name: string, selector: string, before: string | null][]): boolean {
  const g = globalThis as {
    __downloads?: Record<string, string[]>;
    __at?: Record<string, number>;
    __benchStart?: number;
  };
  // No named helper functions here: tsx would wrap them in a __name() the page does not have.
  const checks = Object.entries(g.__downloads!).map(([name, was]): [string, boolean] => {
    const now = [...document.querySelectorAll(`a.csv-download[download^="${name}"]`)].map((a) =>
      a.getAttribute("download")
    );
    return [name, now.length === was.length && now.every((n) => n !== null && !was.includes(n))];
  });
  for (const [name, selector, before] of also) {
    const el = document.querySelector(selector) as HTMLElement | null;
    checks.push([name, el !== null && (before === null || el.innerText !== before)]);
  }
  for (const [name, done] of checks)
    if (done && !(name in g.__at!)) g.__at![name] = performance.now() - g.__benchStart!;
  return checks.every(([, done]) => done);
}

/** When each section marked by markSections was drawn, in ms from the change. */
const sectionTimes = (page: Page) => page.evaluate(() => (globalThis as {__at?: Record<string, number>}).__at!);

/**
 * The renderer's main-thread CPU time so far (ms; Chromium's own ThreadTime metric): on a shared machine
 * the wall time follows the load, the CPU time much less. DuckDB-wasm's worker is not in it.
 */
async function mainThreadCpu(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return async () =>
    (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime")!.value * 1000;
}

/** Every response the page receives from now on; the returned function waits for them all. */
function receivedFrom(page: Page): () => Promise<Fetched[]> {
  const fetched: Promise<Fetched>[] = [];
  page.on("requestfinished", (request) =>
    fetched.push(
      (async () => ({
        url: request.url(),
        status: (await request.response())?.status() ?? 0,
        bytes: (await request.sizes()).responseBodySize
      }))()
    )
  );
  return () => Promise.all(fetched);
}

/**
 * The sections a triage case filter recomputes, by the name their download takes (it gains the filter's
 * suffix): the pair's charts by length and category, the option grid, and, in DuckDB-wasm over the
 * exported eval_results (runsOnSlice), the run chart and the runs table (both "triage-runs") and the
 * pair's regressed and improved cases.
 */
const TRIAGE_SLICED = [
  "triage-by-length",
  "triage-by-category",
  "triage-grid-length",
  "triage-grid-category",
  "triage-runs",
  "triage-regressed",
  "triage-improved"
];

/**
 * One triage filter change, after DuckDB-wasm is ready: when each recomputed section showed the slice
 * (ms from the change), the last of them, the renderer's main-thread CPU over that span, and what the
 * browser fetched for it.
 */
type TriageTimes = {
  ready: number;
  sections: Record<string, number>;
  all: number;
  allCpu: number;
  processCpu: number;
  bytes: number;
  parquetBytes: number;
  requests: number;
  load: LoadStats;
};

/** Each section's time, the first done first. */
const sectionsText = (sections: Record<string, number>) =>
  Object.entries(sections)
    .sort(([, a], [, b]) => a - b)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(", ");

const triageText = (t: TriageTimes) =>
  `${t.all.toFixed(0)} ms after DuckDB's ${t.ready.toFixed(0)} ms (${t.allCpu.toFixed(0)} ms main-thread CPU, ` +
  `${t.processCpu.toFixed(0)} ms CPU in all Chromium's processes with DuckDB-wasm's worker; ` +
  `sections at ${sectionsText(t.sections)} ms; ${t.bytes} bytes in ${t.requests} requests, ${t.parquetBytes} of them Parquet; ` +
  `${loadText(t.load)})`;

async function triageRun(
  browser: Browser,
  origin: string,
  root: string
): Promise<TriageTimes & {thirdParty: string[]}> {
  const {page, close, thirdParty} = await open(browser, origin, "/eval-triage.html", "[data-testid=chosen-comparison]");
  try {
    const ready = await startSliceDatabase(page, root);
    const cpu = await mainThreadCpu(page);
    // Every Chromium process's CPU time (the renderer's with its workers, the GPU and browser processes):
    // DuckDB-wasm works in a worker, outside the main thread's time.
    const processCpu = await chromiumCpu(browser);
    // The first case filter that offers a value (the default suite's tags, else its categories, …).
    const selects = page.locator("#triage-filters-cases select");
    let select = selects.first();
    let value: string | undefined;
    for (let i = 0; i < (await selects.count()) && value === undefined; i++) {
      select = selects.nth(i);
      value = (await select.locator("option").allInnerTexts()).find((t) => t !== "all");
    }
    if (value === undefined) throw new Error("eval triage: no case filter offers a value");
    const tag = value;
    // Each section the page shows before the change, by its downloads' names (the run chart and the
    // runs table share one): it is done once every one of them is named after the filter.
    const sections = await markSections(
      page,
      TRIAGE_SLICED,
      ["triage-runs", "triage-regressed", "triage-improved"],
      "eval triage"
    );
    const chosen = "[data-testid=chosen-comparison]";
    const also: [string, string, string | null][] = [
      ["chosen-comparison", chosen, await page.locator(chosen).innerText()]
    ];
    // With a pair chosen, its slice's cards too.
    if (sections.includes("triage-by-length")) also.push(["pair-slice-cards", "[data-testid=pair-slice-cards]", null]);
    // What the browser received from the change on (the eval_results columns DuckDB-wasm loads, the modules).
    const received = receivedFrom(page);
    const loadBefore = await loadStatsOf(page, root);
    const cpuBefore = await cpu();
    const processBefore = await processCpu.read();
    const all = await timedInPage(page, async () => void (await select.selectOption(tag)), sectionsDrawn, also);
    const allCpu = (await cpu()) - cpuBefore;
    const processCpuUsed = (await processCpu.read()) - processBefore;
    await processCpu.detach();
    const at = await sectionTimes(page);
    console.error(`triage queries: ${await queriesOf(page, root)}`);
    const load = await loadStatsOf(page, root);
    const requests = await received();
    return {
      ready,
      sections: at,
      all,
      allCpu,
      processCpu: processCpuUsed,
      bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
      parquetBytes: requests.filter((r) => /\.parquet(?:[?#]|$)/.test(r.url)).reduce((sum, r) => sum + r.bytes, 0),
      requests: requests.length,
      load: loadSince(load, loadBefore),
      thirdParty
    };
  } finally {
    await close();
  }
}

/**
 * The bake-off's sections a category filter recomputes, by the name their download takes (it gains the
 * filter's suffix): the pass-rate chart, the differences, the category grid and recommendations, the
 * routing, the table of each option's quality, cost and latency with its latency chart, and production.
 */
const BAKEOFF_SLICED = [
  "bakeoff-pass-rates",
  "bakeoff-differences",
  "bakeoff-category-gaps",
  "bakeoff-category-recommendations",
  "bakeoff-routing",
  "bakeoff-options",
  "bakeoff-latency",
  "bakeoff-production"
];

/**
 * One bake-off category filter, on the suite with the most options: from choosing the category to every
 * recomputed section drawn (each section's time), the renderer's main-thread CPU and every Chromium
 * process's CPU over that span, and what the browser fetched for it (the cases file, the slice's
 * modules). The bake-off recomputes without DuckDB-wasm, so there is no start to wait for.
 */
type BakeoffTimes = {
  suite: string;
  category: string;
  sections: Record<string, number>;
  all: number;
  allCpu: number;
  processCpu: number;
  bytes: number;
  casesBytes: number;
  requests: number;
};

const bakeoffText = (t: BakeoffTimes) =>
  `${t.all.toFixed(0)} ms (${t.allCpu.toFixed(0)} ms main-thread CPU, ${t.processCpu.toFixed(0)} ms CPU in all ` +
  `Chromium's processes; ${t.suite}, category ${t.category}; sections at ${sectionsText(t.sections)} ms; ` +
  `${t.bytes} bytes in ${t.requests} requests, ${t.casesBytes} of them the cases file)`;

async function bakeoffRun(browser: Browser, origin: string): Promise<BakeoffTimes & {thirdParty: string[]}> {
  const first = await open(browser, origin, "/bakeoff.html", "#bakeoff-filters");
  // The Suite select reads "<suite> · <n> options": the suite with the most options recomputes the most.
  const suites = await first.page.locator("select").first().locator("option").allInnerTexts();
  await first.close();
  const options = (t: string) => Number(/ · (\d+) options?$/.exec(t)?.[1] ?? 0);
  const suite = suites.reduce((a, b) => (options(b) > options(a) ? b : a)).split(" · ")[0];
  const {page, close, thirdParty} = await open(
    browser,
    origin,
    `/bakeoff.html?suite=${encodeURIComponent(suite)}`,
    "#bakeoff-filters"
  );
  try {
    const select = page.locator("#bakeoff-filters").getByLabel("Category", {exact: true});
    const category = (await select.locator("option").allInnerTexts()).find((t) => t !== "all");
    if (category === undefined) throw new Error(`bake-off: suite ${suite} offers no category`);
    const cpu = await mainThreadCpu(page);
    const processCpu = await chromiumCpu(browser);
    await markSections(
      page,
      BAKEOFF_SLICED,
      ["bakeoff-pass-rates", "bakeoff-options", "bakeoff-production"],
      "bake-off"
    );
    const also: [string, string, string | null][] = [["slice-note", "[data-testid=bakeoff-slice-note]", null]];
    const received = receivedFrom(page);
    const cpuBefore = await cpu();
    const processBefore = await processCpu.read();
    const all = await timedInPage(page, async () => void (await select.selectOption(category)), sectionsDrawn, also);
    const allCpu = (await cpu()) - cpuBefore;
    const processCpuUsed = (await processCpu.read()) - processBefore;
    await processCpu.detach();
    const at = await sectionTimes(page);
    const requests = await received();
    return {
      suite,
      category,
      sections: at,
      all,
      allCpu,
      processCpu: processCpuUsed,
      bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
      casesBytes: requests.filter((r) => /bakeoff-cases\./.test(r.url)).reduce((sum, r) => sum + r.bytes, 0),
      requests: requests.length,
      thirdParty
    };
  } finally {
    await close();
  }
}

/** One request for a Parquet file, as the browser received it. */
type Fetched = {url: string; status: number; bytes: number};

async function exploreRun(
  browser: Browser,
  origin: string,
  root: string
): Promise<{
  /** The page opened with the warm-up query's result: DuckDB-wasm started, as the query's reference. */
  warm: number;
  query: number;
  wall: number;
  cpu: number;
  bytes: number;
  pageBytes: number;
  fetched: Fetched[];
  load: LoadStats;
  thirdParty: string[];
  threads?: string;
  /** From the page's start to its first result (the warm query's): DuckDB-wasm's start and that query; and the CPU for it. */
  opened: {ms: number; cpu: number};
}> {
  // The warm-up query reads another table (flags), so DuckDB-wasm is ready and no spans column is loaded when the timed query starts.
  // CHROMIUM_BENCH_EXPLORE_OPEN=spans opens the page on the timed query instead: `opened` is then what a
  // reader who follows a link to that query waits for (DuckDB-wasm's start and the cold query).
  const onSpans = process.env.CHROMIUM_BENCH_EXPLORE_OPEN === "spans";
  const warm = onSpans ? EXPLORE_QUERY : "SELECT count(*) AS n FROM flags";
  // The page runs no query equal to the one it shows, so after opening on it the timed one is the same in another order.
  const timed = onSpans ? `${EXPLORE_QUERY} ORDER BY day, model` : EXPLORE_QUERY;
  const opening = await chromiumCpu(browser);
  const openingCpu = await opening.read();
  const started = performance.now();
  const {page, close, thirdParty} = await open(
    browser,
    origin,
    `/explore.html?sql=${encodeURIComponent(warm)}`,
    "#explore-status"
  );
  try {
    const status = page.locator("#explore-status");
    if (!(onSpans ? /^\d[\d,]* rows in/ : /^1 rows in/).test(await status.innerText()))
      throw new Error(`Explore: the warm-up query did not finish: "${await status.innerText()}"`);
    const warmMs = performance.now() - started;
    const warmLoad = await loadStatsOf(page, root);
    const opened = {
      ms: await page.evaluate(() => performance.now()),
      cpu: (await opening.read()) - openingCpu
    };
    await opening.detach();
    // The bytes the browser received for Parquet files from here on, from its own record of each
    // response's body (a range request's 206 body, or a whole file where a host ignores ranges).
    const fetched: Promise<Fetched>[] = [];
    page.on("requestfinished", (request) => {
      if (!/\.parquet(?:[?#]|$)/.test(request.url())) return;
      fetched.push(
        (async () => ({
          url: request.url(),
          status: (await request.response())?.status() ?? 0,
          bytes: (await request.sizes()).responseBodySize
        }))()
      );
    });
    // The page draws a new status line for each result; the warm query's one is marked, so the wait is for the new one.
    await status.evaluate((el) => el.setAttribute("data-bench-old", ""));
    await page.locator("form textarea").fill(timed);
    if (TRACE) {
      await browser.startTracing(page, {categories: TRACE_CATEGORIES});
      // Tracing's own start-up (it logs the code already compiled) kept out of the window.
      await page.waitForTimeout(2000);
      await page.evaluate(() => performance.mark("bench-query"));
    }
    const cpu = await chromiumCpu(browser);
    const cpuBefore = await cpu.read();
    const wall = await timedInPage(
      page,
      () => page.getByRole("button", {name: "Run query"}).click(),
      () => {
        const now = document.querySelector("#explore-status");
        return now !== null && !now.hasAttribute("data-bench-old") && /rows in/.test(now.textContent ?? "");
      }
    );
    const cpuUsed = (await cpu.read()) - cpuBefore;
    await cpu.detach();
    let threads: string | undefined;
    if (TRACE) {
      await page.evaluate(() => performance.mark("bench-result"));
      const trace = await browser.stopTracing();
      writeFileSync(TRACE, trace);
      threads = threadCpuText(threadCpu(JSON.parse(trace.toString()), "bench-query", "bench-result"));
    }
    const text = await status.innerText();
    const match = /rows in ([\d,]+) ms(?:, ([\d,]+) bytes of Parquet fetched)?/.exec(text);
    if (!match || /^[01] rows/.test(text)) throw new Error(`Explore: unexpected status "${text}"`);
    if (new URL(page.url()).searchParams.get("sql") !== timed) throw new Error("Explore: the page ran another query");
    const load = await loadStatsOf(page, root);
    const requests = await Promise.all(fetched);
    return {
      warm: warmMs,
      query: Number(match[1].replaceAll(",", "")),
      wall,
      cpu: cpuUsed,
      bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
      pageBytes: Number((match[2] ?? "0").replaceAll(",", "")),
      fetched: requests,
      load: loadSince(load, warmLoad),
      thirdParty,
      threads,
      opened
    };
  } finally {
    await close();
  }
}

/** A measurement's time, or its failure (a timeout, say) noted and the bench carried on to the next one. */
async function attempt<T>(what: string, failures: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    failures.push(`${what}: ${message}`);
    console.error(`${what} failed: ${message}`);
    return undefined;
  }
}

const bench: Bench = async ({scaleDir}) => {
  // Another size is another workspace and site, kept beside the default one instead of replacing it.
  const sized = SPANS === 2_000_000 && EVAL_RESULTS === 1_000_000 ? "" : `-${SPANS}-${EVAL_RESULTS}`;
  const dir = join(scaleDir, `chromium${sized}`);
  mkdirSync(dir, {recursive: true});
  const folder = await workspace(dir);
  const built = SITE ? {root: SITE, seconds: NaN, exportSeconds: NaN} : site(dir, folder);
  // CHROMIUM_BENCH_EXPORT=0 skips writing the export again (minutes at this scale); the cold build's own export time is reported still.
  const exported =
    process.env.CHROMIUM_BENCH_EXPORT === "0" || !ONLY.has("export") || SITE
      ? built.exportSeconds
      : await exportSeconds(folder);
  const spansBytes = statSync(spansParquet(built.root)).size;
  const server = await serveStatic(built.root);
  const browser = await launchChromium();
  const runs = {
    opened: [] as number[],
    warm: [] as number[],
    traces: [] as number[],
    triage: [] as TriageTimes[],
    bakeoff: [] as BakeoffTimes[],
    query: [] as number[],
    wall: [] as number[],
    bytes: [] as number[]
  };
  const loads = {traces: [] as string[], explore: [] as string[]};
  const failures = {traces: [] as string[], triage: [] as string[], bakeoff: [] as string[], explore: [] as string[]};
  const statuses = new Set<number>();
  const thirdParty: string[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const traces = !ONLY.has("traces")
        ? undefined
        : await attempt(`traces run ${run + 1}`, failures.traces, () => tracesRun(browser, server.origin, built.root));
      const triage = !ONLY.has("triage")
        ? undefined
        : await attempt(`triage run ${run + 1}`, failures.triage, () => triageRun(browser, server.origin, built.root));
      const bakeoff = !ONLY.has("bakeoff")
        ? undefined
        : await attempt(`bake-off run ${run + 1}`, failures.bakeoff, () => bakeoffRun(browser, server.origin));
      const explore = !ONLY.has("explore")
        ? undefined
        : await attempt(`explore run ${run + 1}`, failures.explore, () =>
            exploreRun(browser, server.origin, built.root)
          );
      if (traces) {
        runs.opened.push(traces.opened);
        runs.traces.push(traces.filter);
        loads.traces.push(
          `${(traces.cpu / 1000).toFixed(2)} s CPU (${(traces.mainCpu / 1000).toFixed(2)} s main thread), ${(traces.bytes / 1e6).toFixed(2)} MB in ${traces.requests} requests, DuckDB-wasm statements: ${traces.queries || "none"}`
        );
        thirdParty.push(...traces.thirdParty);
      }
      if (triage) {
        runs.triage.push(triage);
        thirdParty.push(...triage.thirdParty);
      }
      if (bakeoff) {
        runs.bakeoff.push(bakeoff);
        thirdParty.push(...bakeoff.thirdParty);
      }
      if (explore) {
        runs.query.push(explore.query);
        runs.warm.push(explore.warm);
        runs.wall.push(explore.wall);
        runs.bytes.push(explore.bytes);
        loads.explore.push(loadText(explore.load));
        for (const r of explore.fetched) statuses.add(r.status);
        thirdParty.push(...explore.thirdParty);
        if (explore.pageBytes !== explore.bytes)
          console.error(
            `explore run ${run + 1}: the page counted ${explore.pageBytes} bytes, the browser received ${explore.bytes}`
          );
      }
      const shown = (what: string, text: () => string, done: unknown) =>
        !ONLY.has(what) ? `${what} skipped` : done ? `${what} ${text()}` : `${what} failed`;
      console.error(
        `chromium run ${run + 1}: ${[
          shown(
            "traces",
            () =>
              `${traces!.filter.toFixed(0)} ms filter to cards, page opened in ${traces!.opened.toFixed(0)} ms (${traces!.cpu.toFixed(0)} ms CPU in all Chromium's processes, ${traces!.mainCpu.toFixed(0)} ms main thread; ${traces!.bytes} bytes in ${traces!.requests} requests; DuckDB-wasm statements: ${traces!.queries || "none"})`,
            traces
          ),
          shown("triage", () => triageText(triage!), triage),
          shown("bakeoff", () => bakeoffText(bakeoff!), bakeoff),
          shown(
            "explore",
            () =>
              `${explore!.query} ms (${explore!.wall.toFixed(0)} ms click to result, ${explore!.cpu.toFixed(0)} ms CPU in all Chromium's processes; ${loadText(explore!.load)}) / ${explore!.bytes} bytes in ${explore!.fetched.length} requests; opened with a first result in ${explore!.opened.ms.toFixed(0)} ms (${explore!.opened.cpu.toFixed(0)} ms CPU)${explore!.threads ? `; traced: ${explore!.threads}` : ""}`,
            explore
          )
        ].join(", ")}`
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (thirdParty.length > 0) throw new Error(`third-party requests: ${[...new Set(thirdParty)].join(", ")}`);
  const fastest = (ms: number[]) => (ms.length ? Math.min(...ms) / 1000 : Infinity);
  const failed = (list: string[]) =>
    list.length ? `; ${list.length} of ${RUNS} runs failed (${list.join("; ")})` : "";
  const rest = built.seconds - built.exportSeconds;
  const scale = `${SPANS} spans, ${EVAL_RESULTS} eval results`;
  const results: [measurement: string, result: BenchResult][] = [
    [
      "traces",
      {
        name: `chromium: traces, first filtered recomputation, choosing a segment to the recomputed cards (${scale})`,
        seconds: fastest(runs.traces),
        reference: {name: "the unfiltered traces page's load (navigation to drawn)", seconds: fastest(runs.opened)},
        target: {max: 1, of: "seconds"},
        value: fastest(runs.traces),
        note: `runs ${stats(runs.traces)}; page load ${stats(runs.opened)}; ${loads.traces.join(" | ")}${failed(failures.traces)}`
      }
    ],
    [
      "triage",
      {
        name: `chromium: eval triage, first filtered recomputation after DuckDB-wasm is ready (${scale})`,
        seconds: fastest(runs.triage.map((t) => t.all)),
        reference: {name: "DuckDB-wasm start", seconds: fastest(runs.triage.map((t) => t.ready))},
        target: {max: 1, of: "seconds"},
        value: fastest(runs.triage.map((t) => t.all)),
        note: `every recomputed section: runs ${runs.triage.map(triageText).join(" | ")}${failed(failures.triage)}`
      }
    ],
    [
      "bakeoff",
      {
        name: `chromium: bake-off, first filtered recomputation (${scale})`,
        seconds: fastest(runs.bakeoff.map((t) => t.all)),
        reference: null,
        target: {max: 1, of: "seconds"},
        value: fastest(runs.bakeoff.map((t) => t.all)),
        note: `every recomputed section: runs ${runs.bakeoff.map(bakeoffText).join(" | ")}${failed(failures.bakeoff)}`
      }
    ],
    [
      "explore",
      {
        name: `chromium: Explore, spans by model and day after DuckDB-wasm is ready (${scale})`,
        seconds: fastest(runs.query),
        reference: {
          name: "the page opened with a warm-up query's result (DuckDB-wasm started)",
          seconds: fastest(runs.warm)
        },
        target: {max: 1, of: "seconds"},
        value: fastest(runs.query),
        note: `runs ${stats(runs.query)} as the page timed them, ${stats(runs.wall)} from the click; columns: ${loads.explore.join(" | ")}${failed(failures.explore)}`
      }
    ],
    [
      "explore",
      {
        name: `chromium: Explore, Parquet bytes fetched for that query`,
        seconds: fastest(runs.query),
        reference: null,
        target: {max: 0.25 * spansBytes, of: "bytes"},
        value: runs.bytes.length ? Math.max(...runs.bytes) : Infinity,
        note: `${((100 * Math.max(...runs.bytes)) / spansBytes).toFixed(1)}% of the spans file's ${(spansBytes / 1e6).toFixed(1)} MB, as the browser received them (HTTP ${[...statuses].sort().join(", ")}); runs ${runs.bytes.join(" / ")} bytes`
      }
    ],
    [
      "export",
      {
        name: `build: Parquet export of every Explore table (${scale})`,
        seconds: exported,
        reference: {name: "the rest of the cold build (its wall time less its own export)", seconds: rest},
        target: {max: 0.15, of: "ratio"},
        value: exported / rest,
        note: `export now ${exported.toFixed(1)} s (written again from the built warehouse); in the cold build ${built.exportSeconds.toFixed(1)} s of ${built.seconds.toFixed(1)} s (${(built.exportSeconds / rest).toFixed(2)}×; built once, CHROMIUM_BENCH_REBUILD=1 builds again)`
      }
    ]
  ];
  return results.filter(([measurement]) => ONLY.has(measurement)).map(([, result]) => result);
};

export default bench;

// What every browser test file starts from: the built site, a static server on it, and Chromium.
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import type {Browser, BrowserContext, Locator, Page} from "playwright-core";
import {csvParse, type DSVRowArray} from "d3";
import {afterAll, beforeAll, expect} from "vitest";
import {launchChromium} from "./browser.js";
import {serveStatic, type StaticServer} from "./server.js";
import {acquireBuildLock, checkoutBuildLock} from "../../loaders/warehouse/buildLock.js";
import {projectRoot} from "../../loaders/workspace/config.js";

export interface BuiltSite {
  projectRoot: string;
  dist: string;
  screenshotDir: string;
}

/** The built site under test; throws on import when requiredPage is missing, so an unbuilt site fails the file at once, not each test. */
export function builtSite(requiredPage: string): BuiltSite {
  // BROWSER_TEST_DIST points the suite at another built site (as the hermetic probe does).
  const dist = resolve(process.env.BROWSER_TEST_DIST ?? join(projectRoot, "dist"));
  const required = join(dist, requiredPage);
  if (!existsSync(required)) throw new Error(`${required} does not exist: run npm run build first.`);
  return {projectRoot, dist, screenshotDir: join(projectRoot, "test", "output", "screenshots")};
}

export interface ServedSite {
  /** The folder served (known once beforeAll has run, when it is built there). */
  readonly root: string;
  readonly server: StaticServer;
  readonly browser: Browser;
  /**
   * Opens path in a new context that reaches only the local server and data: URLs, and returns once
   * ready matches (an element only the page's data renders). The context is closed in afterAll.
   */
  open(path: string, ready: string, viewport?: {width: number; height: number}): Promise<Page>;
  /**
   * Opens path in a new context as a reader's browser would (no route blocked), recording every request
   * and every page or console error, and returns once ready matches and no
   * cell is still loading. close() ends the context early; afterAll closes any left open.
   */
  watch(path: string, ready: string, width?: number): Promise<WatchedPage>;
}

/** A page opened by ServedSite.watch, with what it requested and the errors it raised so far. */
export interface WatchedPage {
  page: Page;
  requests: string[];
  errors: string[];
  close: () => Promise<void>;
}

/**
 * Registers beforeAll/afterAll hooks, in the enclosing describe or file, that serve root and launch
 * Chromium. root may be a function that builds the site; timeout then covers the build.
 */
export function serveSite(
  root: string | (() => string | Promise<string>),
  {timeout}: {timeout?: number} = {}
): ServedSite {
  let folder: string | undefined;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the site is served only once beforeAll has run");
    return value;
  };

  beforeAll(async () => {
    folder = typeof root === "string" ? root : await root();
    server = await serveStatic(folder);
    browser = await launchChromium();
  }, timeout);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  return {
    get root() {
      return started(folder);
    },
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    async open(path, ready, viewport = {width: 1280, height: 900}) {
      const {origin} = started(server);
      const context = await started(browser).newContext({viewport});
      contexts.push(context);
      await context.route("**/*", (route) =>
        route.request().url().startsWith(origin) || route.request().url().startsWith("data:")
          ? route.continue()
          : route.abort()
      );
      const page = await context.newPage();
      await page.goto(new URL(path, origin).href);
      await page.locator(ready).first().waitFor({timeout: 60_000});
      return page;
    },
    async watch(path, ready, width = 1280) {
      // Downloads are accepted (Playwright's default), so a test can read the CSV a page offers.
      const context = await started(browser).newContext({viewport: {width, height: 900}});
      contexts.push(context);
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      context.on("request", (r) => requests.push(r.url()));
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(`${started(server).origin}${path}`);
      await page.locator(ready).first().waitFor({timeout: 60_000});
      await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0);
      return {page, requests, errors, close: () => context.close()};
    }
  };
}

/**
 * Drops, as a reset connection, the first GET of each file `pattern` matches whose Range header `drops`
 * accepts (a failure the page must recover from on its next try). Returns the files dropped so far, in
 * order, each named by the pattern's first group, else its whole match.
 */
export async function dropFirstFetch(
  context: BrowserContext,
  pattern: RegExp,
  drops: (range: string | undefined) => boolean = () => true
): Promise<string[]> {
  const dropped: string[] = [];
  await context.route(pattern, (route) => {
    const request = route.request();
    const match = pattern.exec(request.url());
    const file = match?.[1] ?? match?.[0] ?? request.url();
    if (request.method() !== "GET" || dropped.includes(file) || !drops(request.headers()["range"]))
      return route.continue();
    dropped.push(file);
    return route.abort("connectionreset");
  });
  return dropped;
}

/**
 * Waits for the one message a page shows at its filters when their figures could not be loaded
 * (src/components/filterFailure.ts), and checks it is the only trace of the failure: no error cell, and
 * "Failed to fetch" nowhere else on the page (each cell that read the figures showed it before).
 */
export async function expectOneFilterFailure(page: Page, says = FILTER_FAILURE): Promise<void> {
  const message = page.locator("#observablehq-main .filter-failure");
  await expect.poll(() => message.count(), {timeout: 30_000}).toBe(1);
  expect(await message.isVisible()).toBe(true);
  const said = (await message.innerText()).replace(/\s+/g, " ");
  expect(said).toMatch(says);
  expect(await page.locator("#observablehq-main .observablehq--error").count()).toBe(0);
  const fetchFailures = (text: string) => text.split(/failed to fetch/i).length - 1;
  expect(fetchFailures(await page.locator("#observablehq-main").innerText())).toBe(fetchFailures(said));
}

/** What a filtered page says when the filter's figures could not be loaded (src/components/filterFailure.ts). */
const FILTER_FAILURE =
  /The filtered figures could not be loaded \(.+\)\. Choose another value of the filter, then this one again, or reload the page/;

/** A filter whose figures fail to load once, and what the page must show then and after (failThenRecover). */
export interface FilterRecovery {
  /** The filter's select, and the value whose figures the first try fails to load. */
  select: Locator;
  value: string;
  /** The files whose first fetch is dropped (dropFirstFetch). */
  drop: RegExp;
  /** What must not show while the load has failed: the figures from before the filter. */
  stale: string;
  /** More checks while it has failed. */
  failed?: () => Promise<void>;
  /** Checks once the filter is unset again, before it is chosen again. */
  unfiltered?: () => Promise<void>;
  /** Waits for, and checks, the slice's figures once the filter is chosen again. */
  recovered: () => Promise<void>;
}

/**
 * Chooses the filter while its files' first fetch is dropped: the page says so once at the filters and
 * shows no figures from before (expectOneFilterFailure); then unsets it and chooses it again, as the
 * message asks, and the slice's figures show with no message or error left. Returns the files dropped.
 */
export async function failThenRecover(page: Page, filter: FilterRecovery): Promise<string[]> {
  const dropped = await dropFirstFetch(page.context(), filter.drop);
  await filter.select.selectOption(filter.value);
  await expectOneFilterFailure(page);
  expect(await page.locator(filter.stale).count()).toBe(0);
  await filter.failed?.();
  await filter.select.selectOption({index: 0});
  await filter.unfiltered?.();
  await filter.select.selectOption(filter.value);
  await filter.recovered();
  expect(await page.locator(".filter-failure").count()).toBe(0);
  expect(await page.locator("#observablehq-main .observablehq--error").count()).toBe(0);
  return dropped;
}

/**
 * Builds the whole site from a workspace into a temporary folder, with the project's own config, holding
 * the checkout's build lock so that no other build shares Framework's cache meanwhile.
 */
export function buildSite(workspace: string, name = "production-fixtures"): string {
  // Waiting while another build holds it: browser files run side by side, and beside npm test in CI; the
  // files that build a site of their own would otherwise write Framework's cache and src/'s notebooks at once.
  const release = acquireBuildLock(checkoutBuildLock, {waitMs: 900_000});
  try {
    return buildSiteLocked(workspace, name);
  } finally {
    release();
  }
}

/**
 * Framework's cache of page data, which prepare() fills from the workspace built. A test workspace's
 * build would overwrite the sample's there, and the next npm run build (CI's Node 24 step, a developer's
 * next build) would then compute every page again; so the sample's folder is set aside during the test
 * build and put back after it.
 */
const pageDataCache = join(projectRoot, "src", ".observablehq", "cache", "data");

function buildSiteLocked(workspace: string, name: string): string {
  const aside = `${pageDataCache}.before-${name}`;
  if (existsSync(aside)) {
    // Left by a test build that was killed: the folder in place may hold a test workspace's data, and
    // the one aside may predate a build since. Both go; the next npm run build computes every page.
    rmSync(aside, {recursive: true, force: true});
    rmSync(pageDataCache, {recursive: true, force: true});
  }
  if (existsSync(pageDataCache)) renameSync(pageDataCache, aside);
  try {
    return buildSiteInCache(workspace, name);
  } finally {
    rmSync(pageDataCache, {recursive: true, force: true});
    if (existsSync(aside)) renameSync(aside, pageDataCache);
  }
}

function buildSiteInCache(workspace: string, name: string): string {
  const out = mkdtempSync(join(tmpdir(), `workbench-${name}-site-`));
  // The project's config writes to WORKBENCH_OUTPUT, so the sample site in dist/ stays as it is.
  const env = {
    ...process.env,
    WORKBENCH_WORKSPACE: workspace,
    WORKBENCH_OUTPUT: out,
    OBSERVABLE_TELEMETRY_DISABLE: "true"
  };
  const run = (command: string, args: string[]) => {
    const r = spawnSync(command, args, {cwd: projectRoot, env, encoding: "utf8", timeout: 800_000});
    if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  };
  // prepare() first: it copies the workspace's notebooks into src/, and the config lists them. It runs
  // compiled, as npm run build does (prepareSite.ts says why).
  run(process.execPath, [join(projectRoot, "scripts", "compiled.mjs"), "test/browser/prepareSite.ts"]);
  run(join(projectRoot, "node_modules", ".bin", "observable"), ["build"]);
  writeFileSync(join(out, ".workspace"), workspace);
  return out;
}

/** The download of a `.with-csv` block (its first, if several match: components/csvDownload.ts withCsv), parsed. */
export async function downloadFrom(page: Page, block: Locator): Promise<{csv: DSVRowArray<string>; filename: string}> {
  const link = block.first().locator(":scope > a.csv-download");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return {csv: csvParse(readFileSync(await download.path(), "utf8")), filename: download.suggestedFilename()};
}

/** The download under the table or chart `node`, parsed. */
export const downloadUnder = (page: Page, node: Locator) => downloadFrom(page, page.locator(".with-csv", {has: node}));

// Opens built pages in the system Chromium and records what a reader's browser would do: every
// request, console and page errors, Framework's error cells, and a full-page screenshot.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {chromium, type Browser, type Page} from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

/**
 * The features Playwright switches off (playwright-core's chromiumSwitches.ts, `disabledFeatures`).
 * Chromium keeps only the last --disable-features it is given, and Playwright puts ours after its own,
 * so ours must repeat them; test/unit/test/browser/browser.test.ts fails when playwright-core's list
 * changes.
 */
export const playwrightDisabledFeatures: readonly string[] = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion"
];

/**
 * Chromium 156's headless mode gives every window (each Playwright context) the address bar's popups,
 * drawn by WebUI pages in a renderer process of their own (chrome://omnibox-popup.top-chrome/). No test
 * types into an address bar, and they cost more CPU than a visit's own page: an empty page's visit took
 * 2.8–3.1 s of Chromium's CPU with them and 1.1–1.3 s without (two runs of six visits each).
 */
const omniboxPopups = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

export const chromiumArgs: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  `--disable-features=${[...playwrightDisabledFeatures, ...omniboxPopups].join(",")}`
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({executablePath: chromiumPath, args: [...chromiumArgs]});
}

export interface PageReport {
  url: string;
  /** Every URL requested, in order, by the page and its workers. */
  requests: string[];
  /** Requests to any origin but the local server's; they are blocked, not sent. */
  thirdParty: string[];
  /** Local requests that failed (not cancelled by the page) or answered 400 or more, with the reason. */
  failed: string[];
  consoleErrors: string[];
  pageErrors: string[];
  /** Text of each cell Framework rendered as an error (.observablehq--error). */
  errorCells: string[];
  /** Absolute href of every link on the rendered page. */
  links: string[];
  /** Element ids used more than once: a link to #id (the brief's, a reader's) would land on the first. */
  duplicateIds: string[];
  /** Messages of any alert, confirm or prompt the page opened (dismissed): a payload that ran would open one. */
  dialogs: string[];
  /** window.__pwned after rendering: set only by a planted payload that executed. */
  pwned: unknown;
  /** Links whose href is javascript: (a planted payload rendered as a link runs when clicked). */
  scriptLinks: string[];
  /** The full-page screenshot's path; "" with BROWSER_TEST_SCREENSHOTS=off (FULL_PAGE_SCREENSHOTS). */
  screenshot: string;
  /** document.documentElement.scrollWidth once rendered: wider than the viewport means the page scrolls sideways. */
  scrollWidth: number;
  /** The same page measured again at each of VisitOptions.resizeTo, in order (empty without it). */
  resized: PageReport[];
}

export interface VisitOptions {
  /** Defaults to 1280 × 800. */
  viewport?: {width: number; height: number};
  /** Appended to the screenshot's name, e.g. "-390". */
  screenshotSuffix?: string;
  /** Runs on the rendered page, before the screenshot: a test's own measurements (again at each resize). */
  inspect?: (page: Page, viewport: {width: number; height: number}) => Promise<void>;
  /**
   * Viewports to resize the loaded page to, one after another, each measured once the page is still
   * again (reported in `resized`, with its own screenshot suffix): the layout at several widths for one
   * load. Framework's width and CSS media queries follow a resize, so a page that sizes by them lays out
   * as a page loaded at that width would. Requests and errors are the page's so far.
   */
  resizeTo?: readonly {viewport: {width: number; height: number}; screenshotSuffix: string}[];
  /** Defaults to test/output/screenshots. */
  screenshotDir?: string;
  /** How long the page must stay still (no DOM change, no request) to count as rendered; defaults to 1000 ms. */
  quietMs?: number;
  /** Defaults to 120 s: pages render two at a time in each of three files, on a machine that may be busy. */
  timeoutMs?: number;
}

/**
 * Whether a visit saves a full-page screenshot, for a person to look at (test/output/screenshots). CI's
 * clean clone is thrown away with them, and they cost a fifth of pages.test.ts's CPU (116 against 90 s,
 * one run each, alone), so .ci/run sets BROWSER_TEST_SCREENSHOTS=off; nothing a test asserts reads them.
 */
export const FULL_PAGE_SCREENSHOTS = process.env.BROWSER_TEST_SCREENSHOTS !== "off";

/** Opens origin + path in a fresh context, waits until Framework has rendered, and reports. */
export async function visitPage(
  browser: Browser,
  origin: string,
  path: string,
  {
    screenshotDir = join("test", "output", "screenshots"),
    quietMs = 1000,
    timeoutMs = 120_000,
    viewport = {width: 1280, height: 800},
    screenshotSuffix = "",
    inspect,
    resizeTo = []
  }: VisitOptions = {}
): Promise<PageReport> {
  const url = new URL(path, origin).href;
  const report: PageReport = {
    url,
    requests: [],
    thirdParty: [],
    failed: [],
    consoleErrors: [],
    pageErrors: [],
    errorCells: [],
    links: [],
    duplicateIds: [],
    dialogs: [],
    pwned: undefined,
    scriptLinks: [],
    screenshot: "",
    scrollWidth: 0,
    resized: []
  };
  const context = await browser.newContext({viewport});
  const network = {inFlight: 0, lastActivity: Date.now()};
  const settle = () => ((network.lastActivity = Date.now()), network.inFlight--);
  try {
    await context.addInitScript({content: watchMutations});
    await context.route("**/*", (route) =>
      isLocal(route.request().url(), origin) ? route.continue() : route.abort("blockedbyclient")
    );
    context.on("request", (request) => {
      report.requests.push(request.url());
      if (!isLocal(request.url(), origin)) report.thirdParty.push(request.url());
      network.inFlight++;
      network.lastActivity = Date.now();
    });
    context.on("requestfinished", settle);
    context.on("requestfailed", (request) => {
      settle();
      // ERR_ABORTED is the page cancelling a request itself (DuckDB does, reading a file it registered).
      const reason = request.failure()?.errorText ?? "failed";
      if (isLocal(request.url(), origin) && reason !== "net::ERR_ABORTED")
        report.failed.push(`${request.url()}: ${reason}`);
    });
    context.on("response", (response) => {
      if (response.status() >= 400) report.failed.push(`${response.url()}: HTTP ${response.status()}`);
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error")
        report.consoleErrors.push(`${message.text()} (${message.location().url}:${message.location().lineNumber})`);
    });
    page.on("pageerror", (error) => report.pageErrors.push(error.stack ?? error.message));
    page.on("dialog", (dialog) => {
      report.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(url, {waitUntil: "load", timeout: timeoutMs});
    await waitForRender(page, network, quietMs, Date.now() + timeoutMs);
    await measure(page, report, viewport, screenshotSuffix);
    for (const next of resizeTo) {
      // The page must stay still for quietMs from the resize on: the re-render it causes starts a frame later.
      network.lastActivity = Date.now();
      await page.setViewportSize(next.viewport);
      await waitForRender(page, network, quietMs, Date.now() + timeoutMs);
      const at: PageReport = {
        ...report,
        requests: [...report.requests],
        thirdParty: [...report.thirdParty],
        failed: [...report.failed],
        consoleErrors: [...report.consoleErrors],
        pageErrors: [...report.pageErrors],
        dialogs: [...report.dialogs],
        resized: []
      };
      await measure(page, at, next.viewport, next.screenshotSuffix);
      report.resized.push(at);
    }
    return report;
  } finally {
    await context.close();
  }

  /** What the rendered page shows now, into `into`, and its screenshot. */
  async function measure(page: Page, into: PageReport, at: {width: number; height: number}, suffix: string) {
    into.errorCells = await page.locator(".observablehq--error").allInnerTexts();
    into.links = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    into.scriptLinks = into.links.filter((href) => /^\s*javascript:/i.test(href));
    into.pwned = await page.evaluate(() => (window as unknown as {__pwned?: unknown}).__pwned);
    into.duplicateIds = await page.locator("[id]").evaluateAll((elements) => {
      const seen = new Map<string, number>();
      for (const e of elements) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });
    into.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    await inspect?.(page, at);
    if (!FULL_PAGE_SCREENSHOTS) return;
    mkdirSync(screenshotDir, {recursive: true});
    into.screenshot = join(screenshotDir, `${screenshotName(path)}${suffix}.png`);
    await page.screenshot({path: into.screenshot, fullPage: true});
  }
}

/**
 * How many pages a file renders at once. Part of a visit is waiting, not computing (the page must stay
 * still for quietMs, requests are served one by one), so two at once keep Chromium busy while one waits.
 * With three files at a time as well (vitest.browser.config.ts), that is up to six pages on 2 cores.
 */
export const VISITS_AT_ONCE = Number(process.env.BROWSER_TEST_VISITS_AT_ONCE ?? 2);

/**
 * Memoized visits, at most `atOnce` running together. Tests run one after another within a file, so
 * `prefetch` starts every visit up front, and each test awaits its own report: a visit that fails still
 * fails the tests that read it (a prefetched promise is marked handled, not swallowed).
 */
export function visitPool<T>(
  visit: (path: string) => Promise<T>,
  atOnce = VISITS_AT_ONCE
): {get(path: string): Promise<T>; prefetch(paths: readonly string[]): void} {
  const reports = new Map<string, Promise<T>>();
  const waiting: (() => void)[] = [];
  let running = 0;
  const slot = async () => {
    if (running >= atOnce) await new Promise<void>((free) => waiting.push(free));
    else running++;
  };
  // A finished visit hands its slot straight to the next waiting one, or frees it.
  const release = () => (waiting.length ? waiting.shift()!() : running--);
  const get = (path: string) => {
    let report = reports.get(path);
    if (!report) {
      report = slot().then(() => visit(path).finally(release));
      reports.set(path, report);
    }
    return report;
  };
  return {
    get,
    prefetch: (paths) => paths.forEach((path) => void get(path).catch(() => undefined))
  };
}

/** "/" → index, "/reports/weekly" → reports-weekly. */
export function screenshotName(path: string): string {
  const name = new URL(path, "http://x").pathname.replace(/^\/|\.html$|\/$/g, "").replaceAll("/", "-");
  return name || "index";
}

/** data: and same-origin blob: URLs never reach the network. */
export function isLocal(url: string, origin: string): boolean {
  return url.startsWith("data:") || new URL(url).origin === origin;
}

/**
 * Framework marks nothing while a cell awaits (a DuckDB query shows nothing until it returns), so
 * "rendered" means: no inline loading placeholder, no request in flight, and neither the DOM nor the
 * network has changed for quietMs.
 */
async function waitForRender(
  page: Page,
  network: {inFlight: number; lastActivity: number},
  quietMs: number,
  deadline: number
): Promise<void> {
  for (;;) {
    const state = await page.evaluate(() => ({
      loading: document.querySelectorAll("observablehq-loading").length,
      lastMutation: (globalThis as {__lastMutationAt?: number}).__lastMutationAt ?? 0,
      now: Date.now()
    }));
    const quietFor = Math.min(state.now - state.lastMutation, Date.now() - network.lastActivity);
    if (state.loading === 0 && network.inFlight <= 0 && quietFor >= quietMs) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${page.url()} did not finish rendering: ${state.loading} loading placeholders, ${network.inFlight} requests in flight`
      );
    }
    await page.waitForTimeout(100);
  }
}

// Runs in the page before its own scripts: globalThis.__lastMutationAt is the time of the last DOM
// change. A string, since tsx would inject helpers into a function.
export const watchMutations = `{
  const mark = () => (globalThis.__lastMutationAt = Date.now());
  mark();
  new MutationObserver(mark).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
}`;

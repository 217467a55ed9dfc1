// Every built page, opened in Chromium from a local static server at a phone's width (390 px), a
// laptop's (1280 px) and a wide screen's (1440 px): it must render without errors and without asking any
// other origin for anything (the site is opened offline by its readers), link only to files of the
// site, not scroll sideways (nor any table in its box: tables stack their rows on a phone), and draw no
// chart text label over another (their bounding boxes do not intersect). Each page is loaded once, at
// the phone's width, then resized to the wider ones and measured again once still (visitPage's
// resizeTo): every check of a width reads that width's report. The visits run a few at a time
// (visitPool).
import type {Page} from "playwright-core";
import {beforeAll, describe, expect, test} from "vitest";
import {visitPage, visitPool, type PageReport} from "./browser.js";
import {measureLayout, type Layout} from "./layout.js";
import {findFile, listPages} from "./server.js";
import {builtSite, serveSite} from "./site.js";

const {dist, screenshotDir} = builtSite("index.html");
const pages = listPages(dist);
const widths = [
  ["phone", {width: 390, height: 844}],
  ["laptop", {width: 1280, height: 800}],
  ["wide", {width: 1440, height: 900}]
] as const;

/**
 * Layout faults still open (issue #15), as measured on 2026-12-05 at phone width: these pages draw
 * chart labels over each other. A listed fault must still occur, so that fixing one fails here until
 * it leaves the list: the list only shrinks. (No page is too wide now.)
 */
const KNOWN_TOO_WIDE: readonly string[] = [];
const KNOWN_OVERLAPS: readonly string[] = [];
/**
 * Pages whose charts cut a label at their edge: none now. Bake-off (a legend's end tick, a long category
 * name, the p95 budget's label), the judges' and launch gate's names at phone width and the sample
 * notebook's band names, cut when the check came on 2026-12-05, are fixed; the list stays to hold any
 * fault found later while it is fixed, and only shrinks.
 */
const KNOWN_CUT: readonly string[] = [];
/**
 * Pages with an axis of figures squeezed to one tick at phone width: none now. Bake-off's, drift's, the
 * judges' and the launch gate's, measured on 2026-12-05 when the check came, are fixed (names wrap in a
 * third of the width at most; a gate's tick count grows until two fall in its domain).
 */
const KNOWN_SQUEEZED: readonly string[] = [];
/**
 * Pages with a table wider than its box or the page's column. None now: the eight with a prose table,
 * listed when the first check came on 2026-12-05, and the nine whose tables of figures scrolled inside
 * their box on a phone (2026-12-07: the brief's gate tables hid their verdicts past 326 px, the traces'
 * cost table its costs) stack their rows below 560 px (stackOnPhone, components/stackedTable.ts).
 */
const KNOWN_WIDE_TABLES: readonly string[] = [];

const site = serveSite(dist);
const visits = visitPool(async (path: string): Promise<Map<string, PageReport & Layout>> => {
  const layouts = new Map<number, Layout>();
  const inspect = async (page: Page, {width}: {width: number}) => void layouts.set(width, await measureLayout(page));
  const [[, first], ...rest] = widths;
  const report = await visitPage(site.browser, site.server.origin, path, {
    screenshotDir,
    viewport: first,
    screenshotSuffix: `-${first.width}`,
    resizeTo: rest.map(([, viewport]) => ({viewport, screenshotSuffix: `-${viewport.width}`})),
    inspect
  });
  const byWidth = [report, ...report.resized];
  return new Map(widths.map(([name, {width}], i) => [name, {...byWidth[i], ...layouts.get(width)!}]));
});
// Every page's visit starts at once, so the last pages render while the first ones' checks run.
beforeAll(() => visits.prefetch(pages));

describe.each(widths)("every page at %s width", (name, viewport) => {
  const visit = async (path: string) => (await visits.get(path)).get(name)!;

  test.each(pages)("%s renders with no third-party request, no console error and no error cell", async (path) => {
    const report = await visit(path);
    expect.soft(report.thirdParty, `third-party requests from ${path}`).toEqual([]);
    expect.soft(report.pageErrors, `page errors on ${path}`).toEqual([]);
    expect.soft(report.consoleErrors, `console errors on ${path}`).toEqual([]);
    expect.soft(report.errorCells, `Framework error cells on ${path}`).toEqual([]);
    expect.soft(report.failed, `failed requests from ${path}`).toEqual([]);
    expect.soft(report.duplicateIds, `ids used twice on ${path}`).toEqual([]);
  });

  // The site is opened from any static host; not every host maps /page to /page.html.
  test.each(pages)("%s links only to files that exist in the built site", async (path) => {
    const report = await visit(path);
    // blob: links are downloads the page makes of its own rows (Explore), not files of the site.
    const local = report.links
      .map((href) => new URL(href))
      .filter((url) => url.protocol !== "blob:" && url.origin === site.server.origin);
    const broken = local.filter((url) => !findFile(dist, url.pathname, {cleanUrls: false})).map((url) => url.pathname);
    expect(broken, `links on ${path} to no file in ${dist} (link to the .html file)`).toEqual([]);
  });

  test("the index requests nothing but the local origin", async () => {
    const report = await visit("/");
    if (name === "laptop")
      console.info(`${report.requests.length} requests from ${report.url}:\n${report.requests.join("\n")}`);
    expect(report.requests.length).toBeGreaterThan(0);
    expect(
      report.requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== site.server.origin)
    ).toEqual([]);
  });

  test.each(pages)(`%s is no wider than ${viewport.width} px`, async (path) => {
    const report = await visit(path);
    if (KNOWN_TOO_WIDE.includes(`${path}@${viewport.width}`))
      expect(
        report.scrollWidth,
        `${path} fits ${viewport.width} px now: remove it from KNOWN_TOO_WIDE`
      ).toBeGreaterThan(viewport.width);
    else
      expect(report.scrollWidth, `document scrollWidth of ${path} at ${viewport.width} px`).toBeLessThanOrEqual(
        viewport.width
      );
  });

  test.each(pages)("%s draws no chart label over another", async (path) => {
    const {overlaps} = await visit(path);
    if (KNOWN_OVERLAPS.includes(`${path}@${name}`))
      expect(
        overlaps.length,
        `${path} has no overlapping labels at ${name} width now: remove it from KNOWN_OVERLAPS`
      ).toBeGreaterThan(0);
    else expect(overlaps, `overlapping chart labels on ${path} at ${name} width`).toEqual([]);
  });

  test.each(pages)("%s cuts no chart label at its chart's edge", async (path) => {
    const {cut} = await visit(path);
    if (KNOWN_CUT.includes(`${path}@${name}`))
      expect(cut.length, `${path} cuts no label at ${name} width now: remove it from KNOWN_CUT`).toBeGreaterThan(0);
    else expect(cut, `chart labels cut on ${path} at ${name} width`).toEqual([]);
  });

  test.each(pages)("%s draws every axis of figures with more than one tick", async (path) => {
    const {squeezed} = await visit(path);
    if (KNOWN_SQUEEZED.includes(`${path}@${name}`))
      expect(
        squeezed.length,
        `${path} has no axis squeezed to one tick at ${name} width now: remove it from KNOWN_SQUEEZED`
      ).toBeGreaterThan(0);
    else expect(squeezed, `axes squeezed to one tick on ${path} at ${name} width`).toEqual([]);
  });

  test.each(pages)("%s holds no table wider than its box", async (path) => {
    const {wideTables} = await visit(path);
    if (KNOWN_WIDE_TABLES.includes(`${path}@${name}`))
      expect(
        wideTables.length,
        `${path} has no table wider than its box at ${name} width now: remove it from KNOWN_WIDE_TABLES`
      ).toBeGreaterThan(0);
    else expect(wideTables, `tables scrolling sideways on ${path} at ${name} width`).toEqual([]);
  });
});

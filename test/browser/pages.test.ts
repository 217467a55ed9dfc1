// Every built page, opened in Chromium from a local static server: it must render without errors
// and without asking any other origin for anything (the site is opened offline by its readers).
import {describe, expect, test} from "vitest";
import {visitPage, type PageReport} from "./browser.js";
import {findFile, listPages} from "./server.js";
import {builtSite, serveSite} from "./site.js";

const {dist, screenshotDir} = builtSite("index.html");
const pages = listPages(dist);

describe(`built site ${dist}`, () => {
  const site = serveSite(dist);
  // Each page is opened once; its tests share the report.
  const reports = new Map<string, Promise<PageReport>>();
  const visit = (path: string): Promise<PageReport> => {
    if (!reports.has(path)) reports.set(path, visitPage(site.browser, site.server.origin, path, {screenshotDir}));
    return reports.get(path)!;
  };

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
    console.info(`${report.requests.length} requests from ${report.url}:\n${report.requests.join("\n")}`);
    expect(report.requests.length).toBeGreaterThan(0);
    expect(
      report.requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== site.server.origin)
    ).toEqual([]);
  });
});

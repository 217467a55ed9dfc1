// The hostile workspace (test/hostile/workspace.ts), built into its own folder and opened page by
// page: payloads planted in every text field must render as text, never run, and names such as
// "constructor" or "__proto__" must not break a page.
import {afterAll, describe, expect, test} from "vitest";
import {visitPage, visitPool, type PageReport} from "./browser.js";
import {measureLayout, type Layout} from "./layout.js";
import {listPages} from "./server.js";
import {buildSite, serveSite} from "./site.js";
import {removeWarehouse} from "../integration/dataLoaders.js";
import {awaitedHostileSite} from "../hostile/builtSite.js";
import {payloads, planted, writeHostileWorkspace} from "../hostile/workspace.js";
import {caseHref} from "../../src/components/caseLinks.js";

describe("a site built from the hostile workspace", () => {
  const {root} = writeHostileWorkspace();
  // Registered first, so it runs last: after-hooks run as a stack.
  afterAll(() => removeWarehouse(root));
  // HOSTILE_SITE serves a site this suite built before (its folder is printed), to iterate on pages without
  // rebuilding; else the one npm test's build.test.ts built from the same code (test/hostile/builtSite.ts),
  // waited for while WORKBENCH_NPM_TEST_RUNNING names a file that exists (.ci/run, where npm test runs
  // beside this suite); else it builds its own.
  const site = serveSite(
    async () =>
      process.env.HOSTILE_SITE ??
      (await awaitedHostileSite(process.env.WORKBENCH_NPM_TEST_RUNNING)) ??
      buildSite(root, "hostile"),
    {timeout: 1_500_000}
  );
  // At a phone's width, where long unbroken names (payloads, "__proto__…") are likeliest to push a page
  // sideways or out of its chart: each page is measured with the sample site's layout checks too.
  const phone = {width: 390, height: 844};
  const visits = visitPool(async (path): Promise<PageReport & Layout> => {
    let layout: Layout | undefined;
    const report = await visitPage(site.browser, site.server.origin, path, {
      screenshotDir: "test/output/screenshots/hostile",
      viewport: phone,
      inspect: async (page) => void (layout = await measureLayout(page))
    });
    return {...report, ...layout!};
  });

  test("has every page of the site", () => {
    console.info(`hostile site: ${site.root}`);
    expect(listPages(site.root).length).toBeGreaterThanOrEqual(13);
  });

  // The page list is known only once the site is built, so one test walks them all.
  test(
    "every page renders with no console error, no error cell, no executed payload and no layout fault at 390 px",
    {timeout: 900_000},
    async () => {
      const problems: Record<string, Partial<PageReport>> = {};
      visits.prefetch(listPages(site.root));
      for (const path of listPages(site.root)) {
        const r = await visits.get(path);
        const bad = {
          pageErrors: r.pageErrors,
          consoleErrors: r.consoleErrors,
          errorCells: r.errorCells,
          dialogs: r.dialogs,
          scriptLinks: r.scriptLinks,
          thirdParty: r.thirdParty,
          tooWide: r.scrollWidth > phone.width ? [`${r.scrollWidth} px wide`] : [],
          overlaps: r.overlaps,
          cut: r.cut,
          squeezed: r.squeezed,
          wideTables: r.wideTables
        };
        const found = Object.fromEntries(Object.entries(bad).filter(([, v]) => v.length));
        if (r.pwned !== undefined) Object.assign(found, {pwned: r.pwned});
        if (Object.keys(found).length) problems[path] = found;
      }
      expect(problems).toEqual({});
    }
  );

  // The case view renders free text from the Parquet export, not from page JSON: each kind of case,
  // opened on rows whose text and ids are payloads, shows them as text.
  test("case views show planted HTML as text and run none of it", {timeout: 300_000}, async () => {
    const cases = [
      {href: caseHref({kind: "flag", flag_id: "flag-0"}), texts: [payloads[3], payloads[1], payloads[2]]},
      {href: caseHref({kind: "trace", trace_id: "trace-0"}), texts: [payloads[0]]},
      {href: caseHref({kind: "eval", case_id: "case-0"}), texts: [payloads[0], payloads[1]]},
      {href: caseHref({kind: "correction", event_id: "c-1"}), texts: [payloads[1].replaceAll('"', "'")]},
      {
        href: caseHref({kind: "list", table: "eval_results", where: {run_id: `run-${payloads[0]}`}}),
        texts: [payloads[0]]
      }
    ];
    // Visited two at a time (visitPool), checked in order.
    const caseVisits = visitPool(async (href: string) => {
      let shown = "";
      const report = await visitPage(site.browser, site.server.origin, href.replace("./", "/"), {
        screenshotDir: "test/output/screenshots/hostile",
        screenshotSuffix: `-${new URLSearchParams(href.split("?")[1]).get("kind")}`,
        inspect: async (page) => void (shown = await page.locator("#observablehq-main").innerText())
      });
      return {r: report, shown};
    });
    caseVisits.prefetch(cases.map((c) => c.href));
    for (const {href, texts} of cases) {
      const {r, shown} = await caseVisits.get(href);
      expect({
        href,
        pwned: r.pwned,
        dialogs: r.dialogs,
        errors: [...r.pageErrors, ...r.consoleErrors, ...r.errorCells]
      }).toEqual({
        href,
        pwned: undefined,
        dialogs: [],
        errors: []
      });
      expect(shown, href).not.toContain("in this site's data");
      for (const text of texts) expect(shown, href).toContain(text);
    }
    // An eval case's input and expected output, planted <script> and <img onerror>, show as text (redacted).
    const evalPage = await site.open(caseHref({kind: "eval", case_id: "case-0"}).replace("./", "/"), ".case-fields");
    const shownText = (column: string) => evalPage.locator(`.case-result [data-text="${column}"]`).innerText();
    expect(await shownText("input_excerpt")).toBe(`${payloads[0]} mail [email]`);
    const expected = await shownText("expected_excerpt");
    expect(expected.startsWith(`${payloads[1]} key `)).toBe(true);
    expect(expected).not.toContain(planted.key);
    expect(await evalPage.locator(".case-result [data-text] script, .case-result [data-text] img").count()).toBe(0);
    expect(await evalPage.evaluate(() => (window as unknown as {__pwned?: unknown}).__pwned)).toBeUndefined();
    // The flag names its trace: the link opens that trace's spans, whose names are payloads too.
    const page = await site.open(caseHref({kind: "flag", flag_id: "flag-0"}).replace("./", "/"), ".case-fields");
    await Promise.all([page.waitForURL(/kind=trace/), page.locator("a", {hasText: "trace-0"}).click()]);
    await page.locator("#case-spans").waitFor({timeout: 60_000});
    expect(new URL(page.url()).searchParams.get("trace_id")).toBe("trace-0");
    expect(await page.locator("#case-spans tbody").innerText()).toContain(payloads[0]);
    expect(await page.evaluate(() => (window as unknown as {__pwned?: unknown}).__pwned)).toBeUndefined();
  });
});

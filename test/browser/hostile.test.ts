// The hostile workspace (test/hostile/workspace.ts), built into its own folder and opened page by
// page: payloads planted in every text field must render as text, never run, and names such as
// "constructor" or "__proto__" must not break a page.
import {afterAll, describe, expect, test} from "vitest";
import {visitPage, type PageReport} from "./browser.js";
import {listPages} from "./server.js";
import {buildSite, serveSite} from "./site.js";
import {removeWarehouse} from "../integration/dataLoaders.js";
import {writeHostileWorkspace} from "../hostile/workspace.js";

describe("a site built from the hostile workspace", () => {
  const {root} = writeHostileWorkspace();
  // Registered first, so it runs last: after-hooks run as a stack.
  afterAll(() => removeWarehouse(root));
  // HOSTILE_SITE serves a site this suite built before (its folder is printed), to iterate on pages without rebuilding.
  const site = serveSite(() => process.env.HOSTILE_SITE ?? buildSite(root, "hostile"), {timeout: 900_000});
  const reports = new Map<string, Promise<PageReport>>();
  const visit = (path: string) => {
    if (!reports.has(path))
      reports.set(
        path,
        visitPage(site.browser, site.server.origin, path, {screenshotDir: "test/output/screenshots/hostile"})
      );
    return reports.get(path)!;
  };

  test("has every page of the site", () => {
    console.info(`hostile site: ${site.root}`);
    expect(listPages(site.root).length).toBeGreaterThanOrEqual(13);
  });

  // The page list is known only once the site is built, so one test walks them all.
  test(
    "every page renders with no console error, no error cell and no executed payload",
    {timeout: 900_000},
    async () => {
      const problems: Record<string, Partial<PageReport>> = {};
      for (const path of listPages(site.root)) {
        const r = await visit(path);
        const bad = {
          pageErrors: r.pageErrors,
          consoleErrors: r.consoleErrors,
          errorCells: r.errorCells,
          dialogs: r.dialogs,
          scriptLinks: r.scriptLinks,
          thirdParty: r.thirdParty
        };
        const found = Object.fromEntries(Object.entries(bad).filter(([, v]) => v.length));
        if (r.pwned !== undefined) Object.assign(found, {pwned: r.pwned});
        if (Object.keys(found).length) problems[path] = found;
      }
      expect(problems).toEqual({});
    }
  );
});

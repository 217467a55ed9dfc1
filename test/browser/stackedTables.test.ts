// Prose tables on a phone (stackOnPhone, src/components/stackedTable.ts; table.stacked in style.css):
// pages.test.ts checks that no such table is wider than its box; this checks that the stacked rows stay
// readable, each value under its own column's name, and that a laptop still gets the columns. Run after
// npm run build: npm run test:browser.
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {builtSite, serveSite} from "./site.js";

const {dist} = builtSite("launch-gate.html");
const site = serveSite(dist);

/** Per stacked table: the headings as drawn, and per body row the label each cell prints before itself. */
const readTables = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("#observablehq-main table.stacked")].map((table) => ({
      testid: (table as HTMLElement).dataset.testid,
      theadShown: getComputedStyle(table.querySelector("thead")!).display !== "none",
      rowDisplay: getComputedStyle(table.querySelector("tbody tr")!).display,
      // Headings with their parts (a <div> under "Baseline") split by a space, as a reader sees them.
      headings: [...table.querySelectorAll("thead th")].map((th) =>
        [...th.childNodes]
          .map((n) => n.textContent!.trim())
          .filter(Boolean)
          .join(" ")
      ),
      printed: [...table.querySelectorAll("tbody tr")].map((tr) =>
        [...tr.children].map((cell) => getComputedStyle(cell, "::before").content)
      )
    }))
  );

describe("prose tables stack on a phone", () => {
  test("at 390 px the launch gate's, safety's and the bake-off's category rows are blocks, every cell but the first after its column's name", async () => {
    for (const [path, ready] of [
      ["/launch-gate", "[data-testid=gates]"],
      ["/safety", "#open-flags"],
      ["/bakeoff", "[data-testid=category-recommendations]"]
    ]) {
      const page = await site.open(path, ready, {width: 390, height: 844});
      try {
        const tables = await readTables(page);
        expect(tables.length, `stacked tables on ${path}`).toBeGreaterThan(0);
        // The launches at the top had five columns that cut their evidence off at 390 px.
        if (path === "/launch-gate") expect(tables.map((t) => t.testid)).toEqual(["launch-summary", "gates"]);
        // Six columns per category cut the best option and the saving off at 390 px.
        if (path === "/bakeoff") expect(tables.map((t) => t.testid)).toContain("category-recommendations");
        for (const t of tables) {
          expect(t.theadShown).toBe(false);
          expect(t.rowDisplay).toBe("block");
          expect(t.printed.length).toBeGreaterThan(0);
          for (const cells of t.printed) {
            expect(cells).toHaveLength(t.headings.length);
            // The first cell is the row's title and prints no label; the others print "Heading: ".
            expect(cells[0]).toBe("none");
            expect(cells.slice(1)).toEqual(t.headings.slice(1).map((h) => JSON.stringify(`${h}: `)));
          }
        }
      } finally {
        await page.context().close();
      }
    }
  });

  test("at 1280 px the same tables keep their columns and headings, with no label printed", async () => {
    const page = await site.open("/launch-gate", "[data-testid=gates]");
    try {
      const tables = await readTables(page);
      expect(tables.length).toBeGreaterThan(0);
      for (const t of tables) {
        expect(t.theadShown).toBe(true);
        expect(t.rowDisplay).toBe("table-row");
        for (const cells of t.printed) expect(new Set(cells)).toEqual(new Set(["none"]));
      }
    } finally {
      await page.context().close();
    }
  });
});

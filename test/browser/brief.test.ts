// The capability brief in Chromium, on the built sample site: it renders without errors, tells the
// four planted stories with their numbers, links every figure to a page and heading that exist (and
// opens that page on the figure's slice), and prints to A4 and Letter as one sheet for the portfolio
// and one per feature, each sheet with content and nothing wider than the paper. PDF sheets are
// rasterized with poppler's pdftoppm (poppler-utils), the PDFs and PNGs kept in test/output/brief/.
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {visitPage} from "./browser.js";
import {findFile} from "./server.js";
import {builtSite, serveSite} from "./site.js";

const {projectRoot, dist, screenshotDir} = builtSite("brief.html");
const printDir = join(projectRoot, "test", "output", "brief");
for (const tool of ["/usr/bin/pdftoppm", "/usr/bin/pdfinfo"]) {
  if (!existsSync(tool))
    throw new Error(
      `${tool} is missing: install poppler-utils (apt-get install poppler-utils) to check the printed brief.`
    );
}

const site = serveSite(dist);

describe("the capability brief", () => {
  test("renders with no error, no failed request and no third-party request", async () => {
    const report = await visitPage(site.browser, site.server.origin, "/brief.html", {screenshotDir});
    expect.soft(report.pageErrors).toEqual([]);
    expect.soft(report.consoleErrors).toEqual([]);
    expect.soft(report.errorCells).toEqual([]);
    expect.soft(report.failed).toEqual([]);
    expect(report.thirdParty).toEqual([]);
  });

  test("names the planted regression, the near-gate launch, the drift and the correction hot spot, each with its number", async () => {
    const page = await site.open("/brief.html", "[data-feature=autocomplete]");
    const section = (feature: string) => page.locator(`[data-feature="${feature}"]`).innerText();
    const summarization = await section("ticket-summarization");
    expect(summarization).toContain("HOLD");
    expect(summarization).toMatch(
      /prompt sum-v3 → sum-v4 took the pass rate from 89\.7% to 81\.3%.+inputs of 10k–20k characters: 81\.8% → 34\.1%/s
    );
    const chat = await section("support-chat");
    expect(chat).toContain(
      "Investigate: claude-sonnet-4 · chat-v7 is not yet conclusive on refusal rate, 1.5% against ≤ 3.0%."
    );
    expect(chat).toMatch(
      /data-export-request is 1\d\.\d% \[[\d.]+%–[\d.]+%\] n = \d+ of requests in the week of 2026-11-16/
    );
    expect(await section("autocomplete")).toMatch(/users in the enterprise segment ignore 4\d\.\d% of outputs/i);
    expect(await page.locator("[data-testid=brief-stamp]").innerText()).toMatch(
      /^Data from 2026-09-12 to 2026-11-20 · review period 2026-11-13 → 2026-11-20 · built \d{4}-\d\d-\d\d \d\d:\d\d UTC · prose composed from the facts\.$/
    );
  });

  test("links every figure to a page of the site and to a heading that page has", async () => {
    const page = await site.open("/brief.html", "[data-feature=autocomplete]");
    const hrefs: string[] = await page
      .locator("a.fact")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(50);
    for (const href of [...new Set(hrefs)]) {
      const url = new URL(href);
      expect(url.origin).toBe(site.server.origin);
      const file = findFile(dist, url.pathname, {cleanUrls: false});
      expect(file, `${href}: no such page`).toBeDefined();
      expect(readFileSync(file!.path, "utf8"), `${href}: no heading ${url.hash} on the page`).toContain(
        `id="${url.hash.slice(1)}"`
      );
    }
  });

  test("a figure's link opens its page on the figure's slice", async () => {
    const brief = await site.open("/brief.html", "[data-feature=autocomplete]");
    const driftHref = await brief
      .locator('[data-feature="support-chat"] [data-risk=untested-category] a.fact')
      .first()
      .getAttribute("href");
    const drift = await site.open(`/${driftHref!.replace(/^\.\//, "")}`, "#new-categories");
    expect(await drift.locator("#new-categories").innerText()).toContain("data-export-request");
    const gateHref = await brief
      .locator('[data-feature="ticket-summarization"] [data-testid=brief-gates] a.fact')
      .first()
      .getAttribute("href");
    const gate = await site.open(`/${gateHref!.replace(/^\.\//, "")}`, "[data-testid=launch-verdict]");
    expect(await gate.locator("[data-testid=launch-verdict]").innerText()).toContain("NO-GO");
  });

  // A whole-period figure says so next to it, on the brief and on the page its link opens, in the same words.
  test("a figure's scope reads the same on the brief and on the page it links to", async () => {
    const brief = await site.open("/brief.html", "[data-feature=autocomplete]");
    const scopeOf = (text: string) => text.match(/whole period, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/)?.[0];

    // The hot spot's period is the corrections file's first and last day, read here from the raw file.
    const days = readFileSync(join(projectRoot, "data", "sample", "corrections.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => String(JSON.parse(l).at).slice(0, 10))
      .sort();
    const correctionsScope = `whole period, ${days[0]} to ${days.at(-1)}`;
    const spot = brief.locator('[data-feature="autocomplete"] [data-risk=hot-spot]');
    expect(await spot.innerText()).toContain(`of outputs over the ${correctionsScope}`);
    const spotHref = await spot.locator("a.fact").first().getAttribute("href");
    const corrections = await site.open(`/${spotHref!.replace(/^\.\//, "")}`, "#hot-spots");
    // The lede is filled in once the page's data has loaded: poll up to the suite's render deadline, not 1 s.
    await expect
      .poll(() => corrections.locator(".lede").innerText(), {timeout: 60_000})
      .toContain(`Every figure covers the ${correctionsScope}`);

    // The cost per request: the budget table's row, then the traces page's card and cost section.
    const row = brief.locator('[data-feature="support-chat"] [data-testid=brief-budget] tr', {
      hasText: "Cost per request"
    });
    const costScope = scopeOf(await row.innerText());
    expect(costScope).toBeDefined();
    const costHref = await row.locator("a.fact").first().getAttribute("href");
    expect(costHref).toMatch(/traces\.html\?feature=support-chat#tokens-and-cost-per-request$/);
    const traces = await site.open(`/${costHref!.replace(/^\.\//, "")}`, "#trace-cards");
    // The section's sentence is an inline expression, filled in once the page's data has loaded.
    await expect.poll(() => traces.locator("[data-testid=cost-scope]").innerText()).toContain(`over the ${costScope}:`);
    expect(await traces.locator("#trace-cards").innerText()).toContain("Cost per request (mean) · whole period");

    // The latest period's p95: the brief's row names its week, and the traces page's card for the
    // same feature names the same week with the same value.
    const latencyRow = brief.locator('[data-feature="support-chat"] [data-testid=brief-budget] tr', {
      hasText: /Latency p95, the week of/
    });
    const [week] = (await latencyRow.innerText()).match(/the week of \d{4}-\d\d-\d\d/)!;
    const card = traces.locator("#trace-cards .card", {hasText: `Latency p95 · ${week}`});
    expect(await card.count()).toBe(1);
    const value = (await card.locator(".big").innerText()).trim();
    expect(await latencyRow.innerText()).toContain(value);
  });
});

/** Share of a grayscale PGM (P5) image's pixels darker than paper. */
function inkShare(pgm: Buffer): number {
  const header = pgm.toString("latin1", 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error("not a binary PGM image");
  const [, width, height] = header.map(Number);
  const pixels = pgm.subarray(header[0].length, header[0].length + width * height);
  return pixels.reduce((dark, v) => dark + (v < 200 ? 1 : 0), 0) / pixels.length;
}

// Printable width at the 13 mm side margins of brief.css's @page, in CSS pixels.
const sheets = {A4: {widthMm: 210}, Letter: {widthMm: 215.9}} as const;

describe.each(Object.keys(sheets) as (keyof typeof sheets)[])("printed on %s", (format) => {
  test("gives one sheet for the portfolio and one per feature, each with content, nothing wider than the paper", async () => {
    const printable = Math.floor(((sheets[format].widthMm - 26) * 96) / 25.4);
    const page = await site.open("/brief.html", "[data-feature=autocomplete]", {width: printable, height: 1000});
    await page.emulateMedia({media: "print"});
    const overflowing = await page.evaluate(() => {
      const main = document.querySelector("#observablehq-main")!.getBoundingClientRect();
      return [
        ...document.querySelectorAll(
          "#observablehq-main svg, #observablehq-main table, #observablehq-main .brief-block"
        )
      ]
        .filter((el) => el.getBoundingClientRect().right > main.right + 1 || el.scrollWidth > el.clientWidth + 1)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} right ${Math.round(el.getBoundingClientRect().right)} > ${Math.round(main.right)}`
        );
    });
    expect(overflowing).toEqual([]);
    const features = await page.locator("[data-feature]").count();
    mkdirSync(printDir, {recursive: true});
    const pdf = join(printDir, `brief-${format}.pdf`);
    await page.pdf({path: pdf, format});
    const sheetCount = Number(
      execFileSync("/usr/bin/pdfinfo", [pdf], {encoding: "utf8"}).match(/^Pages:\s+(\d+)/m)![1]
    );
    expect(sheetCount, "a section spilled onto a second sheet").toBe(1 + features);
    for (const f of readdirSync(printDir).filter((f) => f.startsWith(`brief-${format}-`))) rmSync(join(printDir, f));
    execFileSync("/usr/bin/pdftoppm", ["-r", "40", "-gray", pdf, join(printDir, `brief-${format}`)]);
    execFileSync("/usr/bin/pdftoppm", ["-r", "70", "-png", pdf, join(printDir, `brief-${format}`)]);
    const rasters = readdirSync(printDir)
      .filter((f) => f.startsWith(`brief-${format}-`) && f.endsWith(".pgm"))
      .sort();
    expect(rasters).toHaveLength(sheetCount);
    for (const raster of rasters)
      expect(inkShare(readFileSync(join(printDir, raster))), `${raster} is blank`).toBeGreaterThan(0.005);
  });
});

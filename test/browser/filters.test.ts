// Filters that recompute a page in the browser, and the downloads of the rows behind its tables.
// Corrections: the unfiltered page loads no DuckDB-wasm and no Parquet; choosing the enterprise segment
// recomputes the rates to those of the sample's raw enterprise events (read here from the workspace
// file, independently of the loaders), which makes the planted story visible; the filter lives in the
// URL; and a table's CSV holds exactly the rows the table shows. Run after npm run build.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtInt, fmtPct} from "../../src/components/format.js";
import {wilsonInterval} from "../../src/lib/metrics/wilson.js";
import {builtSite, failThenRecover, serveSite, type ServedSite} from "./site.js";

const {projectRoot, dist, screenshotDir} = builtSite("corrections.html");

type Event = {
  event_id: string;
  feature: string;
  segment?: string;
  category?: string;
  action: string;
  original_text?: string;
  edited_text?: string;
  edit_distance?: number;
};
const events: Event[] = readFileSync(join(projectRoot, "data", "sample", "corrections.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

/** Events and the ignored share among the raw rows that pass `keep`. */
function ignored(keep: (e: Event) => boolean) {
  const kept = events.filter(keep);
  return wilsonInterval(kept.filter((e) => e.action === "ignored").length, kept.length);
}

const heavy = (url: string) => /duckdb|\.parquet/.test(url);

const open = (site: ServedSite, path: string) => site.watch(path, "#correction-cards");

const cardValue = (page: Page, label: string) =>
  page
    .locator("#correction-cards .card", {has: page.locator("h2", {hasText: new RegExp(`^${label}$`)})})
    .locator(".big");

async function expectIgnored(page: Page, rate: ReturnType<typeof wilsonInterval>) {
  await expect.poll(() => cardValue(page, "Outputs acted on").innerText(), {timeout: 60_000}).toBe(fmtInt(rate.n));
  await expect.poll(() => cardValue(page, "Ignored").innerText()).toBe(fmtPct(rate.rate));
}

describe("corrections filters of the sample site", () => {
  const site = serveSite(dist);
  const autocomplete = (e: Event) => e.feature === "autocomplete";

  // A read of the exported events that failed is read again by the next filter (src/lib/remembered.ts);
  // meanwhile one message at the filters says so, and no section shows figures from before the filter.
  test("a dropped fetch of the events is said once at the filters, and the next filter reads them again and answers", async () => {
    const {page, close} = await open(site, "/corrections.html?feature=autocomplete");
    try {
      await expectIgnored(page, ignored(autocomplete));
      const dropped = await failThenRecover(page, {
        select: page.locator("#correction-filters").getByLabel("Segment", {exact: true}),
        value: "enterprise",
        drop: /\/corrections\.[0-9a-f]+\.parquet/,
        stale: "#correction-cards, #events-download, table",
        recovered: () =>
          expectIgnored(
            page,
            ignored((e) => autocomplete(e) && e.segment === "enterprise")
          )
      });
      expect(dropped).toHaveLength(1);
    } finally {
      await close();
    }
  });

  test("unfiltered loads no DuckDB; choosing enterprise recomputes the rates from the raw enterprise rows and writes the URL", async () => {
    const {page, requests, errors, close} = await open(site, "/corrections.html");
    // Unfiltered, the events download is the exported Parquet file itself (not fetched until clicked).
    expect(await page.locator("#events-download").getAttribute("href")).toMatch(/corrections\.[0-9a-f]+\.parquet$/);
    await page
      .locator("form", {has: page.locator("label", {hasText: /^Feature$/})})
      .locator("select")
      .selectOption("autocomplete");
    await expectIgnored(page, ignored(autocomplete));
    await page.waitForTimeout(500);
    expect(requests.filter(heavy)).toEqual([]);

    await page.locator("#correction-filters").getByLabel("Segment", {exact: true}).selectOption("enterprise");
    const enterprise = ignored((e) => autocomplete(e) && e.segment === "enterprise");
    await expectIgnored(page, enterprise);
    // The planted story: enterprise ignores autocomplete far more than the feature as a whole.
    expect(enterprise.rate! - ignored(autocomplete).rate!).toBeGreaterThan(0.15);
    expect(enterprise.low!).toBeGreaterThan(ignored((e) => autocomplete(e) && e.segment !== "enterprise").high!);
    expect(new URL(page.url()).searchParams.get("segment")).toBe("enterprise");
    expect(requests.some((u) => /duckdb-.*\.wasm$/.test(u))).toBe(true);
    expect(requests.some((u) => /corrections\.[0-9a-f]+\.parquet/.test(u))).toBe(true);
    expect(errors).toEqual([]);
    await close();
  });

  test("a filter in the URL opens the page recomputed; the by-category CSV holds exactly the rows shown", async () => {
    const {page, errors, close} = await open(site, "/corrections.html?feature=autocomplete&segment=enterprise");
    const slice = (e: Event) => autocomplete(e) && e.segment === "enterprise";
    await expectIgnored(page, ignored(slice));
    await page.getByRole("radio", {name: "Category", exact: true}).check();
    const categories = [...new Set(events.filter(slice).map((e) => e.category ?? "(none)"))];
    const table = page.locator("table.report", {has: page.locator("th", {hasText: /^Category$/})});
    await expect.poll(() => table.locator("tbody tr").count()).toBe(categories.length);
    const shown = (await table.locator("tbody tr").allInnerTexts()).map((row) => row.split("\t"));

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#slices-download").click()]);
    expect(download.suggestedFilename()).toBe("corrections-by-category-segment-enterprise.csv");
    const csv = csvParse(readFileSync(await download.path(), "utf8"));
    expect(csv.columns.slice(0, 4)).toEqual(["feature", "category", "outputs", "accepted_n"]);
    expect(csv.map((r) => r.category)).toEqual(shown.map((cells) => cells[0]));
    csv.forEach((row, i) => {
      const raw = events.filter((e) => slice(e) && (e.category ?? "(none)") === row.category);
      expect(row.feature).toBe("autocomplete");
      expect(Number(row.outputs)).toBe(raw.length);
      expect(fmtInt(Number(row.outputs))).toBe(shown[i][1]);
      const r = ignored((e) => raw.includes(e));
      expect(Number(row.ignored_n)).toBe(r.successes);
      expect(Number(row.ignored_rate)).toBeCloseTo(r.rate!, 6);
      expect(Number(row.ignored_low)).toBeCloseTo(r.low!, 6);
    });

    // The slice's events: exactly the raw enterprise autocomplete events, every exported column.
    const [events_] = await Promise.all([page.waitForEvent("download"), page.locator("#events-download").click()]);
    expect(events_.suggestedFilename()).toBe("corrections-events-autocomplete-segment-enterprise.csv");
    const rows = csvParse(readFileSync(await events_.path(), "utf8"));
    expect(rows.columns).toEqual(
      expect.arrayContaining(["event_id", "at", "feature", "segment", "action", "original_text"])
    );
    const raw = events.filter(slice);
    expect(rows.map((r) => r.event_id).sort()).toEqual(raw.map((e) => e.event_id).sort());
    expect(new Set(rows.map((r) => r.segment))).toEqual(new Set(["enterprise"]));
    expect(errors).toEqual([]);
    await close();
  });

  test("under enterprise, the edit distances and the before/after examples are the enterprise edits of the raw file", async () => {
    const {page, errors, close} = await open(site, "/corrections.html?feature=autocomplete&segment=enterprise");
    const slice = (e: Event) => autocomplete(e) && e.segment === "enterprise";
    await expectIgnored(page, ignored(slice));
    const edited = events.filter((e) => slice(e) && e.action === "edited" && e.original_text && e.edited_text);
    const all = events.filter((e) => autocomplete(e) && e.action === "edited" && e.original_text && e.edited_text);
    expect(edited.length).toBeLessThan(all.length);
    // Every edit with both texts has a distance (reported, or computed at ingest).
    const section = page.locator("p", {hasText: "edited outputs: median"});
    await expect
      .poll(() => section.innerText(), {timeout: 30_000})
      .toContain(`${fmtInt(edited.length)} edited outputs`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#examples-download").click()]);
    expect(download.suggestedFilename()).toBe("corrections-examples-segment-enterprise.csv");
    const shown = csvParse(readFileSync(await download.path(), "utf8"));
    const pairs = new Set(edited.map((e) => `${e.original_text}\u0000${e.edited_text}`));
    expect(shown).toHaveLength(Math.min(6, pairs.size));
    const byId = new Map(edited.map((e) => [e.event_id, e]));
    for (const row of shown) {
      // Each is an enterprise edit of the raw file, with its texts (none of them holds redactable text).
      const e = byId.get(row.event_id)!;
      expect(e, row.event_id).toBeDefined();
      expect([row.segment, row.original_text, row.edited_text]).toEqual(["enterprise", e.original_text, e.edited_text]);
      if (e.edit_distance !== undefined) expect(Number(row.edit_distance)).toBeCloseTo(e.edit_distance, 4);
    }
    // The most heavily edited first: no raw enterprise edit that reports a larger distance than the
    // last one shown is missing, unless the same pair is shown already.
    const distances = shown.map((r) => Number(r.edit_distance));
    expect([...distances].sort((a, b) => b - a)).toEqual(distances);
    const shownPairs = new Set(shown.map((r) => `${r.original_text}\u0000${r.edited_text}`));
    for (const e of edited.filter((x) => (x.edit_distance ?? 0) > distances[distances.length - 1] + 1e-4))
      expect(shownPairs.has(`${e.original_text}\u0000${e.edited_text}`), e.event_id).toBe(true);
    for (const width of [1280, 390]) {
      await page.setViewportSize({width, height: 900});
      await page.locator("#examples-download").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, `corrections-filtered-examples-${width}.png`)});
    }
    expect(errors).toEqual([]);
    await close();
  });
});

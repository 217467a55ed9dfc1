// The drift page's filters in Chromium: the unfiltered page loads no DuckDB-wasm and no Parquet;
// choosing the enterprise segment recomputes the category-mix PSI of support-chat to what the sample's
// raw files say (the eval set's distinct cases from eval_results.jsonl against the enterprise root
// spans of spans.jsonl, PSI written out here); the filter lives in the URL and a URL with a filter
// opens recomputed; the category-mix CSV and the untested-category CSV hold exactly the rows shown;
// quality since launch is the slice's (its CSV against the raw corrections of the slice and its own
// launch baseline). Run after npm run build.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtInt} from "../../src/components/format.js";
import {builtSite, failThenRecover, serveSite} from "./site.js";

const {projectRoot, dist} = builtSite("drift.html");

const read = <T>(file: string): T[] =>
  readFileSync(join(projectRoot, "data", "sample", file), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));

type Span = {parent_span_id?: string; feature?: string; segment?: string; category?: string; start_time: string};
type EvalRow = {suite: string; feature?: string; case_id: string; category?: string};
const roots = read<Span>("spans.jsonl").filter((s) => !s.parent_span_id);
const evals = read<EvalRow>("eval_results.jsonl");
type Correction = {at: string; feature?: string; segment?: string; action: string};
const corrections = read<Correction>("corrections.jsonl");

/** The Monday (UTC) that starts the week of an ISO time, as YYYY-MM-DD. */
function monday(at: string): string {
  const d = new Date(at);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back)).toISOString().slice(0, 10);
}

/** The eval set of support-chat: each distinct case once, with its category. */
const evalCategories = (() => {
  const cases = new Map<string, string | undefined>();
  for (const r of evals)
    if ((r.feature ?? r.suite) === "support-chat") cases.set(`${r.suite}\u0000${r.case_id}`, r.category);
  const counts = new Map<string, number>();
  for (const c of cases.values()) if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
})();

/** PSI of production against the eval set over the union of categories, each share floored at 1e-4. */
function psi(prod: readonly Span[]): number {
  const prodCounts = new Map<string, number>();
  for (const s of prod) if (s.category) prodCounts.set(s.category, (prodCounts.get(s.category) ?? 0) + 1);
  const e = [...evalCategories.values()].reduce((a, b) => a + b, 0);
  const a = [...prodCounts.values()].reduce((x, y) => x + y, 0);
  let sum = 0;
  for (const c of new Set([...evalCategories.keys(), ...prodCounts.keys()])) {
    const pe = Math.max((evalCategories.get(c) ?? 0) / e, 1e-4);
    const pa = Math.max((prodCounts.get(c) ?? 0) / a, 1e-4);
    sum += (pa - pe) * Math.log(pa / pe);
  }
  return sum;
}

const heavy = (url: string) => /duckdb|\.parquet/.test(url);

const open = (site: ReturnType<typeof serveSite>, path: string) => site.watch(path, "#shift-cards");

const psiCard = (page: Page) =>
  page.locator("#shift-cards .card", {has: page.locator("h2", {hasText: /^Category mix · whole period$/})});

async function expectPsi(page: Page, prod: readonly Span[]) {
  await expect.poll(() => psiCard(page).locator(".big").innerText(), {timeout: 60_000}).toBe(psi(prod).toFixed(3));
  const n = prod.filter((s) => s.category).length;
  expect(await psiCard(page).locator(".muted").innerText()).toContain(`vs ${fmtInt(n)} requests`);
}

describe("drift filters of the sample site", () => {
  const site = serveSite(dist);
  const chat = roots.filter((s) => s.feature === "support-chat");
  const enterprise = chat.filter((s) => s.segment === "enterprise");

  test("unfiltered loads no DuckDB; choosing enterprise recomputes the PSI from the raw files and writes the URL", async () => {
    const {page, requests: urls, errors, close} = await open(site, "/drift.html?feature=support-chat");
    await expectPsi(page, chat);
    await page.waitForTimeout(500);
    expect(urls.filter(heavy)).toEqual([]);

    await page.locator("#drift-filters").getByLabel("Segment", {exact: true}).selectOption("enterprise");
    expect(psi(enterprise)).not.toBeCloseTo(psi(chat), 3);
    await expectPsi(page, enterprise);
    expect(new URL(page.url()).searchParams.get("segment")).toBe("enterprise");
    expect(urls.some((u) => /duckdb-.*\.wasm$/.test(u))).toBe(true);
    expect(await page.locator("#drift-filter-note").count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  // A read of the exported requests that failed is read again by the next filter (src/lib/remembered.ts);
  // meanwhile one message at the filters says so, and the sections are empty.
  test("a dropped fetch of the exported requests is said once at the filters, and the next filter reads them again and answers", async () => {
    const {page, close} = await open(site, "/drift.html?feature=support-chat");
    try {
      await expectPsi(page, chat);
      const dropped = await failThenRecover(page, {
        select: page.locator("#drift-filters").getByLabel("Segment", {exact: true}),
        value: "enterprise",
        // The requests are read first: their dropped read fails the slice before the corrections are read.
        drop: /\/requests\.[0-9a-f]+\.parquet/,
        stale: "#shift-cards, #observablehq-main svg, #observablehq-main table",
        recovered: () => expectPsi(page, enterprise)
      });
      expect(dropped).toHaveLength(1);
    } finally {
      await close();
    }
  });

  test("a filter in the URL opens recomputed; the mix and untested-category CSVs hold exactly the rows shown", async () => {
    const {page, errors, close} = await open(site, "/drift.html?feature=support-chat&segment=enterprise");
    await expectPsi(page, enterprise);

    const [mix] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("a.csv-download[download^='drift-category-mix-']").click()
    ]);
    expect(mix.suggestedFilename()).toBe("drift-category-mix-support-chat-segment-enterprise.csv");
    const bins = csvParse(readFileSync(await mix.path(), "utf8"));
    const categories = [
      ...new Set([...evalCategories.keys(), ...enterprise.filter((s) => s.category).map((s) => s.category!)])
    ].sort();
    expect(bins.map((b) => b.label)).toEqual(categories);
    for (const b of bins) {
      expect(Number(b.prodN)).toBe(enterprise.filter((s) => s.category === b.label).length);
      expect(Number(b.evalN)).toBe(evalCategories.get(b.label) ?? 0);
    }

    const table = page.locator("#new-categories");
    const shown = (await table.locator("tbody tr").allInnerTexts()).map((row) =>
      row.split("\t")[0].split("\n")[0].trim()
    );
    const [fresh] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".with-csv", {has: table}).locator(":scope > a.csv-download").click()
    ]);
    expect(fresh.suggestedFilename()).toBe("drift-untested-categories-support-chat-segment-enterprise.csv");
    const rows = csvParse(readFileSync(await fresh.path(), "utf8"));
    expect(rows.map((r) => r.category)).toEqual(shown);
    expect(shown).toContain("data-export-request");
    for (const r of rows) {
      expect(evalCategories.has(r.category)).toBe(false);
      expect(Number(r.requests)).toBe(enterprise.filter((s) => s.category === r.category).length);
    }
    expect(errors).toEqual([]);
    await close();
  });

  test("quality since launch is the slice's: its weekly CSV counts the raw enterprise corrections against their own first 14 days", async () => {
    const {page, errors, close} = await open(site, "/drift.html?feature=autocomplete&segment=enterprise");
    const slice = corrections.filter((c) => c.feature === "autocomplete" && c.segment === "enterprise");
    const all = corrections.filter((c) => c.feature === "autocomplete");
    expect(slice.length).toBeGreaterThan(100);
    const first = Math.min(...slice.map((c) => Date.parse(c.at)));
    const base = slice.filter((c) => Date.parse(c.at) < first + 14 * 86_400_000);
    const baseRate = base.filter((c) => c.action === "accepted").length / base.length;
    const link = page.locator("a.csv-download[download^='drift-quality-accepted-']");
    await link.waitFor({timeout: 60_000});
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("drift-quality-accepted-autocomplete-segment-enterprise.csv");
    const weeks = csvParse(readFileSync(await download.path(), "utf8"));
    const expected = [...new Set(slice.map((c) => monday(c.at)))].sort();
    expect(weeks.map((w) => w.week)).toEqual(expected);
    for (const w of weeks) {
      const inWeek = slice.filter((c) => monday(c.at) === w.week);
      const accepted = inWeek.filter((c) => c.action === "accepted").length;
      expect(Number(w.n)).toBe(inWeek.length);
      expect(Number(w["rate.rate"])).toBeCloseTo(accepted / inWeek.length, 5);
      expect(Number(w["vs.value"])).toBeCloseTo(accepted / inWeek.length - baseRate, 5);
    }
    // The whole feature's weeks hold more corrections: the chart is not the unfiltered one.
    expect(weeks.reduce((a, w) => a + Number(w.n), 0)).toBe(slice.length);
    expect(slice.length).toBeLessThan(all.length);
    expect(errors).toEqual([]);
    await close();
  });
});

// The traces page's filters in Chromium: the unfiltered page loads no DuckDB-wasm, no Parquet and
// neither cells file; choosing a segment fetches the cells (and no DuckDB-wasm nor Parquet) and recomputes the cards to what the sample's raw spans say for that slice (read
// here from the workspace file, independently of the loaders: a request is its trace, its duration
// the root span's, failed if any span failed); the filter lives in the URL, and a URL with a filter
// opens recomputed; the per-model table's CSV holds exactly the rows shown, for the slice; the span-kind
// table counts the slice's spans (the raw model calls of the slice's traces). Run after npm run build.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtInt, fmtMs, fmtPct} from "../../src/components/format.js";
import {builtSite, failThenRecover, serveSite} from "./site.js";

const {projectRoot, dist} = builtSite("traces.html");

type Span = {
  trace_id: string;
  parent_span_id?: string;
  start_time: string;
  duration_ms: number;
  feature?: string;
  segment?: string;
  model?: string;
  kind: string;
  status?: string;
};
const spans: Span[] = readFileSync(join(projectRoot, "data", "sample", "spans.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

type Request = {
  trace_id: string;
  /** The durations of the trace's model calls (llm spans). */
  llm: number[];
  feature?: string;
  segment?: string;
  start: number;
  duration: number;
  failed: boolean;
  model: string;
};
/** One request per trace of the sample (each has one root): the root's attributes and duration, any failed span. */
const requests: Request[] = (() => {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s]);
  return [...byTrace].map(([trace_id, list]) => {
    const root = list.find((s) => !s.parent_span_id)!;
    const models = [...new Set(list.filter((s) => s.kind === "llm" && s.model).map((s) => s.model!))].sort();
    return {
      trace_id,
      llm: list.filter((s) => s.kind === "llm").map((s) => s.duration_ms),
      feature: root.feature,
      segment: root.segment,
      start: Date.parse(root.start_time),
      duration: root.duration_ms,
      failed: list.some((s) => s.status === "error"),
      model: models.join(" + ")
    };
  });
})();

/** Type 7 (linear interpolation between order statistics), written out here to check the page's. */
function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * 0.95;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
}

const heavy = (url: string) => /duckdb|\.parquet/.test(url);
const cellFiles = (url: string) => /trace-(cells|values)\.[0-9a-f]+\.json/.test(url);

const open = (site: ReturnType<typeof serveSite>, path: string, width = 1280) =>
  site.watch(path, "#trace-cards", width);

const card = (page: Page, label: RegExp) =>
  page.locator("#trace-cards .card", {has: page.locator("h2", {hasText: label})}).locator(".big");

async function expectCards(page: Page, kept: Request[]) {
  await expect.poll(() => card(page, /^Requests$/).innerText(), {timeout: 60_000}).toBe(fmtInt(kept.length));
  const scope =
    kept.length === requests.filter((r) => r.feature === "support-chat").length ? "whole period" : "filtered slice";
  expect(await card(page, new RegExp(`^Latency p95 · ${scope}$`)).innerText()).toBe(
    fmtMs(p95(kept.map((r) => r.duration)))
  );
  expect(await card(page, /^Failed requests$/).innerText()).toBe(
    fmtPct(kept.filter((r) => r.failed).length / kept.length)
  );
}

describe("traces filters of the sample site", () => {
  const site = serveSite(dist);
  const chat = (r: Request) => r.feature === "support-chat";

  test("unfiltered loads no DuckDB and no cells; choosing enterprise recomputes the cards from the raw enterprise traces, from the cells alone, and writes the URL", async () => {
    const {page, requests: urls, errors, close} = await open(site, "/traces.html?feature=support-chat");
    await expectCards(page, requests.filter(chat));
    await page.waitForTimeout(500);
    expect(urls.filter(heavy)).toEqual([]);
    expect(urls.filter(cellFiles)).toEqual([]);

    await page.locator("#trace-filters").getByLabel("Segment", {exact: true}).selectOption("enterprise");
    const enterprise = requests.filter((r) => chat(r) && r.segment === "enterprise");
    expect(enterprise.length).toBeGreaterThan(100);
    await expectCards(page, enterprise);
    expect(new URL(page.url()).searchParams.get("segment")).toBe("enterprise");
    expect(new URL(page.url()).searchParams.get("feature")).toBe("support-chat");
    expect(urls.some((u) => /trace-cells\.[0-9a-f]+\.json/.test(u))).toBe(true);
    expect(urls.some((u) => /trace-values\.[0-9a-f]+\.json/.test(u))).toBe(true);
    // The span kinds are the slice's: its traces' model calls, counted and ranked from the raw spans.
    const kinds = page.locator("table", {has: page.locator("th", {hasText: "Span kind"})});
    const llmRow = kinds.locator("tbody tr", {has: page.locator("td", {hasText: /^llm$/})});
    const calls = enterprise.flatMap((r) => r.llm);
    expect(calls.length).toBeLessThan(requests.filter(chat).flatMap((r) => r.llm).length);
    await expect.poll(() => llmRow.locator("td").nth(1).innerText(), {timeout: 60_000}).toBe(fmtInt(calls.length));
    expect(await llmRow.locator("td").nth(3).innerText()).toBe(fmtMs(p95(calls)));
    // The slowest requests are the slice's: its five longest raw traces, ties to the larger trace id.
    const slowest = [...enterprise]
      .sort((a, b) => b.duration - a.duration || (a.trace_id < b.trace_id ? 1 : -1))
      .slice(0, 5);
    const slowTable = page.locator("#slowest").locator("xpath=following::table[1]");
    const slowRows = () =>
      slowTable
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td as HTMLElement).innerText.trim()))
        );
    await expect
      .poll(async () => (await slowRows()).map((cells) => [cells[1], cells[3]]), {timeout: 60_000})
      .toEqual(slowest.map((r) => [r.trace_id.slice(0, 16), fmtMs(r.duration)]));
    // …which are not the whole feature's slowest (so an unfiltered list would fail the check above).
    const whole = [...requests.filter(chat)].sort((a, b) => b.duration - a.duration).slice(0, 5);
    expect(whole.map((r) => r.trace_id)).not.toEqual(slowest.map((r) => r.trace_id));
    // The costliest are the slice's requests too.
    const costTable = page.locator("#most-expensive").locator("xpath=following::table[1]");
    const costIds = await costTable.locator("tbody tr td:nth-child(2)").allInnerTexts();
    expect(costIds).toHaveLength(5);
    const enterpriseIds = new Set(enterprise.map((r) => r.trace_id.slice(0, 16)));
    for (const id of costIds) expect(enterpriseIds.has(id.trim()), id).toBe(true);
    // Every section is filtered, from the warehouse's own figures: no note of either kind.
    expect(await page.locator("#trace-filter-note").count()).toBe(0);
    expect(await page.locator("#trace-sample-note").count()).toBe(0);
    // All of it without DuckDB-wasm or the exported tables.
    expect(urls.filter(heavy)).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  test("a filter in the URL opens recomputed; the per-model CSV holds exactly the rows shown, for the slice", async () => {
    const weeks = "from=2026-11-02&to=2026-11-16";
    const {page, errors, close} = await open(site, `/traces.html?feature=support-chat&segment=smb&${weeks}`);
    const inWindow = (r: Request) =>
      r.start >= Date.parse("2026-11-02T00:00:00Z") && r.start < Date.parse("2026-11-23T00:00:00Z");
    const slice = requests.filter((r) => chat(r) && r.segment === "smb" && inWindow(r));
    expect(slice.length).toBeLessThan(requests.filter((r) => chat(r) && r.segment === "smb").length);
    await expectCards(page, slice);

    const table = page.locator("table", {has: page.locator("th", {hasText: "Cost source (requests)"})});
    const link = page.locator(".with-csv", {has: table}).first().locator(":scope > a.csv-download");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(
      "traces-by-model-support-chat-all-segment-smb-from-2026-11-02-to-2026-11-16.csv"
    );
    const csv = csvParse(readFileSync(await download.path(), "utf8"));
    const shown = (await table.locator("tbody tr").allInnerTexts()).map((row) => row.split("\t").map((c) => c.trim()));
    expect(csv.map((r) => (r.model === "(all)" ? "All models" : r.model))).toEqual(shown.map((cells) => cells[0]));
    csv.forEach((row, i) => {
      const raw = slice.filter((r) => row.model === "(all)" || r.model === row.model);
      expect(Number(row.requests)).toBe(raw.length);
      expect(fmtInt(Number(row.requests))).toBe(shown[i][1]);
      expect(Number(row["latency.p95"])).toBeCloseTo(p95(raw.map((r) => r.duration)), 3);
    });
    expect(errors).toEqual([]);
    await close();
  });
  // The page keeps the cells file for the visit: a fetch of it that failed once must be fetched again
  // by the next filter, not failed again from memory. Meanwhile one message at the filters says so, and
  // the sections it would fill are empty (each showed its own "Failed to fetch", or the unfiltered figures).
  test("a dropped fetch of the cells fails that filter alone, said once at the filters: the next one fetches them again and answers", async () => {
    const {page, close} = await open(site, "/traces.html?feature=support-chat");
    try {
      await expectCards(page, requests.filter(chat));
      const dropped = await failThenRecover(page, {
        select: page.locator("#trace-filters").getByLabel("Segment", {exact: true}),
        value: "enterprise",
        drop: /trace-cells\.[0-9a-f]+\.json/,
        stale: "#observablehq-main .card",
        unfiltered: () => expectCards(page, requests.filter(chat)),
        recovered: () =>
          expectCards(
            page,
            requests.filter((r) => chat(r) && r.segment === "enterprise")
          )
      });
      expect(dropped).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

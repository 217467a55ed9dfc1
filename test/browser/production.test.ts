// The traces, user-corrections, drift and safety-review pages in Chromium: each filter must change the
// numbers on the page to the ones its data file holds for that slice, and the sample's planted stories
// must be findable. Then the traces page of a site built from the real trace fixtures alone.
// Run after npm run build: npm run test:browser.
import {mkdirSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, describe, expect, test} from "vitest";
import {fmtInt, fmtPct} from "../../src/components/format.js";
import {removeWarehouse} from "../integration/dataLoaders.js";
import {realTraceWorkspace} from "../integration/productionWorkspace.js";
import {measureLayout} from "./layout.js";
import {buildSite, builtSite, serveSite, type ServedSite} from "./site.js";

const {projectRoot, dist, screenshotDir} = builtSite("traces.html");

/** The JSON a data loader wrote into a built site (Framework adds a content hash to the name). */
function builtData(site: string, name: string): any {
  const dir = join(site, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name}.*.json in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

const select = (page: Page, label: string) =>
  page.locator("form", {has: page.locator("label", {hasText: new RegExp(`^${label}$`)})}).locator("select");
const radio = (page: Page, label: string) => page.getByRole("radio", {name: label, exact: true});
const card = (page: Page, container: string, label: string) =>
  page.locator(`${container} .card`, {
    has: page.locator("h2", {hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`)})
  });

async function expectCard(page: Page, container: string, label: string, value: string, note?: RegExp): Promise<void> {
  await expect
    .poll(() => card(page, container, label).locator(".big").innerText(), {timeout: 15_000, message: `card "${label}"`})
    .toBe(value);
  if (note)
    await expect
      .poll(() => card(page, container, label).locator(".muted").innerText(), {timeout: 15_000})
      .toMatch(note);
}

// Unlike site.open: requests go unrouted, and console errors and failed responses are returned for the test to check.
async function open(site: ServedSite, path: string, ready: string): Promise<{page: Page; errors: string[]}> {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Every page names its icon (observablehq.config.ts), so Chromium asks for no /favicon.ico: a 404 is an error.
  page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} (${m.location().url})`));
  context.on("response", (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(`${site.server.origin}${path}`);
  await page.locator(ready).first().waitFor({timeout: 60_000});
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0);
  return {page, errors};
}

const noErrorCells = async (page: Page) =>
  expect(await page.locator(".observablehq--error").allInnerTexts()).toEqual([]);
const shot = (page: Page, name: string) => (
  mkdirSync(screenshotDir, {recursive: true}),
  page.screenshot({path: join(screenshotDir, `${name}.png`), fullPage: true})
);

describe("production pages of the built site", () => {
  const site = serveSite(dist);
  const traces = builtData(dist, "traces");
  const corrections = builtData(dist, "corrections");
  const drift = builtData(dist, "drift");
  const safety = builtData(dist, "safety");

  test("traces: the feature and model filters move the cards to that slice's figures, and the waterfall follows the picked trace", async () => {
    const {page, errors} = await open(site, "/traces.html", "#trace-cards");
    const cell = (f: string, m: string) => traces.summary.find((r: any) => r.feature === f && r.model === m);
    await expectCard(page, "#trace-cards", "Requests", fmtInt(cell("(all)", "(all)").requests));
    const feature = traces.features[0];
    await select(page, "Feature").selectOption({label: feature});
    await expectCard(page, "#trace-cards", "Requests", fmtInt(cell(feature, "(all)").requests));
    await expectCard(
      page,
      "#trace-cards",
      "Failed requests",
      fmtPct(cell(feature, "(all)").errors.rate),
      new RegExp(`n = ${fmtInt(cell(feature, "(all)").requests)}$`)
    );
    const model = traces.summary.find((r: any) => r.feature === feature && r.model !== "(all)").model;
    await select(page, "Model").selectOption({label: model});
    await expectCard(page, "#trace-cards", "Requests", fmtInt(cell(feature, model).requests));
    expect(cell(feature, model).requests).not.toBe(cell("(all)", "(all)").requests);
    const [slowest] = traces.slowest.filter((r: any) => r.feature === feature && r.model === model);
    await expect
      .poll(() => page.locator("h3", {hasText: /^Spans of /}).innerText())
      .toBe(`Spans of ${slowest.trace_id}`);
    const [costliest] = traces.costliest.filter((r: any) => r.feature === feature && r.model === model);
    const costliestIndex = traces.slowest.filter((r: any) => r.feature === feature && r.model === model).length;
    // The picker is rebuilt when the model filter lands, maybe after the heading already shows the same
    // slowest trace (the feature's slowest can be this model's): wait for this cell's options first.
    await expect
      .poll(() => select(page, "Show the spans of").locator("option").nth(costliestIndex).innerText())
      .toContain(costliest.trace_id.slice(0, 12));
    await select(page, "Show the spans of").selectOption({index: costliestIndex});
    await expect
      .poll(() => page.locator("h3", {hasText: /^Spans of /}).innerText())
      .toBe(`Spans of ${costliest.trace_id}`);
    expect(await page.locator("svg").count()).toBeGreaterThan(4);
    await noErrorCells(page);
    expect(errors).toEqual([]);
    await shot(page, "production-traces-filtered");
  });

  test("corrections: the enterprise segment's ignored suggestions lead the hot spots, and filters change the rates shown", async () => {
    const {page, errors} = await open(site, "/corrections.html", "#correction-cards");
    const [top] = corrections.hotSpots;
    expect([top.feature, top.dimension, top.value, top.action]).toEqual([
      "autocomplete",
      "segment",
      "enterprise",
      "ignored"
    ]);
    await expect
      .poll(() => page.locator("#hot-spots-table tbody tr").first().innerText())
      .toMatch(
        new RegExp(`autocomplete\\s+segment enterprise\\s+ignored\\s+${fmtPct(top.slice.rate).replace(".", "\\.")}`)
      );
    const overall = (f: string) => corrections.overall.find((r: any) => r.feature === f);
    await expectCard(page, "#correction-cards", "Ignored", fmtPct(overall("(all)").ignored.rate));
    await select(page, "Feature").selectOption({label: "autocomplete"});
    await expectCard(
      page,
      "#correction-cards",
      "Ignored",
      fmtPct(overall("autocomplete").ignored.rate),
      new RegExp(`n = ${fmtInt(overall("autocomplete").n)}$`)
    );
    const enterprise = corrections.byDimension.segment.find(
      (r: any) => r.feature === "autocomplete" && r.value === "enterprise"
    );
    await expect
      .poll(() => page.locator("table.report", {has: page.locator("th", {hasText: /^Segment$/})}).innerText())
      .toContain(`enterprise\t${fmtInt(enterprise.n)}`);
    await radio(page, "Category").check();
    await expect.poll(() => page.locator("table.report th", {hasText: /^Category$/}).count()).toBe(1);
    await noErrorCells(page);
    expect(errors).toEqual([]);
    await shot(page, "production-corrections-autocomplete");
  });

  test("drift: support-chat shows the data-export-request category no test covers, and the metric switch moves the verdict", async () => {
    const {page, errors} = await open(site, "/drift.html", "#quality-verdict");
    await select(page, "Feature").selectOption({label: "support-chat"});
    const cat = drift.categoryShift.find((s: any) => s.feature === "support-chat");
    await expectCard(
      page,
      "#shift-cards",
      "Category mix · whole period",
      cat.psi.toFixed(3),
      /PSI: major shift \(> 0\.25\)/
    );
    // The brief quotes the latest week's PSI: the page shows it too, under that scope.
    const latest = cat.weekly.at(-1);
    await expectCard(
      page,
      "#shift-cards",
      "Category mix · latest week",
      latest.psi.toFixed(3),
      new RegExp(`^week of ${latest.week} · PSI`)
    );
    await expect.poll(() => page.locator("#new-categories tbody").innerText()).toMatch(/^data-export-request/);
    const before = await page.locator("#quality-verdict").innerText();
    await radio(page, "Failed requests").check();
    await expect.poll(() => page.locator("#quality-verdict").innerText()).not.toBe(before);
    const last = drift.quality.failures.filter((w: any) => w.feature === "support-chat").at(-1);
    await expect
      .poll(() => page.locator("#quality-verdict").innerText())
      .toContain(`Latest week (${last.week}): ${fmtPct(last.failed.rate)}`);
    await noErrorCells(page);
    expect(errors).toEqual([]);
    await shot(page, "production-drift-support-chat");
  });

  test("safety: the status and feature filters move the counts; the open items are listed", async () => {
    const {page, errors} = await open(site, "/safety.html", "#safety-cards");
    const sum = (rows: any[]) => rows.reduce((t, g) => t + g.n, 0);
    await expectCard(page, "#safety-cards", "Flags", fmtInt(safety.totals.flags));
    await radio(page, "Open").check();
    await expectCard(page, "#safety-cards", "Flags", fmtInt(safety.totals.open));
    await select(page, "Feature").selectOption({label: "ticket-summarization"});
    await expectCard(
      page,
      "#safety-cards",
      "Flags",
      fmtInt(sum(safety.groups.filter((g: any) => g.feature === "ticket-summarization" && g.status === "open")))
    );
    await expect
      .poll(() => page.locator("#open-flags tbody tr").count())
      .toBe(safety.open.rows.filter((r: any) => r.feature === "ticket-summarization").length);
    await noErrorCells(page);
    expect(errors).toEqual([]);
    await shot(page, "production-safety-open");
  });
});

describe("the traces page of a site built from the real trace fixtures", () => {
  const workspace = realTraceWorkspace();
  // Registered first, so it runs last: after-hooks run as a stack.
  afterAll(() => removeWarehouse(workspace));
  const site = serveSite(() => buildSite(workspace), {timeout: 900_000});

  test("shows the OTLP, Vercel, OpenInference and Langfuse requests, and the instrumentation-openai slice when filtered", async () => {
    const data = builtData(site.root, "traces");
    const {page, errors} = await open(site, "/traces.html", "#trace-cards");
    await expectCard(page, "#trace-cards", "Requests", "40");
    // One row per model: the Langfuse trace's gpt-4.1-2025-04-14 calls sit under gpt-4.1, listed when its row is expanded.
    const gpt41 = data.summary.find((r: any) => r.feature === "(all)" && r.model === "gpt-4.1");
    expect(gpt41.snapshots.map((s: any) => s.name)).toContain("gpt-4.1-2025-04-14");
    const details = page
      .locator("table.report details", {has: page.locator("summary", {hasText: /^gpt-4\.1$/})})
      .first();
    await details.locator("summary").click();
    await expect
      .poll(() => details.locator("li").allInnerTexts())
      .toEqual(gpt41.snapshots.map((s: any) => `${s.name}: ${s.calls} ${s.calls === 1 ? "call" : "calls"}`));
    await select(page, "Feature").selectOption({label: "ticket-summary"});
    await expectCard(page, "#trace-cards", "Requests", "12");
    const row = data.summary.find((r: any) => r.feature === "ticket-summary" && r.model === "(all)");
    await expectCard(
      page,
      "#trace-cards",
      "Failed requests",
      fmtPct(row.errors.rate),
      /^8\.3% \[1\.5%–35\.4%\] n = 12$/
    );
    await select(page, "Feature").selectOption({label: "claude.conversation"});
    await expect
      .poll(() => page.locator("h3", {hasText: /^Spans of /}).innerText())
      .toBe("Spans of 097f1d8982fa909b8cffb14a166ec272");
    // Its waterfall labels each span "3.87 s · claude-sonnet-4-5-20250929": a fixed right margin cut them.
    for (const width of [1280, 390]) {
      await page.setViewportSize({width, height: 900});
      await expect
        .poll(() => measureLayout(page), {timeout: 10_000})
        .toEqual({overlaps: [], cut: [], squeezed: [], wideTables: []});
    }
    await noErrorCells(page);
    expect(errors).toEqual([]);
    await shot(page, "production-traces-real-fixtures");
  });
});

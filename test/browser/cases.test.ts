// The case view (src/case.md) in Chromium: a case opened from each page that lists them, its fields
// against the warehouse the site was built from (read here with SQL of the test's own), and the sample's
// three stories clicked through to their cases. Planted HTML in case text is covered by hostile.test.ts.
// Run after npm run build.
import {mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {openDatabase} from "../../loaders/warehouse/duckdb.js";
import {ensureWarehouse} from "../../loaders/warehouse/warehouse.js";
import {FULL_PAGE_SCREENSHOTS} from "./browser.js";
import {wideTables} from "./layout.js";
import {builtSite, serveSite} from "./site.js";

const {dist, screenshotDir, projectRoot} = builtSite("case.html");

async function warehouse<T extends Record<string, unknown> = Record<string, unknown>>(
  sql: string,
  params: Record<string, unknown> = {}
): Promise<T[]> {
  const db = await openDatabase((await ensureWarehouse()).path, {readOnly: true});
  try {
    return await db.query<T>(sql, params as never);
  } finally {
    db.close();
  }
}

/** The raw sample file's row of a case in a run: what the case view's input and expected must equal. */
function rawSampleRow(caseId: string | null, runId: string | null): Record<string, any> {
  const lines = readFileSync(join(projectRoot, "data", "sample", "eval_results.jsonl"), "utf8").split("\n");
  const line = lines.find((l) => l.includes(`"case_id":"${caseId}"`) && l.includes(`"run_id":"${runId}"`));
  if (!line) throw new Error(`no row of case ${caseId} in run ${runId} in data/sample/eval_results.jsonl`);
  const row = JSON.parse(line);
  // Kept whole by the ingest's 160-character cut (privacy.excerpt_chars) and the export's 300: compared as written.
  for (const text of [row.input_excerpt, row.expected_excerpt]) expect([...text].length).toBeLessThanOrEqual(160);
  return row;
}

/** Free text as the export holds it: the first 300 characters and an ellipsis when longer. */
const exported = (column: string) =>
  `CASE WHEN length(${column}) <= 300 THEN ${column} ELSE left(${column}, 300) || '…' END`;

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const int = (x: number) => x.toLocaleString("en-US");

/** A page's uncaught errors and console errors from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}

/** Clicks a link to the case view and waits until ready shows. */
async function follow(page: Page, link: ReturnType<Page["locator"]>, ready: string): Promise<URLSearchParams> {
  await Promise.all([page.waitForURL(/\/case(\.html)?\?/), link.click()]);
  await page.locator(ready).first().waitFor({timeout: 60_000});
  return new URL(page.url()).searchParams;
}

const field = (page: Page, column: string) =>
  page.locator(`.case-fields td[data-field="${column}"]`).first().innerText();

/**
 * Full-page screenshots at desktop, tablet and phone width (unless BROWSER_TEST_SCREENSHOTS=off, as in
 * CI); the page must not scroll sideways on a tablet or phone.
 */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, {recursive: true});
  for (const width of [1280, 600, 390]) {
    await page.setViewportSize({width, height: 900});
    await page.waitForTimeout(300);
    if (FULL_PAGE_SCREENSHOTS)
      await page.screenshot({path: join(screenshotDir, `case-${name}-${width}.png`), fullPage: true});
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} at ${width} px`
    ).toBeLessThanOrEqual(width);
    // Nor may a table's text be cut or squeezed. At 600 px the spans' output column was squeezed to
    // about 77 px, a few letters a line; on a phone the eight columns ran past the page's column,
    // cutting "Duration" and the rest off. A table may scroll in its own box on a tablet; on a
    // phone its rows stack, so no table scrolls or is wider than the column (layout.ts wideTables).
    const tables = await page.evaluate(() =>
      [...document.querySelectorAll(".case-scroll table")].map((table) => ({
        id: table.id,
        // An empty cell is not shown on a phone (style.css), so it has no width to measure.
        textCells: [...table.querySelectorAll("td.case-cell-text")]
          .filter((td) => td.getClientRects().length > 0)
          .map((td) => td.getBoundingClientRect().width)
      }))
    );
    for (const t of tables)
      expect(Math.min(...t.textCells), `${name}: ${t.id}'s text column at ${width} px`).toBeGreaterThanOrEqual(150);
    if (width < 560) expect(await wideTables(page), `${name}: tables at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({width: 1280, height: 900});
}

describe("the case view of the sample site", () => {
  const site = serveSite(dist);

  test("story 1: eval triage's long-input drop opens the later run's failing long inputs, each with its output and fields", async () => {
    const [after, before] = await warehouse<{run_id: string}>(
      `SELECT run_id FROM eval_results WHERE suite = 'summarization-golden' GROUP BY run_id ORDER BY max(started_at) DESC LIMIT 2`
    );
    const page = await site.open(
      `/eval-triage.html?suite=summarization-golden&after=${encodeURIComponent(after.run_id)}`,
      "#dropped-slice-cases"
    );
    const errors = watchErrors(page);
    expect(before.run_id).not.toBe(after.run_id);
    const expected = await warehouse<{case_id: string; output: string | null}>(
      `SELECT case_id, ${exported("output_excerpt")} AS output FROM eval_results
       WHERE run_id = $run AND NOT passed AND input_chars >= 10000 AND input_chars < 20000 ORDER BY case_id`,
      {run: after.run_id}
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThanOrEqual(100);
    await follow(page, page.locator("#dropped-slice-cases a", {hasText: "inputs of 10k–20k characters"}), "#case-list");
    expect(await page.locator("#case-list-count").innerText()).toMatch(new RegExp(`^${expected.length} rows match\\.`));
    const rows = page.locator("#case-list tbody tr");
    const listed = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({case_id: tr.querySelector("a")!.textContent!, output: tr.lastElementChild!.textContent!}))
    );
    expect(listed.map((r) => r.case_id).sort()).toEqual(expected.map((r) => r.case_id));
    for (const r of listed) expect(r.output).toBe(expected.find((e) => e.case_id === r.case_id)!.output ?? "");
    await shoot(page, "list");

    const params = await follow(page, rows.first().locator("a"), ".case-fields");
    const [row] = await warehouse<Record<string, any>>(
      `SELECT *, ${exported("output_excerpt")} AS output FROM eval_results WHERE case_id = $case AND run_id = $run`,
      {case: params.get("case_id"), run: params.get("run_id")}
    );
    expect(params.get("run_id")).toBe(after.run_id);
    expect(await field(page, "model")).toBe(row.model);
    expect(await field(page, "prompt_version")).toBe(row.prompt_version);
    expect(await field(page, "dataset_version")).toBe(row.dataset_version);
    expect(await field(page, "passed")).toBe("no");
    expect(await field(page, "score")).toBe(row.score.toFixed(3));
    expect(await field(page, "latency_ms")).toBe(ms(row.latency_ms));
    expect(await field(page, "input_tokens")).toBe(int(row.input_tokens));
    expect(await field(page, "output_tokens")).toBe(int(row.output_tokens));
    expect(await field(page, "input_chars")).toBe(int(row.input_chars));
    expect(await field(page, "reason")).toBe(row.reason ?? "—");
    expect(await page.locator('[data-text="output_excerpt"]').innerText()).toBe(row.output);
    // The input and expected output, as the raw sample file holds them; the long input names its length.
    const raw = rawSampleRow(params.get("case_id"), params.get("run_id"));
    const text = (column: string) => page.locator(`.case-result [data-text="${column}"]`).innerText();
    expect(await text("input_excerpt")).toBe(raw.input_excerpt);
    expect(await text("expected_excerpt")).toBe(raw.expected_excerpt);
    expect(raw.input_excerpt).toContain(`${raw.input_chars} characters`);
    expect(await page.locator(".case-result h4", {hasText: "Input"}).innerText()).toContain(int(raw.input_chars));
    // Every run that graded the case is listed, this one marked.
    const [{runs}] = await warehouse<{runs: number}>(
      `SELECT count(*)::INTEGER AS runs FROM eval_results WHERE case_id = $case`,
      {
        case: params.get("case_id")
      }
    );
    expect(await page.locator("#case-runs tbody tr").count()).toBe(runs);
    await shoot(page, "eval");
    expect(errors).toEqual([]);
  });

  test("a regressed case opens both runs side by side, the diff joining back to each run's output", async () => {
    const [after] = await warehouse<{run_id: string}>(
      `SELECT run_id FROM eval_results WHERE suite = 'summarization-golden' GROUP BY run_id ORDER BY max(started_at) DESC LIMIT 1`
    );
    const page = await site.open(
      `/eval-triage.html?suite=summarization-golden&after=${encodeURIComponent(after.run_id)}`,
      "a[href*='kind=eval']"
    );
    const errors = watchErrors(page);
    // A regressed case whose later output was recorded (a failure by error records none).
    const withOutput = new Set(
      (
        await warehouse<{case_id: string}>(
          `SELECT case_id FROM eval_results WHERE run_id = $run AND NOT passed AND output_excerpt IS NOT NULL`,
          {run: after.run_id}
        )
      ).map((r) => r.case_id)
    );
    const links = page.locator("a[href*='kind=eval']");
    const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const pick = hrefs.findIndex((h) => withOutput.has(new URL(h).searchParams.get("case_id")!));
    expect(pick).toBeGreaterThanOrEqual(0);
    const params = await follow(page, links.nth(pick), "#case-compare");
    const sides = await warehouse<{run_id: string; passed: boolean; output: string | null}>(
      `SELECT run_id, passed, ${exported("output_excerpt")} AS output FROM eval_results WHERE case_id = $case AND run_id IN ($before, $after)`,
      {case: params.get("case_id"), before: params.get("before"), after: params.get("after")}
    );
    const of = (run: string | null) => sides.find((s) => s.run_id === run)!;
    expect(params.get("after")).toBe(after.run_id);
    expect(of(params.get("before")).passed).toBe(true);
    expect(of(params.get("after")).passed).toBe(false);
    const text = (side: string) => page.locator(`[data-side="${side}"] .case-text`).innerText();
    // The sample records the passing run's output too: both sides show text.
    expect(of(params.get("before")).output).not.toBeNull();
    expect(await text("Before")).toBe(of(params.get("before")).output);
    expect(await text("After")).toBe(of(params.get("after")).output);
    // Above the two outputs, the case's input and expected output, as the raw sample file holds them.
    const raw = rawSampleRow(params.get("case_id"), params.get("after"));
    const shown = (column: string) => page.locator(`#case-compare > .case-inputs [data-text="${column}"]`).innerText();
    expect(await shown("input_excerpt")).toBe(raw.input_excerpt);
    expect(await shown("expected_excerpt")).toBe(raw.expected_excerpt);
    expect(await page.locator('[data-side="Before"]').innerText()).toContain("passed");
    expect(await page.locator('[data-side="After"]').innerText()).toContain("failed");
    // The outputs differ, so the diff marks something on each side.
    expect(await page.locator("#case-compare del, #case-compare ins").count()).toBeGreaterThan(0);
    await shoot(page, "compare");
    expect(errors).toEqual([]);
  });

  test("a trace from the traces page: its spans as a waterfall and a table, its request's fields", async () => {
    const page = await site.open("/traces.html", "a[href*='kind=trace']");
    const errors = watchErrors(page);
    const params = await follow(page, page.locator("a[href*='kind=trace']").first(), "#case-spans");
    const trace = params.get("trace_id");
    const spans = await warehouse<{name: string}>(`SELECT name FROM spans WHERE trace_id = $trace ORDER BY name`, {
      trace
    });
    const [request] = await warehouse<Record<string, any>>(`SELECT * FROM requests WHERE trace_id = $trace`, {trace});
    expect(spans.length).toBeGreaterThan(1);
    expect((await page.locator("#case-spans tbody tr td:first-child").allInnerTexts()).sort()).toEqual(
      spans.map((s) => s.name)
    );
    expect(await field(page, "duration_ms")).toBe(ms(request.duration_ms));
    expect(await field(page, "feature")).toBe(request.feature);
    expect(await field(page, "model")).toBe(request.model);
    expect(await field(page, "spans")).toBe(String(request.spans));
    expect(await page.locator("#case-waterfall svg").count()).toBeGreaterThan(0);
    await shoot(page, "trace");
    expect(errors).toEqual([]);
  });

  test("an edited output from the corrections page: the model's text against the user's edit", async () => {
    const page = await site.open("/corrections.html", "a[href*='kind=correction']");
    const errors = watchErrors(page);
    const params = await follow(page, page.locator("a[href*='kind=correction']").first(), "#case-compare");
    const [row] = await warehouse<Record<string, any>>(
      `SELECT action, feature, ${exported("original_text")} AS original, ${exported("edited_text")} AS edited FROM corrections WHERE event_id = $id`,
      {id: params.get("event_id")}
    );
    expect(row.action).toBe("edited");
    expect(await page.locator('[data-side="Model"] .case-text').innerText()).toBe(row.original);
    expect(await page.locator('[data-side="User"] .case-text').innerText()).toBe(row.edited);
    expect(await field(page, "action")).toBe("edited");
    expect(await field(page, "feature")).toBe(row.feature);
    await shoot(page, "correction");
    expect(errors).toEqual([]);
  });

  test("an open flag from the safety page: reviewer, decision and the flagged output", async () => {
    const page = await site.open("/safety.html", "#open-flags a[href*='kind=flag']");
    const errors = watchErrors(page);
    const params = await follow(page, page.locator("#open-flags a[href*='kind=flag']").first(), ".case-fields");
    const [row] = await warehouse<Record<string, any>>(
      `SELECT reviewer, decision, severity, status, category, ${exported("excerpt")} AS excerpt FROM flags WHERE flag_id = $id`,
      {id: params.get("flag_id")}
    );
    expect(row.status).toBe("open");
    expect(await field(page, "reviewer")).toBe(row.reviewer ?? "—");
    expect(await field(page, "decision")).toBe(row.decision ?? "—");
    expect(await field(page, "severity")).toBe(row.severity);
    expect(await field(page, "category")).toBe(row.category);
    expect(await page.locator('[data-text="excerpt"]').innerText()).toBe(row.excerpt);
    await shoot(page, "flag");
    expect(errors).toEqual([]);
  });

  test("story 2: the enterprise autocomplete hot spot opens the suggestions enterprise users ignored", async () => {
    const page = await site.open("/corrections.html", "#hot-spots-table");
    const errors = watchErrors(page);
    const row = page.locator("#hot-spots-table tbody tr", {hasText: "enterprise"}).filter({hasText: "autocomplete"});
    await follow(page, row.first().locator("a", {hasText: "ignored"}), "#case-list-count");
    const [{n}] = await warehouse<{n: number}>(
      `SELECT count(*)::INTEGER AS n FROM corrections WHERE feature = 'autocomplete' AND segment = 'enterprise' AND action = 'ignored'`
    );
    expect(n).toBeGreaterThan(30);
    const shown = Math.min(n, 100);
    expect(await page.locator("#case-list-count").innerText()).toBe(
      `${int(n)} rows match${n > shown ? `; the latest ${shown} are listed` : ""}. Each opens its case.`
    );
    expect(await page.locator("#case-list tbody tr").count()).toBe(shown);
    const params = await follow(page, page.locator("#case-list tbody tr a").first(), ".case-fields");
    const [latest] = await warehouse<{event_id: string}>(
      `SELECT event_id FROM corrections WHERE feature = 'autocomplete' AND segment = 'enterprise' AND action = 'ignored' ORDER BY "at" DESC, event_id DESC LIMIT 1`
    );
    expect(params.get("event_id")).toBe(latest.event_id);
    expect(await field(page, "action")).toBe("ignored");
    expect(await field(page, "segment")).toBe("enterprise");
    expect(errors).toEqual([]);
  });

  test("story 3: the drift table's untested category opens example requests, each a trace", async () => {
    const page = await site.open("/drift.html?feature=support-chat", "#new-categories");
    const errors = watchErrors(page);
    const row = page.locator("#new-categories tbody tr", {hasText: "data-export-request"});
    await follow(page, row.locator("a", {hasText: "example requests"}), "#case-list-count");
    const [{n}] = await warehouse<{n: number}>(
      `SELECT count(*)::INTEGER AS n FROM requests WHERE feature = 'support-chat' AND category = 'data-export-request'`
    );
    expect(n).toBeGreaterThan(0);
    expect(await page.locator("#case-list-count").innerText()).toMatch(new RegExp(`^${int(n)} requests match`));
    const categories = await page.locator("#case-list tbody tr td:nth-child(5)").allInnerTexts();
    expect(new Set(categories)).toEqual(new Set(["data-export-request"]));
    const params = await follow(page, page.locator("#case-list tbody tr a").first(), "#case-spans");
    expect(await field(page, "category")).toBe("data-export-request");
    const [{spans}] = await warehouse<{spans: number}>(
      `SELECT count(*)::INTEGER AS spans FROM spans WHERE trace_id = $t`,
      {
        t: params.get("trace_id")
      }
    );
    expect(await page.locator("#case-spans tbody tr").count()).toBe(spans);
    expect(errors).toEqual([]);
  });

  test("the launch gate's evidence run opens its failing cases", async () => {
    const page = await site.open("/launch-gate.html", "[data-testid=launch-verdict] a[href*='kind=list']");
    const link = page.locator("[data-testid=launch-verdict] a[href*='kind=list']").first();
    const run = new URL((await link.getAttribute("href"))!, page.url()).searchParams.get("where.run_id");
    await follow(page, link, "#case-list-count");
    const [{n}] = await warehouse<{n: number}>(
      `SELECT count(*)::INTEGER AS n FROM eval_results WHERE run_id = $run AND NOT passed`,
      {run}
    );
    expect(await page.locator("#case-list-count").innerText()).toMatch(new RegExp(`^${int(n)} rows match`));
  });

  test("an address naming no case says what is missing", async () => {
    const page = await site.open("/case.html?kind=trace", ".case-missing");
    expect(await page.locator(".case-missing").innerText()).toBe(
      "the address names no trace_id; open a case from a page's table."
    );
    const unknown = await site.open("/case.html?kind=flag&flag_id=no-such-flag", ".case-missing");
    expect(await unknown.locator(".case-missing").innerText()).toContain("No flag no-such-flag in this site's data.");
  });
});

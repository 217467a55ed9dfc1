// Eval triage against a baseline the PM chooses, in Chromium on the sample: the default is the
// previous comparable run, and any other pick is compared on the page from per-case outcomes. The
// expected counts are taken here from the sample's raw eval results.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtPct, fmtPts} from "../../src/lib/format.js";
import {builtSite, serveSite} from "./site.js";

const {dist, screenshotDir} = builtSite("eval-triage.html");
const site = serveSite(dist);

type Row = {run_id: string; case_id: string; category: string; passed: boolean; output_excerpt?: string};
const rows = (): Row[] =>
  readFileSync(join(site.root, "..", "data", "sample", "eval_results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

const selectByLabel = (page: Page, label: string) =>
  page
    .locator("form")
    .filter({has: page.locator(`label:text-is("${label}")`)})
    .locator("select");

/** The case ids that went from passed to failed (or the reverse) between the two runs, from the raw rows. */
function flipped(baseline: string, candidate: string, from: boolean): string[] {
  const all = rows();
  const before = new Map(all.filter((r) => r.run_id === baseline).map((r) => [r.case_id, r.passed]));
  return all
    .filter((r) => r.run_id === candidate && before.get(r.case_id) === from && r.passed !== from)
    .map((r) => r.case_id)
    .sort();
}

/** An output as the export cuts it (loaders/pages: 300 characters, then an ellipsis). */
const cut = (text: string) => (text.length <= 300 ? text : `${text.slice(0, 300)}…`);

/** Baseline against candidate on the cases both graded, from the raw rows. */
function expected(baseline: string, candidate: string) {
  const all = rows();
  const before = new Map(all.filter((r) => r.run_id === baseline).map((r) => [r.case_id, r.passed]));
  const shared = all.filter((r) => r.run_id === candidate && before.has(r.case_id));
  const n = shared.length;
  const b = shared.filter((r) => before.get(r.case_id)).length;
  const a = shared.filter((r) => r.passed).length;
  return {
    n,
    before: fmtPct(b / n),
    after: fmtPct(a / n),
    change: fmtPts((a - b) / n),
    regressed: shared.filter((r) => before.get(r.case_id) && !r.passed).length,
    improved: shared.filter((r) => !before.get(r.case_id) && r.passed).length
  };
}

const cardsText = async (page: Page) =>
  (await page.locator("[data-testid=chosen-comparison]").innerText()).replace(/\s+/g, " ");

describe("eval triage with a chosen baseline", () => {
  test("defaults to the previous comparable run, and compares any baseline the PM picks", async () => {
    const candidate = "scg-20261118-claude-sonnet-4-chat-v7";
    const page = await site.open(
      `/eval-triage?suite=support-chat-golden&candidate=${candidate}`,
      "[data-testid=chosen-comparison]"
    );
    try {
      // The previous run of the same option, not the runs started the same morning.
      const baselineSelect = selectByLabel(page, "Baseline");
      expect(await baselineSelect.locator("option:checked").innerText()).toBe("2026-11-10 claude-sonnet-4 · chat-v7");
      let e = expected("scg-20261110-claude-sonnet-4-chat-v7", candidate);
      let text = await cardsText(page);
      expect(text).toContain(`Baseline ${e.before}`);
      expect(text).toContain(`Candidate ${e.after}`);
      expect(text).toContain(`Change ${e.change} ${e.regressed} regressed · ${e.improved} improved`);

      await baselineSelect.selectOption({label: "2026-11-17 gpt-4.1 · chat-v6"});
      e = expected("scg-20261117-gpt-4.1-chat-v6", candidate);
      await expect.poll(() => cardsText(page), {timeout: 20_000}).toContain(`Baseline ${e.before}`);
      text = await cardsText(page);
      expect(text).toContain(`n = ${e.n} shared`);
      expect(text).toContain(`Change ${e.change} ${e.regressed} regressed · ${e.improved} improved`);
      const categories = await page.locator("[data-testid=chosen-categories] tbody tr").count();
      expect(categories).toBe(
        new Set(
          rows()
            .filter((r) => r.run_id === candidate)
            .map((r) => r.category)
        ).size
      );
      await page.locator("[data-testid=chosen-comparison]").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "eval-triage-chosen-baseline.png")});
    } finally {
      await page.context().close();
    }
  });

  test("lists the chosen pair's regressed and improved cases, each opening both runs side by side", async () => {
    const [baseline, candidate] = ["scg-20261117-gpt-4.1-chat-v6", "scg-20261118-claude-sonnet-4-chat-v7"];
    const page = await site.open(
      `/eval-triage?suite=support-chat-golden&candidate=${candidate}&baseline=${baseline}`,
      "[data-testid=chosen-regressed]"
    );
    try {
      const regressed = flipped(baseline, candidate, true);
      const improved = flipped(baseline, candidate, false);
      // Neither list is cut at 50 on the sample, so every case is on the page.
      expect(regressed.length).toBeGreaterThan(5);
      expect(regressed.length).toBeLessThanOrEqual(50);
      const ids = (what: string) => page.locator(`[data-testid=chosen-${what}] tbody tr a`).allInnerTexts();
      expect((await ids("regressed")).sort()).toEqual(regressed);
      expect((await ids("improved")).sort()).toEqual(improved);
      const list = page.locator("[data-testid=chosen-regressed]");
      expect(await list.locator("h3").innerText()).toBe(`Regressed: ${regressed.length} cases`);
      expect(await list.locator("a.csv-download").innerText()).toBe(`Download ${regressed.length} rows as CSV`);
      // Each link names this pair, not the precomputed consecutive one.
      for (const href of await list
        .locator("tbody a")
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
        const params = new URL(href).searchParams;
        expect([params.get("kind"), params.get("before"), params.get("after")]).toEqual(["eval", baseline, candidate]);
      }

      // A regressed case whose raw rows hold an output in both runs: the case view shows both.
      const all = rows();
      const output = (run: string, id: string) => all.find((r) => r.run_id === run && r.case_id === id)?.output_excerpt;
      const both = regressed.find((id) => output(baseline, id) && output(candidate, id));
      expect(both).toBeDefined();
      await list.locator("tbody a", {hasText: both!}).scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "eval-triage-chosen-cases.png")});
      await page.setViewportSize({width: 390, height: 844});
      await list.locator("tbody a", {hasText: both!}).scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "eval-triage-chosen-cases-390.png")});
      await Promise.all([page.waitForURL(/\/case(\.html)?\?/), list.locator("tbody a", {hasText: both!}).click()]);
      await page.locator("#case-compare").waitFor({timeout: 60_000});
      const side = (role: string) => page.locator(`[data-side="${role}"]`);
      expect(await side("Before").locator(".case-text").innerText()).toBe(cut(output(baseline, both!)!));
      expect(await side("After").locator(".case-text").innerText()).toBe(cut(output(candidate, both!)!));
      expect(await side("Before").innerText()).toContain(`run ${baseline}`);
      expect(await side("Before").innerText()).toContain("passed");
      expect(await side("After").innerText()).toContain(`run ${candidate}`);
      expect(await side("After").innerText()).toContain("failed");
    } finally {
      await page.context().close();
    }
  });
});

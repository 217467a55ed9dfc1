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

type Row = {run_id: string; case_id: string; category: string; passed: boolean};
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
});

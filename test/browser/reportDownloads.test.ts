// The report pages without filters (safety, launch gate, frontier, experiments, data quality, classifiers,
// judges) carry the download of the rows behind each table and chart, as the filtered pages do
// (docs/explore.md, "Downloads"): a table's CSV holds one row per row it lists, a chart's the rows it
// draws. Run after npm run build.
import type {DSVRowArray} from "d3";
import type {Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {builtSite, downloadFrom, serveSite} from "./site.js";

const {dist} = builtSite("safety.html");

/** Each download on the page: its file name, its rows, and the body rows of the table it sits under (null under a chart). */
async function downloads(page: Page) {
  const out: {filename: string; rows: number; listed: number | null; csv: DSVRowArray<string>}[] = [];
  const boxes = page.locator("#observablehq-main .with-csv");
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    const table = box.locator("table").first();
    const listed = (await table.count()) ? await box.locator("table tbody tr").count() : null;
    const {csv, filename} = await downloadFrom(page, box);
    out.push({filename, rows: csv.length, listed, csv});
  }
  return out;
}

describe("downloads on the report pages of the sample site", () => {
  const site = serveSite(dist);

  test.each([
    [
      "/safety.html",
      "#open-flags",
      [
        "safety-flags-by-category-all-all.csv",
        "safety-root-causes-all-all.csv",
        "safety-flags-per-week-all.csv",
        "safety-decisions-all.csv",
        "safety-open-flags-all.csv"
      ]
    ],
    [
      "/launch-gate.html",
      "[data-testid=gates]",
      ["launch-candidates.csv", "launch-gates-support-chat.csv", "launch-history-support-chat.csv"]
    ],
    [
      "/frontier.html",
      "table",
      [
        "frontier-cost-support-chat-All_categories.csv",
        "frontier-latency-support-chat-All_categories.csv",
        "frontier-options-support-chat-All_categories.csv"
      ]
    ],
    ["/data-quality.html", "table", ["canonical-tables.csv", "source-files.csv"]]
  ])("%s: every table and chart has one, and a table's CSV holds its rows", async (path, ready, names) => {
    const page = await site.open(path, ready);
    const found = await downloads(page);
    expect(found.map((d) => d.filename)).toEqual(names);
    for (const d of found) {
      expect(d.rows, d.filename).toBeGreaterThan(0);
      if (d.listed !== null) expect(d.rows, d.filename).toBe(d.listed);
    }
  });

  test.each([
    [
      "/classifiers.html",
      /^classifier-[\w.-]+-(matrix|classes|confused-pairs|models|threshold-sweep|cost-per-1000|roc|precision-recall|calibration|coverage)\.csv$/,
      10
    ],
    // The sample's judge has no disagreement listed and no segments: its matrix alone.
    ["/judges.html", /^judge-[\w.-]+-(matrix|lean|disagreements|segments)\.csv$/, 1]
  ])("%s: the matrix, the tables and the sweep's charts, each table's CSV its rows", async (path, name, least) => {
    const page = await site.open(path, "#observablehq-main .with-csv");
    const found = await downloads(page);
    expect(found.length).toBeGreaterThanOrEqual(least);
    for (const d of found) {
      expect(d.filename).toMatch(name);
      expect(d.rows, d.filename).toBeGreaterThan(0);
      if (d.listed !== null) expect(d.rows, d.filename).toBe(d.listed);
    }
  });

  test("experiments: each comparison's metrics, daily looks, model guardrails and listed segments", async () => {
    const page = await site.open("/experiments.html", "#experiment-list");
    const found = await downloads(page);
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const d of found) {
      expect(d.filename).toMatch(/^experiment-[\w.-]+-(metrics|daily|model-guardrails|segments)\.csv$/);
      expect(d.rows, d.filename).toBeGreaterThan(0);
      if (d.listed !== null && !d.filename.endsWith("-model-guardrails.csv")) expect(d.rows, d.filename).toBe(d.listed);
    }
    // The segments table lists at most 15 comparisons, lowest q first; its CSV holds exactly those.
    for (const d of found.filter((d) => d.filename.endsWith("-segments.csv"))) {
      expect(d.rows).toBeLessThanOrEqual(15);
      const q = d.csv.map((r) => Number(r.q));
      expect(q).toEqual([...q].sort((a, b) => a - b));
    }
  });
});

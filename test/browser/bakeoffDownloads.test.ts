// Every table and chart of the bake-off page carries the download of the rows behind it, and each CSV
// holds exactly the rows its table shows, in order. Pass counts are checked against the sample's raw
// eval_results.jsonl (each case once, as the build's majority verdict counts it: the sample has one
// epoch per case). Run after npm run build.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Locator} from "playwright-core";
import {describe, expect, test} from "vitest";
import {builtSite, downloadUnder, serveSite} from "./site.js";

const {projectRoot, dist} = builtSite("bakeoff.html");

type EvalRow = {run_id: string; case_id: string; passed: boolean};
const evals: EvalRow[] = readFileSync(join(projectRoot, "data", "sample", "eval_results.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

const firstCells = async (table: Locator) =>
  (await table.locator("tbody tr").allInnerTexts()).map((row) => row.split("\t")[0].split("\n")[0].trim());

describe("bake-off downloads of the sample site", () => {
  const site = serveSite(dist);

  test("every table and chart has a download, and the tables' CSVs hold their rows in order", async () => {
    const page = await site.open("/bakeoff.html?suite=support-chat-golden", "[data-testid=difference-table]");
    // Nine: recommendations, pass-rate chart, differences, category gaps, per-category, routing, options, latency, production.
    await expect.poll(() => page.locator(".with-csv > a.csv-download").count()).toBe(9);

    const differences = page.locator("[data-testid=difference-table]");
    const {csv: diff, filename} = await downloadUnder(page, differences);
    expect(filename).toBe("bakeoff-differences-support-chat-golden.csv");
    expect(diff.map((r) => r.option)).toEqual(await firstCells(differences));
    // The best option has no difference; every other row carries its paired interval.
    expect(diff.filter((r) => r.best === "true")).toHaveLength(1);
    for (const r of diff.filter((r) => r.best === "false"))
      expect(Number(r["difference.low"])).toBeLessThanOrEqual(Number(r["difference.high"]));

    const categories = page.locator("[data-testid=category-recommendations]");
    const {csv: cats} = await downloadUnder(page, categories);
    expect(cats.map((r) => r.category)).toEqual(await firstCells(categories));

    const routing = page.locator("[data-testid=routing-table]");
    const {csv: routes} = await downloadUnder(page, routing);
    expect(routes.map((r) => r.system)).toEqual(["routing plan", (await firstCells(routing))[1]]);

    const production = page.locator("[data-testid=production-table]");
    const {csv: prod} = await downloadUnder(page, production);
    expect(prod.map((r) => r.option)).toEqual(await firstCells(production.locator("table")));
  });

  test("the options CSV's pass counts are the raw file's, one row per option the table shows", async () => {
    const page = await site.open("/bakeoff.html?suite=support-chat-golden", "[data-testid=difference-table]");
    const table = page.locator("table", {has: page.locator("th", {hasText: "Latency p50 · p95 · p99"})});
    const {csv, filename} = await downloadUnder(page, table);
    expect(filename).toBe("bakeoff-options-support-chat-golden.csv");
    expect(csv.map((r) => r.option)).toEqual(await firstCells(table));
    for (const row of csv) {
      const cases = evals.filter((e) => e.run_id === row.run_id);
      expect(cases.length, row.option).toBeGreaterThan(0);
      expect(Number(row["pass.n"])).toBe(new Set(cases.map((e) => e.case_id)).size);
      expect(Number(row["pass.rate"])).toBeCloseTo(cases.filter((e) => e.passed).length / cases.length, 4);
    }
  });
});

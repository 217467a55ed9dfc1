// Every table and chart of the traces and eval-triage pages carries a download of the rows behind it:
// the CSV holds exactly the rows the table shows, for the slice the page's inputs picked. Run after
// npm run build.
import type {Locator, Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtInt} from "../../src/components/format.js";
import {builtSite, downloadUnder, serveSite} from "./site.js";

const {dist} = builtSite("traces.html");

const tableWith = (page: Page, header: string) => page.locator("table", {has: page.locator("th", {hasText: header})});
const columnTexts = async (table: Locator, i: number) =>
  (await table.locator("tbody tr").allInnerTexts()).map((row) => row.split("\t")[i].trim());

describe("downloads of the sample site", () => {
  const site = serveSite(dist);

  test("traces: the per-model table's CSV holds its rows, for the feature picked", async () => {
    const page = await site.open("/traces.html?feature=support-chat", "#trace-cards");
    const table = tableWith(page, "Cost source (requests)");
    await table.waitFor();
    const {csv, filename} = await downloadUnder(page, table);
    expect(filename).toBe("traces-by-model-support-chat-all.csv");
    expect(csv.columns).toEqual(
      expect.arrayContaining(["feature", "model", "requests", "latency.p95", "errors.rate", "errors.low"])
    );
    expect(csv.map((r) => r.feature)).toEqual(csv.map(() => "support-chat"));
    const models = await columnTexts(table, 0);
    expect(csv.map((r) => (r.model === "(all)" ? "All models" : r.model))).toEqual(models);
    expect(csv.map((r) => fmtInt(Number(r.requests)))).toEqual(await columnTexts(table, 1));
  });

  test("eval triage: the regressed cases' CSV holds the cases the table lists, in its order", async () => {
    const page = await site.open("/eval-triage.html", "table");
    const table = tableWith(page, "Output after (redacted)").first();
    await table.waitFor();
    const {csv, filename} = await downloadUnder(page, table);
    expect(filename).toMatch(/^triage-regressed-.+\.csv$/);
    expect(csv.length).toBeGreaterThan(0);
    expect(csv.map((r) => r.case_id)).toEqual(await columnTexts(table, 0));
    expect(csv.map((r) => r.category)).toEqual(await columnTexts(table, 1));
  });
});

import {afterEach, describe, expect, test} from "vitest";
import {driftPage} from "../../../../loaders/queries/drift.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const evalCase = (run: string, i: number) => ({
  run_id: run,
  case_id: `c${i}`,
  suite: "scg",
  feature: "support-chat",
  started_at: run === "r1" ? "2026-10-01T00:00:00Z" : "2026-10-08T00:00:00Z",
  model: "gpt-4.1",
  passed: true,
  category: i <= 5 ? "billing" : "refunds",
  input_chars: i * 100
});
const request = (
  i: number,
  day: string,
  category: string,
  input_chars: number,
  over: Record<string, unknown> = {}
) => ({
  trace_id: `t${i}`,
  span_id: "root",
  name: "support-chat",
  kind: "llm",
  start_time: `${day}T12:00:00Z`,
  duration_ms: 900,
  feature: "support-chat",
  category,
  input_chars,
  model: "gpt-4.1",
  prompt_version: "chat-v6",
  ...over
});
let n = 0;
const correction = (at: string, action: string, category = "billing") => ({
  event_id: `e${++n}`,
  at,
  feature: "support-chat",
  action,
  category
});

const files = {
  // The same ten cases run twice: the eval set counts each case once.
  "eval.jsonl": jsonl(...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((i) => [evalCase("r1", i), evalCase("r2", i)])),
  "spans.jsonl": jsonl(
    request(1, "2026-11-02", "billing", 150),
    request(2, "2026-11-03", "billing", 250),
    request(3, "2026-11-03", "billing", 350),
    request(4, "2026-11-04", "refunds", 650),
    request(5, "2026-11-05", "refunds", 750),
    request(6, "2026-11-16", "billing", 450),
    request(7, "2026-11-17", "billing", 1500, {model: "claude-sonnet-4", prompt_version: "chat-v7", status: "error"}),
    request(8, "2026-11-17", "billing", 120),
    request(9, "2026-11-18", "data-export", 900),
    request(10, "2026-11-19", "data-export", 990, {status: "error"})
  ),
  "corrections.jsonl": jsonl(
    ...Array.from({length: 8}, (_, i) => correction(`2026-11-0${2 + (i % 4)}T10:00:00Z`, "accepted")),
    correction("2026-11-04T10:00:00Z", "edited"),
    correction("2026-11-05T10:00:00Z", "edited"),
    correction("2026-11-17T10:00:00Z", "accepted"),
    correction("2026-11-17T11:00:00Z", "accepted"),
    correction("2026-11-17T12:00:00Z", "rejected"),
    correction("2026-11-17T13:00:00Z", "rejected"),
    correction("2026-11-17T14:00:00Z", "rejected"),
    correction("2026-11-17T15:00:00Z", "rejected"),
    correction("2026-11-18T10:00:00Z", "accepted", "data-export"),
    correction("2026-11-18T11:00:00Z", "escalated", "data-export"),
    correction("2026-11-18T12:00:00Z", "escalated", "data-export"),
    correction("2026-11-18T13:00:00Z", "escalated", "data-export")
  )
};

// Expected values recorded with NumPy (PSI, shares floored at 1e-4), SciPy 1.10.1 (chi2_contingency,
// correction=False) and statsmodels 0.13.5 (confint_proportions_2indep, method="newcomb").
const driftWarehouse = sharedIngest(() => files);

describe("driftPage", () => {
  test("compares production's category mix with the eval set's distinct cases: PSI and χ² test", async () => {
    const db = await driftWarehouse();
    const p = await driftPage(db);
    const [cat] = p.categoryShift;
    expect(cat).toMatchObject({
      feature: "support-chat",
      evalN: 10,
      prodN: 10,
      level: "major",
      chiSquare: {df: 2, smallExpectedCells: 4}
    });
    expect(cat.psi).toBeCloseTo(1.8125397769041043, 6);
    expect(cat.chiSquare.statistic).toBeCloseTo(3.3766233766233764, 4);
    expect(cat.chiSquare.pValue).toBeCloseTo(0.184831313587016, 10);
    expect(cat.bins.map((b) => [b.label, b.evalN, b.prodN])).toEqual([
      ["billing", 5, 6],
      ["data-export", 0, 2],
      ["refunds", 5, 2]
    ]);
    expect(cat.weekly.map((w) => [w.week, w.n])).toEqual([
      ["2026-11-02", 5],
      ["2026-11-16", 5]
    ]);
  });

  test("cuts input length at the eval set's deciles", async () => {
    const db = await driftWarehouse();
    const [len] = (await driftPage(db)).lengthShift;
    expect(len.edges).toEqual([190, 280, 370, 460, 550, 640, 730, 820, 910]);
    expect(len.bins.map((b) => b.evalN)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(len.bins.map((b) => b.prodN)).toEqual([2, 1, 1, 1, 0, 0, 1, 1, 1, 2]);
    expect(len.psi).toBeCloseTo(1.5187989408526201, 6);
    expect(len.chiSquare.statistic).toBeCloseTo(2.6666666666666665, 4);
    expect(len.chiSquare.pValue).toBeCloseTo(0.9760602271429331, 10);
  });

  test("marks the weeks whose quality differs significantly from the first 14 days", async () => {
    const db = await driftWarehouse();
    const {quality} = await driftPage(db);
    expect(quality.baseline).toEqual([
      {
        feature: "support-chat",
        from: "2026-11-02T10:00:00.000Z",
        to: "2026-11-16T10:00:00.000Z",
        n: 10,
        accepted: {rate: 0.8, n: 10, successes: 8, low: 0.490162, high: 0.943318},
        corrected: {rate: 0.2, n: 10, successes: 2, low: 0.056682, high: 0.509838}
      }
    ]);
    expect(quality.weekly.map((w) => [w.week, w.n, w.accepted.successes, w.acceptedVsBaseline])).toEqual([
      ["2026-11-02", 10, 8, {value: 0, low: expect.any(Number), high: expect.any(Number), significant: false}],
      ["2026-11-16", 10, 3, {value: -0.5, low: -0.739759, high: -0.066476, significant: true}]
    ]);
    expect(quality.failures.map((f) => [f.week, f.n, f.failed.successes, f.failedVsBaseline.significant])).toEqual([
      ["2026-11-02", 5, 0, false],
      ["2026-11-16", 5, 2, false]
    ]);
  });

  test("names the model and prompt changes after the start", async () => {
    const db = await driftWarehouse();
    expect(
      (await driftPage(db)).deployments.map((d: any) => [d.model, d.prompt_version, d.first_at, d.requests, d.at_start])
    ).toEqual([
      ["gpt-4.1", "chat-v6", "2026-11-02T12:00:00.000Z", 9, true],
      ["claude-sonnet-4", "chat-v7", "2026-11-17T12:00:00.000Z", 1, false]
    ]);
  });

  test("finds the category production sees that no eval case covers, with its volume and quality against the rest", async () => {
    const db = await driftWarehouse();
    const [fresh, ...others] = (await driftPage(db)).newCategories;
    expect(others).toEqual([]);
    expect(fresh).toMatchObject({
      feature: "support-chat",
      category: "data-export",
      requests: 2,
      firstSeen: "2026-11-18T12:00:00.000Z",
      share: {rate: 0.2, n: 10, successes: 2},
      failed: {rate: 0.5, n: 2},
      failedRest: {rate: 0.125, n: 8},
      corrections: {n: 4, accepted: {rate: 0.25, n: 4}, escalated: {rate: 0.75, n: 4}},
      acceptedRest: {rate: 0.625, n: 16},
      acceptedVsRest: {value: -0.375, low: -0.654206, high: 0.133771, significant: false}
    });
    expect(fresh.weekly.map((w) => [w.week, w.n, w.share.n])).toEqual([["2026-11-16", 2, 5]]);
  });

  // A run's rows agree on its feature or leave it out (a run naming two is quarantined at ingest): a row
  // that leaves it out belongs to the feature its run names, as on the eval pages (eval_run). Counted
  // row by row, r2's rows without it made "scg" a feature of its own and took their cases out of support-chat's.
  test("counts a case under its run's feature when some of the run's rows leave the feature out", async () => {
    const withoutFeature = (i: number) => {
      const {feature: _, ...row} = evalCase("r2", i);
      return row;
    };
    db = await ingest({
      ...files,
      "eval.jsonl": jsonl(evalCase("r1", 1), evalCase("r2", 2), ...[3, 4, 5, 6, 7, 8, 9, 10].map(withoutFeature))
    });
    const p = await driftPage(db);
    expect(p.evalFeatures).toEqual(["support-chat"]);
    const [cat] = p.categoryShift;
    expect(cat.feature).toBe("support-chat");
    expect(cat.evalN).toBe(10);
    expect(cat.bins.map((b) => [b.label, b.evalN])).toEqual([
      ["billing", 5],
      ["data-export", 0],
      ["refunds", 5]
    ]);
  });

  test("has nothing to compare for a feature without eval results, and says what would fill the page", async () => {
    db = await ingest({"spans.jsonl": files["spans.jsonl"]});
    const p = await driftPage(db);
    expect(p.evalFeatures).toEqual([]);
    expect(p.categoryShift).toEqual([]);
    expect(p.newCategories).toEqual([]);
    expect(p.hints.eval_results).toMatch(/^Add a file such as eval_results\.jsonl/);
  });
});

// The experiments query over the sample workspace's planted experiments: each story reaches its
// verdict for its reason, and the headline numbers match an independent reading of the raw JSONL.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {experimentsPage, statusOf} from "../../../../loaders/queries/experiments.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";

const sample = join(import.meta.dirname, "../../../../data/sample");
const raw = (file: string) => readFileSync(join(sample, file), "utf8");
const rows = (file: string) => raw(file).trim().split("\n").map((l) => JSON.parse(l));
const config = configSchema.parse({experiments: JSON.parse(raw("workbench.config.json")).experiments});

let db: Database;
let page: Awaited<ReturnType<typeof experimentsPage>>;
beforeAll(async () => {
  db = await ingest({"assignments.jsonl": raw("assignments.jsonl"), "outcomes.jsonl": raw("outcomes.jsonl")}, {experiments: config.experiments});
  page = await experimentsPage(db, {config});
}, 60_000);
afterAll(() => db?.close());

const readout = (name: string) => page.experiments.find((e) => e.name === name)!;

describe("experimentsPage on the sample's planted stories", () => {
  test("smart-reply: task completion rises, but retention falls for enterprise → don't ship, naming the segment", () => {
    const e = readout("smart-reply");
    expect(e.status).toBe("ready to decide");
    expect(e.sampleRatio.mismatch).toBe(false);
    const c = e.comparisons[0];
    expect(c.primary!.direction).toBe("better");
    expect(c.primary!.cuped!.varianceReduction).toBeGreaterThan(0.05);
    expect(c.guardrails[0].direction).toBe("unclear");
    expect(c.segments.find((s) => s.harmful && s.attribute === "segment")).toMatchObject({level: "enterprise", metric: "retained_7d"});
    expect(e.verdict.verdict).toBe("don't ship");
    expect(e.verdict.reason).toMatch(/retained_7d falls for segment = enterprise/);
  });

  test("auto-triage: a tenth of the treatment's assignments missing → invalid (SRM)", () => {
    const e = readout("auto-triage");
    expect(e.sampleRatio.mismatch).toBe(true);
    expect(e.verdict.verdict).toBe("invalid");
  });

  test("answer-length: significant to a daily fixed-horizon peek early on, not at the end → don't ship", () => {
    const e = readout("answer-length");
    const c = e.comparisons[0];
    expect(e.status).toBe("ready to decide");
    expect(c.daily.filter((d) => d.naiveP < 0.05).map((d) => d.day)[0]).toBeLessThanOrEqual(4);
    expect(c.daily.at(-1)!.naiveP).toBeGreaterThan(0.05);
    // The last look, built from per-day increments, is the whole-period readout.
    expect(c.daily.at(-1)!.estimate).toBeCloseTo(c.primary!.absolute.estimate, 12);
    expect(c.daily.at(-1)!.units).toBe(c.primary!.control.n + c.primary!.treatment.n);
    // The always-valid interval never excluded 0, which is why the verdict never flipped.
    expect(c.daily.every((d) => d.alwaysValidLow < 0 && d.alwaysValidHigh > 0)).toBe(true);
    expect(e.verdict.verdict).toBe("don't ship");
    expect(e.verdict.reason).toMatch(/peeking then would have shipped it/);
  });

  test("draft-tone: running and far from powered → keep running, with the days still needed", () => {
    const e = readout("draft-tone");
    expect(e.status).toBe("running");
    const c = e.comparisons[0];
    expect(c.power.daysToMinimumEffect).toBeGreaterThan(0);
    expect(c.power.mdeRelative).toBeGreaterThan(e.minimumEffect);
    expect(c.guardrails[0].method).toMatch(/delta method/);
    expect(e.verdict.verdict).toBe("keep running");
    expect(e.verdict.reason).toMatch(/more days at current traffic/);
  });

  test("per-arm units, task completion rates and the SRM χ² match a plain reading of the raw files", () => {
    const assigned = rows("assignments.jsonl").filter((a) => a.experiment === "smart-reply");
    const completed = new Set(rows("outcomes.jsonl").filter((o) => o.experiment === "smart-reply" && o.metric === "task_completed" && o.value !== 0).map((o) => o.unit_id));
    const arm = (v: string) => assigned.filter((a) => a.variant === v);
    const rate = (v: string) => arm(v).filter((a) => completed.has(a.unit_id)).length / arm(v).length;
    const c = readout("smart-reply").comparisons[0].primary!;
    expect(c.control.n).toBe(arm("control").length);
    expect(c.treatment.n).toBe(arm("treatment").length);
    expect(c.control.value).toBeCloseTo(rate("control"), 12);
    expect(c.treatment.value).toBeCloseTo(rate("treatment"), 12);
    const triage = rows("assignments.jsonl").filter((a) => a.experiment === "auto-triage");
    const [nc, nt] = ["control", "treatment"].map((v) => triage.filter((a) => a.variant === v).length);
    const half = (nc + nt) / 2;
    expect(readout("auto-triage").sampleRatio.statistic).toBeCloseTo(((nc - half) ** 2 + (nt - half) ** 2) / half, 9);
  });

  test("page data stays small", () => {
    expect(JSON.stringify(page).length).toBeLessThan(2_000_000);
  });
});

describe("statusOf(experiment, lastDataMs, units)", () => {
  const end = "2026-11-21T00:00:00Z";
  test("ready once the last planned day has data or the sample size is reached; stopped wins", () => {
    expect(statusOf({end, stopped: false}, Date.parse("2026-11-20T01:00:00Z"), 10)).toBe("ready to decide");
    expect(statusOf({end, stopped: false}, Date.parse("2026-11-19T23:00:00Z"), 10)).toBe("running");
    expect(statusOf({sample_size: 100, stopped: false}, 0, 100)).toBe("ready to decide");
    expect(statusOf({end, stopped: true}, 0, 0)).toBe("stopped");
  });
});

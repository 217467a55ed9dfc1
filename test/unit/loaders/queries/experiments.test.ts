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
const rows = (file: string) =>
  raw(file)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const config = configSchema.parse({experiments: JSON.parse(raw("workbench.config.json")).experiments});

let db: Database;
let page: Awaited<ReturnType<typeof experimentsPage>>;
beforeAll(async () => {
  const files = ["assignments.jsonl", "outcomes.jsonl", "spans.jsonl", "corrections.jsonl", "flags.jsonl"];
  db = await ingest(Object.fromEntries(files.map((f) => [f, raw(f)])), {experiments: config.experiments});
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
    expect(c.segments.find((s) => s.harmful && s.attribute === "segment")).toMatchObject({
      level: "enterprise",
      metric: "retained_7d"
    });
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
    const completed = new Set(
      rows("outcomes.jsonl")
        .filter((o) => o.experiment === "smart-reply" && o.metric === "task_completed" && o.value !== 0)
        .map((o) => o.unit_id)
    );
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

  test("draft-tone's model guardrails per arm match a plain reading of the raw spans and corrections: the treatment is slower at p95, costlier and corrected more", () => {
    const spans = rows("spans.jsonl");
    const armOf = new Map(spans.filter((s) => s.experiment === "draft-tone").map((s) => [s.trace_id, s.variant]));
    const corrections = rows("corrections.jsonl").map((c) => ({...c, variant: c.variant ?? armOf.get(c.trace_id)}));
    const g = Object.fromEntries(readout("draft-tone").comparisons[0].modelGuardrails!.map((x) => [x.name, x]));
    for (const variant of ["control", "treatment"] as const) {
      const calls = spans.filter((s) => s.kind === "llm" && armOf.get(s.trace_id) === variant);
      const sorted = calls.map((s) => s.duration_ms).sort((a, b) => a - b);
      const h = (sorted.length - 1) * 0.95;
      const p95 = sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
      // The interval's ranks: the largest l with P(K ≤ l − 1) ≤ 2.5% and the smallest u with P(K ≤ u − 1) ≥ 97.5%, K ~ Binomial(n, 0.95).
      const n = sorted.length;
      const pmf = Array.from({length: n + 1}, (_, k) =>
        Math.exp(logChoose(n, k) + k * Math.log(0.95) + (n - k) * Math.log(0.05))
      );
      const cdf = pmf.map((_, k) => pmf.slice(0, k + 1).reduce((a, b) => a + b, 0));
      const low = cdf.findIndex((c) => c >= 0.025);
      const high = cdf.findIndex((c) => c >= 0.975) + 1;
      expect(g["p95 latency"][variant]).toMatchObject({
        n,
        value: expect.closeTo(p95, 9),
        low: sorted[low - 1],
        high: sorted[high - 1]
      });
      expect(g["failure rate"][variant].value).toBeCloseTo(calls.filter((s) => s.status === "error").length / n, 12);
      const costs = calls.filter((s) => s.cost_usd !== undefined).map((s) => s.cost_usd);
      expect(g["cost per request"][variant]).toMatchObject({
        n: costs.length,
        value: expect.closeTo(costs.reduce((a, b) => a + b, 0) / costs.length, 12)
      });
      const acts = corrections.filter((c) =>
        c.experiment === "draft-tone" ? c.variant === variant : armOf.get(c.trace_id) === variant && !c.experiment
      );
      expect(g["correction rate"][variant]).toMatchObject({
        n: acts.length,
        value: expect.closeTo(
          acts.filter((c) => ["edited", "rejected", "escalated"].includes(c.action)).length / acts.length,
          12
        )
      });
    }
    expect(g["p95 latency"].breached).toBe(true);
    expect(g["correction rate"].breached).toBe(true);
    expect(g["cost per request"].breached).toBe(true);
    expect(readout("draft-tone").verdict.reason).toMatch(/Model guardrail breached .*p95 latency.*correction rate/);
    // Experiments no trace or correction names have no model guardrails, rather than empty ones.
    expect(readout("smart-reply").comparisons[0].modelGuardrails).toBeNull();
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

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

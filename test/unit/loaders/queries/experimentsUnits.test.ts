// The page's per-unit SQL (per-arm moments and daily looks group a unit's outcomes by its assignment
// row) against a plain reading of the raw rows written here: the same unit ids in two experiments, a
// count metric with several rows per unit and day, units with no outcomes, and covariate rows on
// both sides of the assignment (only those before it count).
import {describe, expect, test} from "vitest";
import {seededRandom} from "../../../../src/lib/metrics/seededRandom.js";
import {experimentsPage} from "../../../../loaders/queries/experiments.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import {ingest} from "../../../helpers.js";

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);
const config = configSchema.parse({
  experiments: [
    {
      name: "alpha",
      variants: {control: 50, treatment: 50},
      control: "control",
      primary: {name: "task_completed", kind: "binary", covariate: "tasks_before"},
      guardrails: [{name: "messages", kind: "count", better: "lower"}],
      start: new Date(START).toISOString(),
      end: new Date(START + 10 * DAY).toISOString(),
      minimum_effect: 0.05,
      segments: ["segment"]
    },
    {
      name: "beta",
      variants: {control: 50, treatment: 50},
      control: "control",
      primary: {name: "sessions", kind: "count"},
      guardrails: [],
      start: new Date(START).toISOString(),
      end: new Date(START + 10 * DAY).toISOString(),
      minimum_effect: 0.05,
      segments: ["segment"]
    }
  ]
});

type Assignment = {experiment: string; unit_id: string; variant: string; assigned_at: string; segment: string};
type Outcome = {experiment: string; unit_id: string; metric: string; value: number; at: string};

const random = seededRandom(1712);
const assignments: Assignment[] = [];
const outcomes: Outcome[] = [];
const iso = (ms: number) => new Date(ms).toISOString();
for (const experiment of ["alpha", "beta"])
  for (let u = 0; u < 160; u++) {
    const assigned = START + Math.floor(random() * 8 * DAY);
    const variant = random() < 0.5 ? "control" : "treatment";
    assignments.push({
      experiment,
      unit_id: `u${u}`,
      variant,
      assigned_at: iso(assigned),
      segment: ["a", "b", "c"][u % 3]
    });
    const after = () => assigned + Math.floor(random() * 3 * DAY);
    if (experiment === "alpha") {
      if (random() < 0.5)
        outcomes.push({experiment, unit_id: `u${u}`, metric: "task_completed", value: 1, at: iso(after())});
      if (random() < 0.2)
        outcomes.push({experiment, unit_id: `u${u}`, metric: "task_completed", value: 0, at: iso(after())});
      for (let m = Math.floor(random() * 4); m > 0; m--)
        outcomes.push({
          experiment,
          unit_id: `u${u}`,
          metric: "messages",
          value: 1 + Math.floor(random() * 5),
          at: iso(after())
        });
      if (random() < 0.6)
        outcomes.push({
          experiment,
          unit_id: `u${u}`,
          metric: "tasks_before",
          value: 1 + Math.floor(random() * 6),
          at: iso(assigned - DAY)
        });
      // A covariate measured after the assignment is kept by the ingest but is no pre-period value.
      if (random() < 0.2)
        outcomes.push({experiment, unit_id: `u${u}`, metric: "tasks_before", value: 9, at: iso(after())});
    } else
      for (let m = Math.floor(random() * 5); m > 0; m--)
        outcomes.push({
          experiment,
          unit_id: `u${u}`,
          metric: "sessions",
          value: 1 + Math.floor(random() * 3),
          at: iso(after())
        });
  }

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const db = await ingest({"assignments.jsonl": jsonl(assignments), "outcomes.jsonl": jsonl(outcomes)}, config);
const page = await experimentsPage(db, {config});
// Without a binary primary in the config, the per-arm query leaves out the first-day counts.
const betaOnly = await experimentsPage(db, {config: {...config, experiments: config.experiments.slice(1)}});
db.close();

/** A unit's value of a metric from its rows up to `until`: the sum, or for a binary 1 when any is nonzero. */
function unitValue(a: Assignment, metric: string, binary: boolean, until = Infinity): number {
  const rows = outcomes.filter(
    (o) =>
      o.experiment === a.experiment &&
      o.unit_id === a.unit_id &&
      o.metric === metric &&
      Date.parse(o.at) >= Date.parse(a.assigned_at) &&
      Date.parse(o.at) < until
  );
  return binary ? Number(rows.some((o) => o.value !== 0)) : rows.reduce((s, o) => s + o.value, 0);
}
const covariate = (a: Assignment) =>
  outcomes
    .filter(
      (o) =>
        o.experiment === a.experiment &&
        o.unit_id === a.unit_id &&
        o.metric === "tasks_before" &&
        Date.parse(o.at) < Date.parse(a.assigned_at)
    )
    .reduce((s, o) => s + o.value, 0);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
const arm = (experiment: string, variant: string, segment?: string) =>
  assignments.filter(
    (a) => a.experiment === experiment && a.variant === variant && (segment === undefined || a.segment === segment)
  );
const welch = (t: number[], c: number[]) => Math.sqrt(variance(t) / t.length + variance(c) / c.length);
const readout = (name: string) => page.experiments.find((e) => e.name === name)!.comparisons[0];

describe("per-unit moments and daily looks against the raw rows", () => {
  test("alpha's binary primary: units, rates, the unadjusted standard error and CUPED's pooled slope", () => {
    const [t, c] = [arm("alpha", "treatment"), arm("alpha", "control")];
    const y = (units: Assignment[]) => units.map((a) => unitValue(a, "task_completed", true));
    const p = readout("alpha").primary!;
    expect([p.treatment.n, p.control.n]).toEqual([t.length, c.length]);
    expect(p.treatment.value).toBeCloseTo(mean(y(t)), 12);
    expect(p.control.value).toBeCloseTo(mean(y(c)), 12);
    expect(p.cuped!.unadjustedStandardError).toBeCloseTo(welch(y(t), y(c)), 12);
    const centred = (units: Assignment[]) => {
      const [xs, ys] = [units.map(covariate), y(units)];
      return xs.map((x, i) => [x - mean(xs), ys[i] - mean(ys)]);
    };
    const pairs = [...centred(t), ...centred(c)];
    const theta = pairs.reduce((s, [x, v]) => s + x * v, 0) / pairs.reduce((s, [x]) => s + x * x, 0);
    expect(p.cuped!.theta).toBeCloseTo(theta, 12);
  });

  test("alpha's count guardrail sums several rows per unit; units with none count as 0", () => {
    const [t, c] = [arm("alpha", "treatment"), arm("alpha", "control")];
    const y = (units: Assignment[]) => units.map((a) => unitValue(a, "messages", false));
    expect(y(t).filter((v) => v === 0).length).toBeGreaterThan(0);
    const g = readout("alpha").guardrails[0];
    expect(g.treatment.value).toBeCloseTo(mean(y(t)), 12);
    expect(g.control.value).toBeCloseTo(mean(y(c)), 12);
    expect(g.absolute.standardError).toBeCloseTo(welch(y(t), y(c)), 12);
  });

  test("segment levels count each experiment's own units (the same unit ids are in both experiments)", () => {
    for (const name of ["alpha", "beta"])
      for (const s of readout(name).segments) {
        expect(s.controlUnits).toBe(arm(name, "control", s.level).length);
        expect(s.treatmentUnits).toBe(arm(name, "treatment", s.level).length);
      }
    expect(readout("beta").segments.length).toBe(3);
  });

  test("alpha's daily looks: a binary unit counts from the day of its first nonzero outcome (zeros do not)", () => {
    const daily = readout("alpha").daily;
    expect(daily.length).toBeGreaterThan(5);
    for (const look of daily) {
      const end = START + look.day * DAY;
      const by = (v: string) => arm("alpha", v).filter((a) => Date.parse(a.assigned_at) < end);
      const values = (v: string) => by(v).map((a) => unitValue(a, "task_completed", true, end));
      expect(look.units).toBe(by("treatment").length + by("control").length);
      expect(look.estimate).toBeCloseTo(mean(values("treatment")) - mean(values("control")), 12);
    }
  });

  test("beta's readout is the same when no experiment in the config has a binary primary", () => {
    expect(betaOnly.experiments).toEqual([page.experiments.find((e) => e.name === "beta")]);
  });

  test("beta's daily looks: units assigned by each day's end and the difference of their running sums", () => {
    const daily = readout("beta").daily;
    expect(daily.length).toBeGreaterThan(5);
    for (const look of daily) {
      const end = START + look.day * DAY;
      const by = (v: string) => arm("beta", v).filter((a) => Date.parse(a.assigned_at) < end);
      const values = (v: string) => by(v).map((a) => unitValue(a, "sessions", false, end));
      expect(look.units).toBe(by("treatment").length + by("control").length);
      expect(look.estimate).toBeCloseTo(mean(values("treatment")) - mean(values("control")), 12);
    }
  });
});

import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {parseConfig} from "../../../../loaders/workspace/config.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const experiment = {
  name: "smart-reply",
  variants: {control: 50, treatment: 50},
  control: "control",
  primary: {name: "task_completed", kind: "binary", covariate: "tasks_before"},
  start: "2026-11-01T00:00:00Z",
  end: "2026-11-15T00:00:00Z",
  minimum_effect: 0.02
};
const assign = (unit: string, variant: string, at = "2026-11-02T10:00:00Z") => ({
  experiment: "smart-reply",
  unit_id: unit,
  variant,
  assigned_at: at,
  segment: "smb"
});
const outcome = (unit: string, metric: string, at: string, value = 1) => ({
  experiment: "smart-reply",
  unit_id: unit,
  metric,
  value,
  at
});
const quarantine = (d: Database) =>
  d.query(`SELECT source_file, line, table_name, field, reason FROM quarantine ORDER BY source_file, line`);

describe("checkExperiments (after ingest)", () => {
  test("quarantines an unknown variant, a unit in two variants (all its rows), and outcomes before assignment or without one", async () => {
    db = await ingest(
      {
        "assignments.jsonl": jsonl(
          assign("u1", "control"),
          assign("u2", "treatment"),
          assign("u3", "treatmnet"),
          assign("u4", "control"),
          assign("u4", "treatment", "2026-11-03T00:00:00Z"),
          assign("u1", "control")
        ),
        "outcomes.jsonl": jsonl(
          outcome("u1", "task_completed", "2026-11-02T11:00:00Z"),
          outcome("u1", "task_completed", "2026-11-01T09:00:00Z"),
          outcome("u1", "tasks_before", "2026-10-20T09:00:00Z", 4),
          outcome("u3", "task_completed", "2026-11-02T11:00:00Z"),
          outcome("u2", "task_completed", "2026-11-02T12:00:00Z"),
          {...outcome("u2", "task_completed", "2026-11-02T13:00:00Z"), experiment: "other"}
        )
      },
      {experiments: [experiment]}
    );
    expect(await quarantine(db)).toEqual([
      {
        source_file: "assignments.jsonl",
        line: 3,
        table_name: "assignments",
        field: "variant",
        reason: 'unknown variant "treatmnet" for experiment "smart-reply"; expected one of control, treatment'
      },
      {
        source_file: "assignments.jsonl",
        line: 4,
        table_name: "assignments",
        field: "variant",
        reason:
          'unit "u4" is in 2 variants of experiment "smart-reply" (control at assignments.jsonl:4, treatment at assignments.jsonl:5); all its rows are set aside'
      },
      {
        source_file: "assignments.jsonl",
        line: 5,
        table_name: "assignments",
        field: "variant",
        reason:
          'unit "u4" is in 2 variants of experiment "smart-reply" (control at assignments.jsonl:4, treatment at assignments.jsonl:5); all its rows are set aside'
      },
      {
        source_file: "assignments.jsonl",
        line: 6,
        table_name: "assignments",
        field: "experiment, unit_id, variant",
        reason: "duplicate key (experiment=smart-reply, unit_id=u1, variant=control); first seen at assignments.jsonl:1"
      },
      {
        source_file: "outcomes.jsonl",
        line: 2,
        table_name: "outcomes",
        field: "at",
        reason:
          "outcome at 2026-11-01T09:00:00Z is before the unit's assignment at 2026-11-02T10:00:00Z; only a pre-period covariate may be"
      },
      {
        source_file: "outcomes.jsonl",
        line: 4,
        table_name: "outcomes",
        field: "unit_id",
        reason: 'unit "u3" has no valid assignment in experiment "smart-reply"'
      },
      {
        source_file: "outcomes.jsonl",
        line: 6,
        table_name: "outcomes",
        field: "experiment",
        reason: `experiment "other" is not defined in the config's experiments; add it to workbench.config.json (docs/config.md)`
      }
    ]);
    expect(await db.query(`SELECT unit_id, variant FROM assignments ORDER BY unit_id`)).toEqual([
      {unit_id: "u1", variant: "control"},
      {unit_id: "u2", variant: "treatment"}
    ]);
    // The covariate measured before assignment stays.
    expect(await db.query(`SELECT unit_id, metric FROM outcomes ORDER BY source_line`)).toEqual([
      {unit_id: "u1", metric: "task_completed"},
      {unit_id: "u1", metric: "tasks_before"},
      {unit_id: "u2", metric: "task_completed"}
    ]);
    expect(await db.query(`SELECT file, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`)).toEqual([
      {file: "assignments.jsonl", rows_in: 6, rows_accepted: 2, rows_quarantined: 4},
      {file: "outcomes.jsonl", rows_in: 6, rows_accepted: 3, rows_quarantined: 3}
    ]);
  });

  test("an assignment to an experiment the config does not define is quarantined with the fix", async () => {
    db = await ingest({"assignments.csv": "experiment,unit_id,variant,assigned_at\nghost,u1,a,2026-11-02T10:00:00Z\n"});
    expect(await quarantine(db)).toEqual([
      {
        source_file: "assignments.csv",
        line: 2,
        table_name: "assignments",
        field: "experiment",
        reason: `experiment "ghost" is not defined in the config's experiments; add it to workbench.config.json (docs/config.md)`
      }
    ]);
  });
});

describe("the ingest's books at the timestamp check's edges", () => {
  test("each common shape is accepted with its instant, a value one edit away is quarantined with file, line and field, and rows in = accepted + quarantined", async () => {
    // Lines 1–3: the three GLOB shapes; 4–5: other ISO 8601 forms the pattern takes; 6–9: values DuckDB
    // casts to a timestamp but the pattern refuses (a space after T, a one-digit hour, a lower-case z,
    // a full-width digit).
    const times = [
      "2026-11-02T10:00:00.250Z",
      "2026-11-02T10:00:01Z",
      "2026-11-02T11:00:02.500000+01:00",
      "2026-11-02 10:00:03",
      "2026-11-02T10:00:04+0000",
      "2026-11-02T 9:00:00.000Z",
      "2026-11-02T9:00:00Z",
      "2026-11-02T10:00:00.000z",
      "２026-11-02T10:00:00.000Z"
    ];
    db = await ingest(
      {
        "assignments.jsonl": jsonl(...times.map((at, i) => assign(`u${i + 1}`, "control", at))),
        "outcomes.jsonl": jsonl(...times.map((at, i) => outcome(`u${i < 5 ? i + 1 : 1}`, "tasks_before", at)))
      },
      {experiments: [experiment]}
    );
    const accepted = await db.query(
      `SELECT source_line AS line, epoch_ms(assigned_at)::DOUBLE AS ms FROM assignments ORDER BY source_line`
    );
    expect(accepted).toEqual(
      times.slice(0, 5).map((at, i) => ({line: i + 1, ms: Date.parse(at.replace(" ", "T") + (i === 3 ? "Z" : ""))}))
    );
    expect(await db.query(`SELECT source_line AS line FROM outcomes ORDER BY source_line`)).toEqual(
      [1, 2, 3, 4, 5].map((line) => ({line}))
    );
    const expected = (file: string, field: string) =>
      times.slice(5).map((at, i) => ({
        source_file: file,
        line: i + 6,
        table_name: file.replace(".jsonl", ""),
        field,
        reason: `${field}: expected an ISO 8601 timestamp, got "${at}"`
      }));
    expect(await quarantine(db)).toEqual([
      ...expected("assignments.jsonl", "assigned_at"),
      ...expected("outcomes.jsonl", "at")
    ]);
    expect(await db.query(`SELECT file, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`)).toEqual([
      {file: "assignments.jsonl", rows_in: 9, rows_accepted: 5, rows_quarantined: 4},
      {file: "outcomes.jsonl", rows_in: 9, rows_accepted: 5, rows_quarantined: 4}
    ]);
  });
});

describe("experiments in workbench.config.json", () => {
  const error = (e: unknown) => {
    try {
      parseConfig(JSON.stringify({experiments: [e]}), "ws/workbench.config.json");
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("expected parseConfig to fail");
  };

  test("a control that is not a variant, a ratio without its parts and a misspelled key are errors", () => {
    expect(error({...experiment, control: "baseline"})).toContain(
      "experiments[0].control: control must be one of the variants"
    );
    expect(error({...experiment, primary: {name: "acceptance", kind: "ratio"}})).toContain(
      "experiments[0].primary: a ratio metric needs numerator and denominator"
    );
    expect(error({...experiment, minimum_efect: 0.02})).toContain('Unrecognized key: "minimum_efect"');
    expect(error({...experiment, end: undefined})).toContain("experiments[0].end: give a planned end or a sample_size");
  });
});

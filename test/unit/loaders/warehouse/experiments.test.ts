import {afterEach, describe, expect, test} from "vitest";
import {configSchema} from "../../../../loaders/schema/config.js";
import {assignments as assignmentsSpec, outcomes as outcomesSpec} from "../../../../loaders/schema/tables.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {checkExperiments} from "../../../../loaders/warehouse/experiments.js";
import {registerRedaction} from "../../../../loaders/warehouse/redact.js";
import {createCanonicalTableSql, createQuarantineSql} from "../../../../loaders/warehouse/validate.js";
import {parseConfig} from "../../../../loaders/workspace/config.js";
import {binaryExperiment, ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const experiment = binaryExperiment({
  start: "2026-11-01T00:00:00Z",
  end: "2026-11-15T00:00:00Z",
  covariate: "tasks_before"
});
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

// The page groups a unit's outcomes by the unit key stored on both tables (loaders/queries/experiments.ts),
// so every accepted outcome must carry its own assignment's key and time, and no two units one key.
describe("the unit key (after ingest)", () => {
  type Keyed = {experiment: string; unit_id: string; unit_key: string; assigned_at: string};
  const other = {...experiment, name: "tone", primary: {name: "task_completed", kind: "binary"}};
  const assignments = [
    assign("u1", "control", "2026-11-02T10:00:00Z"),
    assign("u2", "treatment", "2026-11-03T08:30:00Z"),
    // The same unit id in another experiment is another unit.
    {...assign("u1", "treatment", "2026-11-04T00:00:00Z"), experiment: "tone"},
    assign("u3", "control", "2026-11-05T00:00:00Z")
  ];
  const outcomes = [
    outcome("u1", "task_completed", "2026-11-02T11:00:00Z"),
    outcome("u2", "task_completed", "2026-11-03T09:00:00Z"),
    {...outcome("u1", "task_completed", "2026-11-04T01:00:00Z"), experiment: "tone"},
    outcome("u1", "tasks_before", "2026-10-20T09:00:00Z", 4),
    outcome("u2", "task_completed", "2026-11-04T09:00:00Z")
  ];

  test("each outcome carries its assignment's key and assignment time; each unit has a key of its own", async () => {
    db = await ingest(
      {"assignments.jsonl": jsonl(...assignments), "outcomes.jsonl": jsonl(...outcomes)},
      {experiments: [experiment, other]}
    );
    const units = await db.query<Keyed>(
      `SELECT experiment, unit_id, unit_key::VARCHAR AS unit_key, strftime(assigned_at, '%Y-%m-%dT%H:%M:%SZ') AS assigned_at
      FROM assignments`
    );
    expect(new Set(units.map((u) => u.unit_key)).size).toBe(assignments.length);
    // A hash of the unit, so that an incremental ingest writes the same keys as a cold one.
    expect(
      await db.query(`SELECT count(*)::INTEGER AS n FROM assignments WHERE unit_key <> hash(experiment, unit_id)`)
    ).toEqual([{n: 0}]);
    const unitOf = (o: {experiment: string; unit_id: string}) =>
      units.find((u) => u.experiment === o.experiment && u.unit_id === o.unit_id)!;
    const got = await db.query(
      `SELECT unit_key::VARCHAR AS unit_key, strftime(unit_assigned_at, '%Y-%m-%dT%H:%M:%SZ') AS unit_assigned_at
      FROM outcomes
      ORDER BY source_line`
    );
    expect(got).toEqual(
      outcomes.map((o) => ({
        unit_key: unitOf(o).unit_key,
        unit_assigned_at: assignments.find((a) => a.experiment === o.experiment && a.unit_id === o.unit_id)!.assigned_at
      }))
    );
  });

  /**
   * A warehouse of these rows as the ingest writes them, keys included, but for `collide`: that unit of
   * smart-reply is given u1's key, as a hash collision would. Not checked yet.
   */
  async function keyedWarehouse(collide: {assignment?: string; outcome?: string}, extra: typeof outcomes = []) {
    const keyed = await openDatabase();
    db = keyed;
    // The quarantine's reasons are redacted, as the ingest registers it.
    registerRedaction(keyed);
    for (const sql of [
      createCanonicalTableSql(assignmentsSpec),
      createCanonicalTableSql(outcomesSpec),
      createQuarantineSql
    ])
      await keyed.run(sql);
    const key = "CASE WHEN $unit_id = $collide THEN hash('smart-reply', 'u1') ELSE hash($experiment, $unit_id) END";
    for (const [i, a] of assignments.entries())
      await keyed.run(
        `INSERT INTO assignments (experiment, unit_id, variant, assigned_at, unit_key, source_file, source_line)
        VALUES ($experiment, $unit_id, $variant, $assigned_at::TIMESTAMPTZ, ${key}, 'a.jsonl', $line)`,
        {
          experiment: a.experiment,
          unit_id: a.unit_id,
          variant: a.variant,
          assigned_at: a.assigned_at,
          collide: collide.assignment ?? "",
          line: i + 1
        }
      );
    for (const [i, o] of [...outcomes, ...extra].entries())
      await keyed.run(
        `INSERT INTO outcomes (experiment, unit_id, metric, value, "at", unit_key, source_file, source_line)
        VALUES ($experiment, $unit_id, $metric, $value, $at::TIMESTAMPTZ, ${key}, 'o.jsonl', $line)`,
        {...o, collide: collide.outcome ?? "", line: i + 1}
      );
    return keyed;
  }

  test("two units whose keys collide are numbered in the order of experiment and unit, and their outcomes follow", async () => {
    // u1 of smart-reply and u3 given the same key.
    db = await keyedWarehouse({assignment: "u3"});
    await checkExperiments(db, configSchema.parse({experiments: [experiment, other]}).experiments);
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM quarantine`)).toEqual([{n: 0}]);
    expect(
      await db.query(`SELECT experiment, unit_id, unit_key::INTEGER AS unit_key FROM assignments ORDER BY ALL`)
    ).toEqual([
      {experiment: "smart-reply", unit_id: "u1", unit_key: 1},
      {experiment: "smart-reply", unit_id: "u2", unit_key: 2},
      {experiment: "smart-reply", unit_id: "u3", unit_key: 3},
      {experiment: "tone", unit_id: "u1", unit_key: 4}
    ]);
    expect(
      await db.query(`SELECT unit_key::INTEGER AS unit_key, strftime(unit_assigned_at, '%Y-%m-%dT%H:%M:%SZ') AS at
      FROM outcomes
      ORDER BY source_line`)
    ).toEqual([
      {unit_key: 1, at: "2026-11-02T10:00:00Z"},
      {unit_key: 2, at: "2026-11-03T08:30:00Z"},
      {unit_key: 4, at: "2026-11-04T00:00:00Z"},
      {unit_key: 1, at: "2026-11-02T10:00:00Z"},
      {unit_key: 2, at: "2026-11-03T08:30:00Z"}
    ]);
  });
  test("an outcome of a unit with no assignment, whose key is an assigned unit's (hashes colliding), gets no assignment time and is quarantined", async () => {
    // u9 was never assigned; its outcome is given u1's key.
    const stray = outcome("u9", "task_completed", "2026-11-02T12:00:00Z");
    db = await keyedWarehouse({outcome: "u9"}, [stray]);
    await checkExperiments(db, configSchema.parse({experiments: [experiment, other]}).experiments);
    expect(await db.query(`SELECT line, field, reason FROM quarantine`)).toEqual([
      {
        line: outcomes.length + 1,
        field: "unit_id",
        reason: 'unit "u9" has no valid assignment in experiment "smart-reply"'
      }
    ]);
    expect(
      await db.query(
        `SELECT unit_id, strftime(unit_assigned_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM outcomes ORDER BY source_line`
      )
    ).toEqual(
      outcomes.map((o) => ({
        unit_id: o.unit_id,
        at: assignments.find((a) => a.experiment === o.experiment && a.unit_id === o.unit_id)!.assigned_at
      }))
    );
  });
});

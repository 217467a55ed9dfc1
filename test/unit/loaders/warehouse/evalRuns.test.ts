import {afterEach, describe, expect, test} from "vitest";
import {prepareEvalTables, type EvalRunRow} from "../../../../loaders/queries/evalTables.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {runConflictReason} from "../../../../loaders/warehouse/evalRuns.js";
import {evalRow, ingest, jsonl} from "../../../helpers.js";
import {quarantineOf, sourcesOf} from "../../../realFixtures.js";

let dbs: Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
const open = async (files: Record<string, string>) => {
  const db = await ingest(files);
  dbs.push(db);
  return db;
};
const accepted = (db: Database) =>
  db.query(`SELECT source_file, source_line, run_id, case_id, suite, model FROM eval_results ORDER BY ALL`);

describe("runConflictReason(runId, conflicts)", () => {
  test("names the run, the field, how many values and which, and the fix", () => {
    expect(runConflictReason("nightly-1", [{field: "suite", count: 3, values: ["a", "b", "c"]}])).toBe(
      "run nightly-1 names 3 suites (a, b, c): one run_id is one suite's run; give each suite's run its own run_id"
    );
  });

  test("names every field that disagrees, and lists at most five values of each", () => {
    expect(
      runConflictReason("r", [
        {field: "model", count: 7, values: ["m1", "m2", "m3", "m4", "m5"]},
        {field: "prompt_version", count: 2, values: ["v1", "v2"]}
      ])
    ).toBe(
      "run r names 7 models (m1, m2, m3, m4, m5, …) and 2 prompt versions (v1, v2): one run_id is one run, of one model and one prompt version; give each its own run_id"
    );
  });
});

describe("quarantineSplitRuns (after ingest)", () => {
  test("quarantines every row of a run whose rows name three suites, with one reason, and leaves a consistent run untouched", async () => {
    const db = await open({
      "nightly.jsonl": jsonl(
        evalRow({run_id: "nightly-1", case_id: "c1", suite: "a"}),
        evalRow({run_id: "nightly-1", case_id: "c2", suite: "b"}),
        evalRow({run_id: "ok", case_id: "c1"}),
        evalRow({run_id: "nightly-1", case_id: "c3", suite: "c"}),
        evalRow({run_id: "nightly-1", case_id: "c4", suite: "a"}),
        evalRow({run_id: "ok", case_id: "c2", passed: false})
      )
    });
    const reason =
      "run nightly-1 names 3 suites (a, b, c): one run_id is one suite's run; give each suite's run its own run_id";
    expect(await quarantineOf(db)).toEqual(
      [1, 2, 4, 5].map((line) => ({source_file: "nightly.jsonl", line, field: "suite", reason}))
    );
    expect(await accepted(db)).toEqual([
      {source_file: "nightly.jsonl", source_line: 3, run_id: "ok", case_id: "c1", suite: "golden", model: "gpt-4.1"},
      {source_file: "nightly.jsonl", source_line: 6, run_id: "ok", case_id: "c2", suite: "golden", model: "gpt-4.1"}
    ]);
    expect(await sourcesOf(db)).toEqual([
      {
        file: "nightly.jsonl",
        format: "native-jsonl",
        status: "ingested",
        rows_in: 6,
        rows_accepted: 2,
        rows_quarantined: 4
      }
    ]);
  });

  test("quarantines a run whose rows in two files name two models in both files, each file's books exact", async () => {
    const db = await open({
      "a.jsonl": jsonl(evalRow({case_id: "c1"}), evalRow({case_id: "c2"}), evalRow({run_id: "r2", case_id: "c1"})),
      "b.jsonl": jsonl(evalRow({case_id: "c3", model: "claude-sonnet-4"}))
    });
    const reason =
      "run r1 names 2 models (claude-sonnet-4, gpt-4.1): one run_id is one model's run; give each model's run its own run_id";
    expect(await quarantineOf(db)).toEqual([
      {source_file: "a.jsonl", line: 1, field: "model", reason},
      {source_file: "a.jsonl", line: 2, field: "model", reason},
      {source_file: "b.jsonl", line: 1, field: "model", reason}
    ]);
    expect(await db.query(`SELECT file, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`)).toEqual([
      {file: "a.jsonl", rows_in: 3, rows_accepted: 1, rows_quarantined: 2},
      {file: "b.jsonl", rows_in: 1, rows_accepted: 0, rows_quarantined: 1}
    ]);
  });

  test("accepts a run whose rows leave optional fields out, and its run takes the values stated", async () => {
    const db = await open({
      // The first rows name no feature: the run's feature is the one the last row states, not the suite.
      "evals.jsonl": jsonl(
        evalRow({case_id: "c1"}),
        evalRow({case_id: "c2", prompt_version: "v2"}),
        evalRow({case_id: "c3", prompt_version: "v2", feature: "chat", dataset_version: "d1"})
      )
    });
    expect(await quarantineOf(db)).toEqual([]);
    await prepareEvalTables(db);
    const [run] = await db.query<EvalRunRow>(
      `SELECT run_id, suite, feature, model, prompt_version, dataset_version, option, eval_id FROM eval_run`
    );
    expect(run).toEqual({
      run_id: "r1",
      suite: "golden",
      feature: "chat",
      model: "gpt-4.1",
      prompt_version: "v2",
      dataset_version: "d1",
      option: "gpt-4.1 · v2",
      eval_id: "r1"
    });
  });

  test("a repeated row that names another model is set aside as a copy, not counted as a second model of its run", async () => {
    const db = await open({
      "a.jsonl": jsonl(evalRow({case_id: "c1"}), evalRow({case_id: "c2"})),
      "b.jsonl": jsonl(evalRow({case_id: "c1", model: "claude-sonnet-4"}))
    });
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "b.jsonl",
        line: 1,
        field: "run_id, case_id, epoch",
        reason: "duplicate key (run_id=r1, case_id=c1, epoch=1); first seen at a.jsonl:1"
      }
    ]);
    expect((await accepted(db)).map((r) => r.model)).toEqual(["gpt-4.1", "gpt-4.1"]);
  });
});

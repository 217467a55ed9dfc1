import {afterEach, describe, expect, test} from "vitest";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {mergeLabelSpellings, revertLabelSpellings} from "../../../../loaders/warehouse/labelSpellings.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const spellings = (d: Database) =>
  d.query(
    `SELECT source_file, task, field, "column", spelling, merged_into, rows, reason FROM label_spellings ORDER BY ALL`
  );
const labels = (d: Database) =>
  d.query(`SELECT task, label, predicted, count(*)::INTEGER AS n FROM predictions GROUP BY ALL ORDER BY ALL`);

describe("mergeLabelSpellings(db): spellings of one label", () => {
  test("in a JSONL file (read straight into the table) are merged into the spelling most rows use, and listed", async () => {
    const row = (id: number, label: string, predicted: string) => ({
      id: String(id),
      task: "routing",
      kind: "multiclass",
      model: "r1",
      label,
      predicted
    });
    db = await ingest({
      "p.jsonl": jsonl(
        row(1, "billing", "billing"),
        row(2, "Billing", "billing"),
        row(3, "billing\t", "refunds"),
        row(4, "refunds", "REFUNDS"),
        row(5, "refunds", "refunds")
      )
    });
    expect(await labels(db)).toEqual([
      {task: "routing", label: "billing", predicted: "billing", n: 2},
      {task: "routing", label: "billing", predicted: "refunds", n: 1},
      {task: "routing", label: "refunds", predicted: "refunds", n: 2}
    ]);
    expect(await spellings(db)).toEqual([
      {
        source_file: "p.jsonl",
        task: "routing",
        field: "label",
        column: "label",
        spelling: "Billing",
        merged_into: "billing",
        rows: 1,
        reason: "case"
      },
      {
        source_file: "p.jsonl",
        task: "routing",
        field: "label",
        column: "label",
        spelling: "billing\t",
        merged_into: "billing",
        rows: 1,
        reason: "whitespace"
      },
      {
        source_file: "p.jsonl",
        task: "routing",
        field: "predicted",
        column: "predicted",
        spelling: "REFUNDS",
        merged_into: "refunds",
        rows: 1,
        reason: "case"
      }
    ]);
  });

  test("keep their case when only one spelling exists, and are compared within a task, not across tasks", async () => {
    db = await ingest({
      "a.csv": "label,predicted\nBilling,Billing\nRefunds,Billing\n",
      "b.csv": "label,predicted\nbilling,billing\nrefunds,refunds\n"
    });
    expect(await labels(db)).toEqual([
      {task: "a", label: "Billing", predicted: "Billing", n: 1},
      {task: "a", label: "Refunds", predicted: "Billing", n: 1},
      {task: "b", label: "billing", predicted: "billing", n: 1},
      {task: "b", label: "refunds", predicted: "refunds", n: 1}
    ]);
    expect(await spellings(db)).toEqual([]);
  });

  test("name the file's own column, renamed by the config", async () => {
    db = await ingest(
      {"g.csv": "truth,score\nToxic,0.9\ntoxic,0.8\ntoxic,0.7\nok,0.1\n"},
      {sources: [{path: "g.csv", format: "predictions-csv", columns: {label: "truth"}}]}
    );
    expect(await spellings(db)).toEqual([
      {
        source_file: "g.csv",
        task: "g",
        field: "label",
        column: "truth",
        spelling: "Toxic",
        merged_into: "toxic",
        rows: 1,
        reason: "case"
      }
    ]);
  });
});

describe("a class label of only whitespace", () => {
  test("is missing, like any blank field, and quarantined where the label is required", async () => {
    const row = (id: string, label: string, predicted: string) => ({
      id,
      task: "t",
      kind: "multiclass",
      model: "m",
      label,
      predicted
    });
    db = await ingest({"p.jsonl": jsonl(row("1", " \t\r\n", "a"), row("2", "a", "\t"), row("3", "a", " a"))});
    expect(await db.query(`SELECT line, field, reason FROM quarantine`)).toEqual([
      {line: 1, field: "label", reason: "label: missing required field"}
    ]);
    expect(await db.query(`SELECT id, label, predicted FROM predictions ORDER BY id`)).toEqual([
      {id: "2", label: "a", predicted: null},
      {id: "3", label: "a", predicted: "a"}
    ]);
  });
});

describe("a warehouse without predictions", () => {
  test("gets the empty spelling tables and no statement over predictions (their planning was a tenth of a small ingest)", async () => {
    db = await ingest({
      "e.jsonl": jsonl({
        run_id: "r",
        case_id: "c",
        suite: "s",
        started_at: "2026-11-01T09:00:00Z",
        model: "m",
        passed: true
      })
    });
    const statements: string[] = [];
    const run = db.run.bind(db);
    db.run = async (sql, params) => {
      statements.push(sql);
      return run(sql, params);
    };
    await revertLabelSpellings(db);
    await mergeLabelSpellings(db);
    expect(statements.filter((sql) => /\bpredictions\b/.test(sql))).toEqual([]);
    expect(await spellings(db)).toEqual([]);
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM label_rewrites`)).toEqual([{n: 0}]);
  });

  test("with a prediction whose spelling an earlier ingest rewrote, puts it back before merging again", async () => {
    db = await openDatabase();
    await db.run(
      `CREATE TABLE predictions (task VARCHAR, label VARCHAR, predicted VARCHAR, positive_label VARCHAR, source_file VARCHAR, source_line INTEGER)`
    );
    await db.run(`INSERT INTO predictions VALUES ('t', 'billing', 'billing', NULL, 'p.csv', 1)`);
    await db.run(
      `CREATE TABLE label_rewrites (source_file VARCHAR, source_line INTEGER, field VARCHAR, spelling VARCHAR)`
    );
    await db.run(`INSERT INTO label_rewrites VALUES ('p.csv', 1, 'label', 'Billing ')`);
    await revertLabelSpellings(db);
    expect(await db.query(`SELECT label, predicted FROM predictions`)).toEqual([
      {label: "Billing ", predicted: "billing"}
    ]);
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM label_rewrites`)).toEqual([{n: 0}]);
  });
});

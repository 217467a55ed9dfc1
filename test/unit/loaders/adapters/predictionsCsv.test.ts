import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const rows = (d: Database) =>
  d.query(`SELECT id, task, kind, model, label, predicted, score, segment FROM predictions ORDER BY task, source_line`);
const sources = (d: Database) =>
  d.query(`SELECT file, format, table_name, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`);
const quarantine = (d: Database) =>
  d.query(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);

describe("predictions-csv adapter", () => {
  test("label + score is a binary file: task from the file name, id from the row number, no config", async () => {
    db = await ingest({"evals/toxicity-guardrail.csv": "label,score\n1,0.91\n0,0.12\n"});
    expect(await rows(db)).toEqual([
      {
        id: "1",
        task: "toxicity-guardrail",
        kind: "binary",
        model: "unspecified",
        label: "1",
        predicted: null,
        score: 0.91,
        segment: null
      },
      {
        id: "2",
        task: "toxicity-guardrail",
        kind: "binary",
        model: "unspecified",
        label: "0",
        predicted: null,
        score: 0.12,
        segment: null
      }
    ]);
    expect(await sources(db)).toEqual([
      {
        file: "evals/toxicity-guardrail.csv",
        format: "predictions-csv",
        table_name: "predictions",
        rows_in: 2,
        rows_accepted: 2,
        rows_quarantined: 0
      }
    ]);
  });

  test("label + predicted is multiclass; optional model, segment, id and task columns are kept; unknown columns ignored", async () => {
    db = await ingest({
      "routing.csv":
        "ticket,id,label,predicted,model,segment,notes\nx,t1,billing,refunds,r1,smb,hi\nx,t2,refunds,refunds,r1,enterprise,\n"
    });
    expect(await rows(db)).toEqual([
      {
        id: "t1",
        task: "routing",
        kind: "multiclass",
        model: "r1",
        label: "billing",
        predicted: "refunds",
        score: null,
        segment: "smb"
      },
      {
        id: "t2",
        task: "routing",
        kind: "multiclass",
        model: "r1",
        label: "refunds",
        predicted: "refunds",
        score: null,
        segment: "enterprise"
      }
    ]);
  });

  test("human_label + judge_label is a judge file", async () => {
    db = await ingest({
      "summary-judge.tsv": "human_label\tjudge_label\tmodel\nfail\tpass\tgpt-4.1\npass\tpass\tgpt-4.1\n"
    });
    expect(await rows(db)).toEqual([
      {
        id: "1",
        task: "summary-judge",
        kind: "judge",
        model: "gpt-4.1",
        label: "fail",
        predicted: "pass",
        score: null,
        segment: null
      },
      {
        id: "2",
        task: "summary-judge",
        kind: "judge",
        model: "gpt-4.1",
        label: "pass",
        predicted: "pass",
        score: null,
        segment: null
      }
    ]);
  });

  test("label, predicted and score together: two labels make it binary, more make it multiclass", async () => {
    db = await ingest({
      "guard.csv": "label,predicted,score\ntoxic,toxic,0.8\nok,toxic,0.6\nok,ok,0.1\n",
      "router.csv": "label,predicted,score\na,a,0.8\nb,a,0.6\nc,c,0.9\n"
    });
    expect(
      await db.query(
        `SELECT task, any_value(kind) AS kind, count(*)::INTEGER AS n FROM predictions GROUP BY task ORDER BY task`
      )
    ).toEqual([
      {task: "guard", kind: "binary", n: 3},
      {task: "router", kind: "multiclass", n: 3}
    ]);
  });

  test("quarantines a row without a label and a score outside [0, 1], naming line and field", async () => {
    db = await ingest({"p.csv": "label,score\n1,0.5\n,0.4\n0,1.2\n1,0.3,extra\n"});
    expect(await quarantine(db)).toEqual([
      {source_file: "p.csv", line: 3, field: "label", reason: "label: missing required field"},
      {source_file: "p.csv", line: 4, field: "score", reason: 'score: expected ≤ 1, got "1.2"'},
      {source_file: "p.csv", line: 5, field: null, reason: "expected 2 columns as in the header, found 3"}
    ]);
    expect(await sources(db)).toEqual([
      {
        file: "p.csv",
        format: "predictions-csv",
        table_name: "predictions",
        rows_in: 4,
        rows_accepted: 1,
        rows_quarantined: 3
      }
    ]);
  });

  test("accepts \\n, \\r\\n and \\r line ends mixed in one file, and names each row's physical line", async () => {
    // Line 1 header (\n), 2 (\r\n), 3–4 a quoted \r\n inside the segment, 5 (\r), 6 blank, 7 a row without a label.
    db = await ingest({"p.csv": 'label,score,segment\n1,0.5,smb\r\n0,0.2,"two\r\nlines"\r\n1,0.9,ent\r\r\n,0.4,smb\n'});
    expect(await db.query(`SELECT label, score, segment, source_line FROM predictions ORDER BY source_line`)).toEqual([
      {label: "1", score: 0.5, segment: "smb", source_line: 2},
      {label: "0", score: 0.2, segment: "two\r\nlines", source_line: 3},
      {label: "1", score: 0.9, segment: "ent", source_line: 5}
    ]);
    expect(await quarantine(db)).toEqual([
      {source_file: "p.csv", line: 7, field: "label", reason: "label: missing required field"}
    ]);
  });

  test("leaves the workbench's own CSV (with a kind column) and other CSVs to their adapters", async () => {
    db = await ingest({
      "native.csv": "id,task,kind,model,label,score\n1,tox,binary,g,toxic,0.9\n",
      "evals.csv": "run_id,case_id,suite,started_at,model,passed,score\nr,c,s,2026-11-01T00:00:00Z,m,true,0.5\n"
    });
    expect((await sources(db)).map((s) => [s.file, s.format])).toEqual([
      ["evals.csv", "native-csv"],
      ["native.csv", "native-csv"]
    ]);
  });

  test("a config entry renames columns and fills the task and model: the real COMPAS file", async () => {
    const csv = readFileSync(join(projectRoot, "test/fixtures/real/classifier-predictions/compas_for_aequitas.csv"));
    db = await ingest(
      {"compas_for_aequitas.csv": csv},
      {
        sources: [
          {
            path: "compas_*.csv",
            columns: {label: "label_value", id: "entity_id", segment: "race"},
            defaults: {task: "recidivism", model: "compas"}
          }
        ]
      }
    );
    expect(await sources(db)).toEqual([
      {
        file: "compas_for_aequitas.csv",
        format: "predictions-csv",
        table_name: "predictions",
        rows_in: 7214,
        rows_accepted: 7214,
        rows_quarantined: 0
      }
    ]);
    expect(
      await db.query(
        `SELECT id, task, kind, model, label, score, segment FROM predictions ORDER BY source_line LIMIT 2`
      )
    ).toEqual([
      {id: "1", task: "recidivism", kind: "binary", model: "compas", label: "0", score: 0, segment: "Other"},
      {id: "3", task: "recidivism", kind: "binary", model: "compas", label: "1", score: 0, segment: "African-American"}
    ]);
  });

  test("defaults.kind overrides the guess from the header", async () => {
    db = await ingest(
      {"j.csv": "label,predicted,score\npass,fail,0.7\n"},
      {sources: [{path: "j.csv", defaults: {kind: "judge"}}]}
    );
    expect(await db.query(`SELECT kind FROM predictions`)).toEqual([{kind: "judge"}]);
  });
});

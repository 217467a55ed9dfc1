// A real file of human verdicts on model outputs (OpenAI Evals' joke_fruits_labeled.jsonl: is this
// completion funny, "Yes" or "No"), which no tool-specific reader claims: a config sources entry maps
// it to eval results graded by people, and the eval pages' pass rate is the share of "Yes" an
// independent reading of the raw file gives.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const raw = readFileSync(join(projectRoot, "test/fixtures/real/human-feedback/joke_fruits_labeled.jsonl"), "utf8");
const config = {
  sources: [
    {
      path: "joke_fruits_labeled.jsonl",
      table: "eval_results",
      columns: {case_id: "input", output_excerpt: "completion", passed: "choice"},
      defaults: {
        run_id: "joke-fruits-human",
        suite: "funny jokes",
        model: "unspecified",
        started_at: "2023-04-01T00:00:00Z",
        grader: "human"
      }
    }
  ]
};

describe("human verdicts mapped to eval results (joke_fruits_labeled.jsonl)", () => {
  test("every line is a case graded by people, and the pass rate is the share of Yes", async () => {
    const lines = raw
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as {input: string; choice: string});
    const yes = lines.filter((l) => l.choice === "Yes").length;
    db = await ingest({"joke_fruits_labeled.jsonl": raw}, config);
    expect(await db.query(`SELECT rows_in, rows_accepted, rows_quarantined FROM sources`)).toEqual([
      {rows_in: lines.length, rows_accepted: lines.length, rows_quarantined: 0}
    ]);
    expect(
      await db.query(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE passed)::INTEGER AS passes, count(DISTINCT grader)::INTEGER AS graders, any_value(grader) AS grader FROM eval_results`
      )
    ).toEqual([{n: lines.length, passes: yes, graders: 1, grader: "human"}]);
    const page = await bakeoff(db, {config: configSchema.parse(config)});
    const option = page.suites[0].options[0];
    expect(option.pass).toMatchObject({rate: yes / lines.length, n: lines.length});
  });
});

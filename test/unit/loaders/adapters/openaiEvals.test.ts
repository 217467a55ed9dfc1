import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {quarantineOf, realFixture, sourcesOf} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

describe("openai-evals adapter", () => {
  test("maps match events to graded cases: data.correct, the spec's run_id, completion_fns, eval names and created_at", async () => {
    db = await ingest({"logs/test-match.jsonl": realFixture("openai-evals/test-match.jsonl")});
    expect(
      await db.query(`SELECT run_id, case_id, epoch, suite, dataset_version, started_at, model, provider, grader, score, passed, input_chars, output_excerpt, source_line
      FROM eval_results ORDER BY case_id`)
    ).toEqual([
      {
        run_id: "230417220821DPM75QNS",
        case_id: "test-match.s1.0",
        epoch: 1,
        suite: "test-match",
        dataset_version: "test-match.s1.simple-v0",
        started_at: "2023-04-17T22:08:21.904Z",
        model: "auto_gpt_completion_fn",
        provider: "openai",
        grader: "programmatic",
        score: 0,
        passed: false,
        input_chars: 76,
        output_excerpt: "Once upon a time",
        source_line: 8
      },
      {
        run_id: "230417220821DPM75QNS",
        case_id: "test-match.s1.1",
        epoch: 1,
        suite: "test-match",
        dataset_version: "test-match.s1.simple-v0",
        started_at: "2023-04-17T22:08:21.904Z",
        model: "auto_gpt_completion_fn",
        provider: "openai",
        grader: "programmatic",
        score: 1,
        passed: true,
        input_chars: 91,
        output_excerpt: "George Washington",
        source_line: 6
      },
      {
        run_id: "230417220821DPM75QNS",
        case_id: "test-match.s1.2",
        epoch: 1,
        suite: "test-match",
        dataset_version: "test-match.s1.simple-v0",
        started_at: "2023-04-17T22:08:21.904Z",
        model: "auto_gpt_completion_fn",
        provider: "openai",
        grader: "programmatic",
        score: 0,
        passed: false,
        input_chars: 88,
        output_excerpt: "OpenAI was founded in 2015.2015",
        source_line: 4
      }
    ]);
    // The log's own final_report says accuracy 1/3; the rows agree.
    expect(await db.query(`SELECT avg(passed::INTEGER) AS accuracy FROM eval_results`)).toEqual([{accuracy: 1 / 3}]);
  });

  test("says what a record holding only a final_report contained, instead of dropping it silently", async () => {
    db = await ingest({"oriprompt.log": realFixture("openai-evals/oriprompt.log")});
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "oriprompt.log",
        line: 1,
        field: null,
        reason:
          "oaieval run 2310190045387DTSUPSQ (self_prompting.full, self_prompting/oriprompt/baseline) holds only a final_report (accuracy 0.207, accuracy_fuzzy 0.344, prompt_rule_violation_rate 1, n_samples 1500) and no per-sample match or metrics events, so no case rows came from it"
      }
    ]);
    expect(await sourcesOf(db)).toEqual([
      {
        file: "oriprompt.log",
        format: "openai-evals",
        status: "ingested",
        rows_in: 1,
        rows_accepted: 0,
        rows_quarantined: 1
      }
    ]);
  });

  test("reports every sampled-but-ungraded sample of a truncated modelgraded run, with its events", async () => {
    db = await ingest({"srl.jsonl": realFixture("openai-evals/gpt-4-cot_semantic_role_recognition.jsonl")});
    const rows = (await quarantineOf(db)) as {line: number; reason: string}[];
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({
      source_file: "srl.jsonl",
      line: 2,
      field: null,
      reason:
        "sample semantic_role_recognition.test.231: 4 sampling event(s) but no match or metrics event (the run stopped before grading it, or the eval records results another way), so there is no pass/fail to record"
    });
    expect(rows[1]).toEqual({
      source_file: "srl.jsonl",
      line: 4,
      field: null,
      reason:
        'sample semantic_role_recognition.test.25: 8 sampling, 1 metrics event(s) but a metrics event ({"choice":"E","score":null}) without a numeric score, so there is no pass/fail to record'
    });
    expect(await sourcesOf(db)).toEqual([
      {file: "srl.jsonl", format: "openai-evals", status: "ingested", rows_in: 9, rows_accepted: 0, rows_quarantined: 9}
    ]);
  });

  test("grades a modelgraded metrics event that carries a score, full credit as a pass", async () => {
    const lines = realFixture("openai-evals/gpt-4-cot_semantic_role_recognition.jsonl").trimEnd().split("\n");
    const metrics = JSON.parse(lines.at(-1)!);
    metrics.data = {choice: "Y", score: 1};
    db = await ingest({"srl.jsonl": [...lines.slice(0, -1), JSON.stringify(metrics)].join("\n") + "\n"});
    expect(await db.query(`SELECT case_id, grader, score, passed, reason, source_line FROM eval_results`)).toEqual([
      {
        case_id: "semantic_role_recognition.test.25",
        grader: "model",
        score: 1,
        passed: true,
        reason: "choice Y",
        source_line: 34
      }
    ]);
  });

  test("recognizes the log by its spec line, not its extension, and quarantines a malformed event line", async () => {
    const text = realFixture("openai-evals/test-match.jsonl").replace(
      /\n(\{"run_id": "230417220821DPM75QNS", "event_id": 5)/,
      "\n{broken\n$1"
    );
    db = await ingest({"run.log": text});
    expect(await quarantineOf(db)).toEqual([
      {source_file: "run.log", line: 8, field: null, reason: "malformed JSON: expected one JSON object on this line"}
    ]);
    expect(await sourcesOf(db)).toEqual([
      {file: "run.log", format: "openai-evals", status: "ingested", rows_in: 4, rows_accepted: 3, rows_quarantined: 1}
    ]);
  });
});

describe("openai-evals adapter: a case's input and expected output", () => {
  test("are the sampling event's prompt and the match event's expected answer, as the raw record file holds them", async () => {
    const file = realFixture("openai-evals/test-match.jsonl");
    db = await ingest({"oaieval/test-match.jsonl": file});
    const events = file
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l))
      .filter((e) => e.sample_id !== undefined);
    const want = events
      .filter((e) => e.type === "match")
      .map((m) => ({
        case_id: m.sample_id,
        input_excerpt: events.find((e) => e.type === "sampling" && e.sample_id === m.sample_id).data.prompt.trim(),
        expected_excerpt: m.data.expected
      }))
      .sort((a, b) => (a.case_id < b.case_id ? -1 : 1));
    expect(
      await db.query(`SELECT case_id, input_excerpt, expected_excerpt FROM eval_results ORDER BY case_id`)
    ).toEqual(want);
    expect(want[0]).toEqual({
      case_id: "test-match.s1.0",
      input_excerpt: "Complete the phrase as concisely as possible.\nUser: Once upon a \nAssistant:",
      expected_excerpt: "time"
    });
  });

  test("shows a chat prompt's user turns, not its system prompt, and a model-graded sample has no expected answer", async () => {
    // The real run's one metrics event has score null (quarantined); given a score, its sample is a row.
    const lines = realFixture("openai-evals/gpt-4-cot_semantic_role_recognition.jsonl")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    const metrics = lines.find((e) => e.type === "metrics");
    metrics.data.score = 1;
    db = await ingest({"oaieval/srl.jsonl": lines.map((l) => JSON.stringify(l)).join("\n")});
    const sampling = lines.find((e) => e.type === "sampling" && e.sample_id === metrics.sample_id);
    const user = sampling.data.prompt
      .filter((m: {role: string}) => m.role === "user")
      .map((m: {content: string}) => m.content)
      .join("\n")
      .trim();
    expect(user.length).toBeGreaterThan(160);
    expect(await db.query(`SELECT case_id, input_excerpt, expected_excerpt FROM eval_results`)).toEqual([
      {case_id: metrics.sample_id, input_excerpt: `${[...user].slice(0, 160).join("")}…`, expected_excerpt: null}
    ]);
  });
});

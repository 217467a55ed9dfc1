import {afterEach, describe, expect, test} from "vitest";
import {scoreValue} from "../../../../loaders/adapters/inspectAi.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {quarantineOf, realFixture, sourcesOf} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

const columns = `run_id, case_id, epoch, suite, started_at, model, provider, grader, score, passed, input_chars, latency_ms, input_tokens, output_tokens, refused, tags, named_scores`;

describe("inspect-ai adapter", () => {
  test("maps a successful log: samples[].scores C/I values, eval.model, eval.task, eval.created, the model call's usage and time", async () => {
    db = await ingest({
      "logs/security-guide.json": realFixture("inspect-ai/2025-05-12T20-28-26-04-00_security-guide.json")
    });
    expect(await db.query(`SELECT ${columns} FROM eval_results ORDER BY case_id`)).toEqual([
      {
        run_id: "f9WtbTGsrMUNXppXPbR9sq",
        case_id: "1",
        epoch: 1,
        suite: "security_guide",
        started_at: "2025-05-13T00:28:26.000Z",
        model: "gpt-4o-mini",
        provider: "openai",
        grader: "model",
        score: 1,
        passed: true,
        input_chars: 39,
        latency_ms: 683.4162082523108,
        input_tokens: 61,
        output_tokens: 17,
        refused: false,
        tags: null,
        named_scores: '{"model_graded_fact":1}'
      },
      {
        run_id: "f9WtbTGsrMUNXppXPbR9sq",
        case_id: "2",
        epoch: 1,
        suite: "security_guide",
        started_at: "2025-05-13T00:28:26.000Z",
        model: "gpt-4o-mini",
        provider: "openai",
        grader: "model",
        score: 1,
        passed: true,
        input_chars: 22,
        latency_ms: 678.2567920163274,
        input_tokens: 60,
        output_tokens: 9,
        refused: false,
        tags: null,
        named_scores: '{"model_graded_fact":1}'
      },
      {
        run_id: "f9WtbTGsrMUNXppXPbR9sq",
        case_id: "3",
        epoch: 1,
        suite: "security_guide",
        started_at: "2025-05-13T00:28:26.000Z",
        model: "gpt-4o-mini",
        provider: "openai",
        grader: "model",
        score: 1,
        passed: true,
        input_chars: 38,
        latency_ms: 1252.7634166181087,
        input_tokens: 61,
        output_tokens: 23,
        refused: false,
        tags: null,
        named_scores: '{"model_graded_fact":1}'
      }
    ]);
  });

  test("keeps the samples of a cancelled run, tagged so a page can say the run is partial", async () => {
    db = await ingest({"popularity.json": realFixture("inspect-ai/2025-05-12T20-28-13-04-00_popularity.json")});
    expect(
      await db.query(`SELECT case_id, grader, score, passed, tags, output_excerpt FROM eval_results ORDER BY case_id`)
    ).toEqual([
      {
        case_id: "1",
        grader: "programmatic",
        score: 1,
        passed: true,
        tags: "inspect-status:cancelled",
        output_excerpt: "Yes"
      },
      {
        case_id: "2",
        grader: "programmatic",
        score: 1,
        passed: true,
        tags: "inspect-status:cancelled",
        output_excerpt: "No"
      },
      {
        case_id: "3",
        grader: "programmatic",
        score: 0,
        passed: false,
        tags: "inspect-status:cancelled",
        output_excerpt: "No"
      }
    ]);
    // Inspect's own results.scores[0].metrics.accuracy is 0.6666666666666666; the mean score agrees.
    expect(await db.query(`SELECT avg(score) AS accuracy FROM eval_results`)).toEqual([{accuracy: 0.6666666666666666}]);
  });

  test("reads a log with newer eval fields (model_base_url, task_args_passed) from another provider", async () => {
    db = await ingest({"read.json": realFixture("inspect-ai/log_read_sample.json")});
    expect(
      await db.query(`SELECT run_id, model, provider, passed, input_tokens, output_tokens FROM eval_results`)
    ).toEqual([
      {
        run_id: "hj8C8q8gxzHhwyCT67xh4L",
        model: "gemma3",
        provider: "ollama",
        passed: true,
        input_tokens: 66,
        output_tokens: 3
      }
    ]);
  });

  test("scores partial credit as a failed case with score 0.5, and an errored sample as failed with its error", async () => {
    const doc = JSON.parse(realFixture("inspect-ai/2025-05-12T20-28-13-04-00_popularity.json"));
    doc.samples[0].scores.match.value = "P";
    delete doc.samples[1].scores;
    doc.samples[1].error = {message: "RateLimitError: 429", traceback: "…"};
    db = await ingest({"p.json": JSON.stringify(doc)});
    expect(await db.query(`SELECT case_id, score, passed, error FROM eval_results ORDER BY case_id`)).toEqual([
      {case_id: "1", score: 0.5, passed: false, error: null},
      {case_id: "2", score: null, passed: false, error: "RateLimitError: 429"},
      {case_id: "3", score: 0, passed: false, error: null}
    ]);
  });

  test("quarantines an unscored sample of a cancelled run with the run's status as the reason", async () => {
    const doc = JSON.parse(realFixture("inspect-ai/2025-05-12T20-28-13-04-00_popularity.json"));
    delete doc.samples[2].scores;
    db = await ingest({"p.json": JSON.stringify(doc)});
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "p.json",
        line: 3,
        field: null,
        reason: 'sample 3 (epoch 1) has no score: the run\'s status is "cancelled", so there is no pass/fail to record'
      }
    ]);
  });

  test("says what a log without samples held, instead of dropping the run silently", async () => {
    const doc = JSON.parse(realFixture("inspect-ai/2025-05-12T20-28-13-04-00_popularity.json"));
    delete doc.samples;
    db = await ingest({"header-only.json": JSON.stringify(doc)});
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "header-only.json",
        line: 1,
        field: null,
        reason:
          'Inspect run VnKtvCqGnnegLQ7qSBFDzx (popularity, openai/gpt-4o-mini) has no samples in the log (status "cancelled"; 3 samples in results; accuracy 0.667, stderr 0.333), so no case rows came from it; run with log_samples enabled to get per-case results.'
      }
    ]);
    expect(await sourcesOf(db)).toEqual([
      {
        file: "header-only.json",
        format: "inspect-ai",
        status: "ingested",
        rows_in: 1,
        rows_accepted: 0,
        rows_quarantined: 1
      }
    ]);
  });
});

describe("scoreValue(value)", () => {
  test.each([
    ["C", 1],
    ["I", 0],
    ["P", 0.5],
    ["N", 0],
    [true, 1],
    [false, 0],
    [0.25, 0.25],
    ["0.75", 0.75],
    ["yes", 1],
    [{a: 1}, undefined],
    ["maybe", undefined]
  ])("%j → %j (Inspect's value_to_float)", (value, expected) => {
    expect(scoreValue(value)).toBe(expected);
  });
});

describe("the real Inspect JSON logs against the test's own reading of them", () => {
  test.each([
    "2025-05-12T20-28-26-04-00_security-guide.json",
    "2025-05-12T20-28-13-04-00_popularity.json",
    "log_read_sample.json"
  ])("%s: rows, pass rate, tokens and latency as the samples say; pass rate as the header's accuracy", async (name) => {
    const doc = JSON.parse(realFixture(`inspect-ai/${name}`));
    const samples = doc.samples as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const scorer = doc.results.scores[0].name as string;
    const passed = samples.filter((s) => ["C", 1, true].includes(s.scores[scorer].value)).length;
    db = await ingest({[name]: realFixture(`inspect-ai/${name}`)});
    expect(
      await db.query(
        `SELECT count(*)::INTEGER n, count(*) FILTER (passed)::INTEGER passed, sum(input_tokens)::INTEGER input_tokens, sum(output_tokens)::INTEGER output_tokens, sum(latency_ms) latency_ms FROM eval_results`
      )
    ).toEqual([
      {
        n: samples.length,
        passed,
        input_tokens: samples.reduce((a, s) => a + s.output.usage.input_tokens, 0),
        output_tokens: samples.reduce((a, s) => a + s.output.usage.output_tokens, 0),
        latency_ms: expect.closeTo(
          samples.reduce((a, s) => a + s.output.time * 1000, 0),
          6
        )
      }
    ]);
    expect(passed / samples.length).toBeCloseTo(doc.results.scores[0].metrics.accuracy.value, 12);
  });
});

describe("inspect-ai adapter: a case's input and expected output", () => {
  test("are each sample's input (its messages' text, one per line) and target, as the raw log holds them", async () => {
    const files = ["2025-05-12T20-28-26-04-00_security-guide.json", "log_read_sample.json"];
    db = await ingest(Object.fromEntries(files.map((f) => [`logs/${f}`, realFixture(`inspect-ai/${f}`)])));
    type Message = {content: string};
    const want = files
      .flatMap((f) => JSON.parse(realFixture(`inspect-ai/${f}`)).samples)
      .map((s: {id: string | number; epoch: number; input: string | Message[]; target: string | string[]}) => ({
        case_id: String(s.id),
        epoch: s.epoch,
        input_excerpt: typeof s.input === "string" ? s.input : s.input.map((m) => m.content).join("\n"),
        // Text is stored trimmed (Inspect's popularity targets are " Yes" and " No").
        expected_excerpt: (Array.isArray(s.target) ? s.target.join("\n") : s.target).trim()
      }))
      .sort((a, b) => (a.case_id < b.case_id ? -1 : a.case_id > b.case_id ? 1 : a.epoch - b.epoch));
    const got = await db.query(
      `SELECT case_id, epoch, input_excerpt, expected_excerpt FROM eval_results ORDER BY case_id, epoch`
    );
    expect(want.length).toBe(4);
    expect(got).toEqual(want);
    expect(got[0]).toMatchObject({
      input_excerpt: "How do I prevent SQL Injection attacks?",
      expected_excerpt: "use parameterized queries and prepared statements"
    });
  });
});

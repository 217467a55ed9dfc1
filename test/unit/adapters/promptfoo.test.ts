import {afterEach, describe, expect, test} from "vitest";
import {splitProviderId} from "../../../loaders/adapters/promptfoo.js";
import type {Database} from "../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../helpers.js";
import {quarantineOf, realFixture, sourcesOf} from "./fixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

const columns = `run_id, case_id, epoch, suite, started_at, model, provider, prompt_version, input_chars, grader, score, passed,
  latency_ms, input_tokens, output_tokens, cost_usd, cost_source, error, output_excerpt, named_scores, reason`;

describe("promptfoo adapter", () => {
  test("maps `promptfoo eval -o` output: success, score, latencyMs, cost, tokenUsage, provider, prompt, namedScores, gradingResult", async () => {
    db = await ingest({"evals/output.json": realFixture("promptfoo/output.json")});
    expect(await db.query(`SELECT ${columns} FROM eval_results`)).toEqual([
      {
        run_id: "eval-gwz-2026-01-21T22:56:55/openai:gpt-4o-mini",
        case_id: "test-0",
        epoch: 1,
        suite: "Require a friendly French greeting that includes 'Bonjour' and stays within budget (either cheap or fast).",
        started_at: "2026-01-21T22:56:55.886Z",
        model: "gpt-4o-mini",
        provider: "openai",
        prompt_version: "Greet the user in French.",
        input_chars: 25,
        // an llm-rubric and an answer-relevance assertion grade this case
        grader: "model",
        score: 0.8203000664800403,
        passed: false,
        latency_ms: 1352,
        input_tokens: 14,
        output_tokens: 10,
        cost_usd: 8.1e-6,
        cost_source: "reported",
        // failureReason 1 is a failed assertion, not a failed call
        error: null,
        output_excerpt: "Bonjour ! Comment puis-je vous aider aujourd'hui ?",
        named_scores: '{"Correctness":1,"Tone":1,"Topicality":0.6015003324002018,"Performance":0.5}',
        reason: "Aggregate score 0.82 < 0.9 threshold",
      },
    ]);
    expect(await sourcesOf(db)).toEqual([{file: "evals/output.json", format: "promptfoo", status: "ingested", rows_in: 1, rows_accepted: 1, rows_quarantined: 0}]);
  });

  test("splits a `promptfoo export` of two providers into one run per provider over the same cases", async () => {
    db = await ingest({"sample-export.json": realFixture("promptfoo/sample-export.json")});
    expect(await db.query(`SELECT run_id, case_id, model, passed, score, latency_ms, input_tokens, output_tokens, cost_usd FROM eval_results ORDER BY run_id, case_id`)).toEqual([
      {run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5", case_id: "test-0", model: "gpt-5", passed: false, score: 0.5, latency_ms: 6197, input_tokens: 37, output_tokens: 204, cost_usd: 0.00208625},
      {run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5", case_id: "test-1", model: "gpt-5", passed: false, score: 0.6666666666666666, latency_ms: 5027, input_tokens: 41, output_tokens: 102, cost_usd: 0.0010712500000000002},
      {run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5-mini", case_id: "test-0", model: "gpt-5-mini", passed: false, score: 0.75, latency_ms: 5794, input_tokens: 37, output_tokens: 245, cost_usd: 0.00049925},
      {run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5-mini", case_id: "test-1", model: "gpt-5-mini", passed: false, score: 0.6666666666666666, latency_ms: 4669, input_tokens: 41, output_tokens: 157, cost_usd: 0.00032425},
    ]);
    expect(await db.query(`SELECT DISTINCT suite, prompt_version, started_at FROM eval_results`)).toEqual([
      {suite: "Comparing OpenAI flagship and mini models performance on riddles", prompt_version: "Solve this riddle: {{riddle}}", started_at: "2025-10-01T20:08:11.168Z"},
    ]);
  });

  test("recognizes the file by its keys, whatever its name, and tolerates fields it does not know", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    doc.results.results[0].someNewerField = {nested: true};
    doc.brandNewTopLevelKey = 1;
    db = await ingest({"exports/latest": JSON.stringify(doc, null, 2)});
    expect(await sourcesOf(db)).toEqual([{file: "exports/latest", format: "promptfoo", status: "ingested", rows_in: 1, rows_accepted: 1, rows_quarantined: 0}]);
  });

  test("quarantines a result missing a required field, naming the record and the field", async () => {
    const doc = JSON.parse(realFixture("promptfoo/sample-export.json"));
    delete doc.results.results[2].success;
    db = await ingest({"e.json": JSON.stringify(doc)});
    expect(await quarantineOf(db)).toEqual([{source_file: "e.json", line: 3, field: "passed", reason: "passed: missing required field"}]);
    expect(await sourcesOf(db)).toEqual([{file: "e.json", format: "promptfoo", status: "ingested", rows_in: 4, rows_accepted: 3, rows_quarantined: 1}]);
  });

  test("records a provider error as the case's error, and says why an eval with no results gave no rows", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    Object.assign(doc.results.results[0], {failureReason: 2, error: "API error: 429 Too Many Requests"});
    const empty = JSON.parse(realFixture("promptfoo/output.json"));
    empty.results.results = [];
    db = await ingest({"a.json": JSON.stringify(doc), "b.json": JSON.stringify(empty)});
    expect(await db.query(`SELECT error FROM eval_results`)).toEqual([{error: "API error: 429 Too Many Requests"}]);
    expect(await quarantineOf(db)).toEqual([
      {source_file: "b.json", line: 1, field: null, reason: "promptfoo eval eval-gwz-2026-01-21T22:56:55 holds no results (results.results is empty), so no case rows came from it"},
    ]);
  });

  test("reports a file that is promptfoo-shaped but has no list of results as failed, keeping no rows", async () => {
    db = await ingest({"bad.json": JSON.stringify({evalId: "e1", results: {version: 3, results: "nope"}})});
    expect(await sourcesOf(db)).toEqual([{file: "bad.json", format: "promptfoo", status: "failed", rows_in: 1, rows_accepted: 0, rows_quarantined: 1}]);
    expect(await quarantineOf(db)).toEqual([{source_file: "bad.json", line: null, field: null, reason: "promptfoo: results.results is not a list of results (promptfoo results version 3)"}]);
  });

  test("fills suite and feature from a sources entry when the eval has no description", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    delete doc.config.description;
    const config = {sources: [{path: "pf/*.json", defaults: {suite: "greetings-golden", feature: "greeter"}}]};
    db = await ingest({"pf/run.json": JSON.stringify(doc)}, config);
    expect(await db.query(`SELECT suite, feature FROM eval_results`)).toEqual([{suite: "greetings-golden", feature: "greeter"}]);
  });
});

describe("splitProviderId(id)", () => {
  test.each([
    ["openai:gpt-4o-mini", "openai", "gpt-4o-mini"],
    ["openai:chat:gpt-4o", "openai", "gpt-4o"],
    ["anthropic:messages:claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4-20250514"],
    ["bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0"],
    ["file://providers/custom.py", null, "file://providers/custom.py"],
    ["echo", null, "echo"],
  ])("%s → provider %s, model %s", (id, provider, model) => {
    expect(splitProviderId(id)).toEqual({provider, model});
  });
});

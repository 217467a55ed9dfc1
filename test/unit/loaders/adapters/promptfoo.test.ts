import {afterEach, describe, expect, test} from "vitest";
import {promptfooRecords, splitProviderId} from "../../../../loaders/adapters/promptfoo.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {quarantineOf, realFixture, sourcesOf} from "../../../realFixtures.js";

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
        suite:
          "Require a friendly French greeting that includes 'Bonjour' and stays within budget (either cheap or fast).",
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
        reason: "Aggregate score 0.82 < 0.9 threshold"
      }
    ]);
    expect(await sourcesOf(db)).toEqual([
      {
        file: "evals/output.json",
        format: "promptfoo",
        status: "ingested",
        rows_in: 1,
        rows_accepted: 1,
        rows_quarantined: 0
      }
    ]);
  });

  test("splits a `promptfoo export` of two providers into one run per provider over the same cases", async () => {
    db = await ingest({"sample-export.json": realFixture("promptfoo/sample-export.json")});
    expect(
      await db.query(
        `SELECT run_id, case_id, model, passed, score, latency_ms, input_tokens, output_tokens, cost_usd FROM eval_results ORDER BY run_id, case_id`
      )
    ).toEqual([
      {
        run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5",
        case_id: "test-0",
        model: "gpt-5",
        passed: false,
        score: 0.5,
        latency_ms: 6197,
        input_tokens: 37,
        output_tokens: 204,
        cost_usd: 0.00208625
      },
      {
        run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5",
        case_id: "test-1",
        model: "gpt-5",
        passed: false,
        score: 0.6666666666666666,
        latency_ms: 5027,
        input_tokens: 41,
        output_tokens: 102,
        cost_usd: 0.0010712500000000002
      },
      {
        run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5-mini",
        case_id: "test-0",
        model: "gpt-5-mini",
        passed: false,
        score: 0.75,
        latency_ms: 5794,
        input_tokens: 37,
        output_tokens: 245,
        cost_usd: 0.00049925
      },
      {
        run_id: "eval-WJi-2025-10-01T20:08:11/openai:gpt-5-mini",
        case_id: "test-1",
        model: "gpt-5-mini",
        passed: false,
        score: 0.6666666666666666,
        latency_ms: 4669,
        input_tokens: 41,
        output_tokens: 157,
        cost_usd: 0.00032425
      }
    ]);
    expect(await db.query(`SELECT DISTINCT suite, prompt_version, started_at FROM eval_results`)).toEqual([
      {
        suite: "Comparing OpenAI flagship and mini models performance on riddles",
        prompt_version: "Solve this riddle: {{riddle}}",
        started_at: "2025-10-01T20:08:11.168Z"
      }
    ]);
  });

  test("recognizes the file by its keys, whatever its name, and tolerates fields it does not know", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    doc.results.results[0].someNewerField = {nested: true};
    doc.brandNewTopLevelKey = 1;
    db = await ingest({"exports/latest": JSON.stringify(doc, null, 2)});
    expect(await sourcesOf(db)).toEqual([
      {
        file: "exports/latest",
        format: "promptfoo",
        status: "ingested",
        rows_in: 1,
        rows_accepted: 1,
        rows_quarantined: 0
      }
    ]);
  });

  test("quarantines a result missing a required field, naming the record and the field", async () => {
    const doc = JSON.parse(realFixture("promptfoo/sample-export.json"));
    delete doc.results.results[2].success;
    db = await ingest({"e.json": JSON.stringify(doc)});
    expect(await quarantineOf(db)).toEqual([
      {source_file: "e.json", line: 3, field: "passed", reason: "passed: missing required field"}
    ]);
    expect(await sourcesOf(db)).toEqual([
      {file: "e.json", format: "promptfoo", status: "ingested", rows_in: 4, rows_accepted: 3, rows_quarantined: 1}
    ]);
  });

  test("records a provider error as the case's error, and says why an eval with no results gave no rows", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    Object.assign(doc.results.results[0], {failureReason: 2, error: "API error: 429 Too Many Requests"});
    const empty = JSON.parse(realFixture("promptfoo/output.json"));
    empty.results.results = [];
    db = await ingest({"a.json": JSON.stringify(doc), "b.json": JSON.stringify(empty)});
    expect(await db.query(`SELECT error FROM eval_results`)).toEqual([{error: "API error: 429 Too Many Requests"}]);
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "b.json",
        line: 1,
        field: null,
        reason:
          "promptfoo eval eval-gwz-2026-01-21T22:56:55 holds no results (results.results is empty), so no case rows came from it"
      }
    ]);
  });

  test("reports a file that is promptfoo-shaped but has no list of results as failed, keeping no rows", async () => {
    db = await ingest({"bad.json": JSON.stringify({evalId: "e1", results: {version: 3, results: "nope"}})});
    expect(await sourcesOf(db)).toEqual([
      {file: "bad.json", format: "promptfoo", status: "failed", rows_in: 1, rows_accepted: 0, rows_quarantined: 1}
    ]);
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "bad.json",
        line: null,
        field: null,
        reason: "promptfoo: results.results is not a list of results (promptfoo results version 3)"
      }
    ]);
  });

  test("fills suite and feature from a sources entry when the eval has no description", async () => {
    const doc = JSON.parse(realFixture("promptfoo/output.json"));
    delete doc.config.description;
    const config = {sources: [{path: "pf/*.json", defaults: {suite: "greetings-golden", feature: "greeter"}}]};
    db = await ingest({"pf/run.json": JSON.stringify(doc)}, config);
    expect(await db.query(`SELECT suite, feature FROM eval_results`)).toEqual([
      {suite: "greetings-golden", feature: "greeter"}
    ]);
  });
});

describe("a real promptfoo 0.123 eval of 3 providers × 2 prompts × 10 tests with --repeat 2", () => {
  const file = realFixture("promptfoo/ticket-routing/results.json");
  const raw = JSON.parse(file);

  test("is one eval whose provider × prompt columns are options named by the provider's label (else its id), with repeats as epochs of one case", async () => {
    db = await ingest({"pf/results.json": file});
    expect(await sourcesOf(db)).toEqual([
      {
        file: "pf/results.json",
        format: "promptfoo",
        status: "ingested",
        rows_in: 120,
        rows_accepted: 120,
        rows_quarantined: 0
      }
    ]);
    // An independent reading of the raw file: group results by label-or-id and prompt label, then by test description.
    const expected = new Map<
      string,
      {
        option: string;
        eval_id: string;
        results: number;
        passes: number;
        cases: Set<string>;
        epochs: Map<string, number>;
        errors: number;
        tokens: number;
      }
    >();
    for (const r of raw.results.results) {
      const option = `${r.provider.label || r.provider.id} · ${r.prompt.label}`;
      const e = expected.get(option) ?? {
        option,
        eval_id: raw.evalId,
        results: 0,
        passes: 0,
        cases: new Set(),
        epochs: new Map(),
        errors: 0,
        tokens: 0
      };
      e.results++;
      if (r.success) e.passes++;
      if (r.failureReason === 2) e.errors++;
      e.tokens += r.response?.tokenUsage?.prompt ?? r.tokenUsage.prompt;
      e.cases.add(r.testCase.description);
      e.epochs.set(r.testCase.description, (e.epochs.get(r.testCase.description) ?? 0) + 1);
      expected.set(option, e);
    }
    const got = await db.query<
      Record<string, unknown>
    >(`SELECT option, any_value(eval_id) AS eval_id, count(*)::INTEGER AS results, count(*) FILTER (WHERE passed)::INTEGER AS passes,
        count(DISTINCT case_id)::INTEGER AS cases, max(epoch)::INTEGER AS epochs, count(error)::INTEGER AS errors, sum(input_tokens)::INTEGER AS tokens
      FROM eval_results GROUP BY option ORDER BY option`);
    expect(got).toEqual(
      [...expected.values()]
        .sort((a, b) => (a.option < b.option ? -1 : 1))
        .map((e) => ({
          option: e.option,
          eval_id: e.eval_id,
          results: e.results,
          passes: e.passes,
          cases: e.cases.size,
          epochs: Math.max(...e.epochs.values()),
          errors: e.errors,
          tokens: e.tokens
        }))
    );
    expect(got.map((r) => r.option)).toEqual([
      "acme-7b · explain-v2",
      "acme-7b · terse-v1",
      "mini-baseline · explain-v2",
      "mini-baseline · terse-v1",
      "openai:chat:gpt-4.1-nano · explain-v2",
      "openai:chat:gpt-4.1-nano · terse-v1"
    ]);
    expect(got.map((r) => [r.cases, r.epochs])).toEqual(Array(6).fill([10, 2]));
  });

  // Only the adapter's mapping: whether a reported 0 with tokens is a price or an unknown is the
  // warehouse's rule, not the adapter's.
  test("hands promptfoo's cost 0 of a model it has no price for to the canonical columns as is, with its tokens", () => {
    const answered = raw.results.results.filter(
      (r: any) => r.provider.id === "openai:chat:acme-support-7b" && r.failureReason !== 2
    );
    expect(new Set(answered.map((r: any) => r.cost))).toEqual(new Set([0]));
    const staged = promptfooRecords(raw, {path: "pf/results.json", name: "pf/results.json", head: ""}).filter(
      (r) => r.values.model === "acme-support-7b" && !r.values.error
    );
    expect(staged.map((r) => [r.values.cost_usd, r.values.input_tokens, r.values.output_tokens])).toEqual(
      answered.map((r: any) => [0, r.response.tokenUsage.prompt, r.response.tokenUsage.completion])
    );
    expect(staged.every((r) => (r.values.input_tokens as number) > 0)).toBe(true);
  });

  test("numbers repeats in the order promptfoo ran them (testIdx), whatever the order of the results in the file", async () => {
    const shuffled = JSON.parse(file);
    shuffled.results.results.reverse();
    db = await ingest({"pf/results.json": JSON.stringify(shuffled)});
    const byTestIdx = new Map(
      raw.results.results.map((r: any) => [
        `${r.provider.label || r.provider.id}|${r.prompt.label}|${r.testIdx}`,
        r.success
      ])
    );
    // testIdx 2k is a test's first repeat and 2k + 1 its second (promptfoo runs a test's repeats one after the other).
    const rows = await db.query<{option: string; case_id: string; epoch: number; passed: boolean}>(
      `SELECT option, case_id, epoch, passed FROM eval_results WHERE case_id = 'sync stuck'`
    );
    for (const r of rows) {
      const [provider, prompt] = r.option.split(" · ");
      expect(r.passed).toBe(byTestIdx.get(`${provider}|${prompt}|${10 + r.epoch - 1}`));
    }
    expect(
      rows
        .filter((r) => r.option === "acme-7b · terse-v1")
        .sort((a, b) => a.epoch - b.epoch)
        .map((r) => r.passed)
    ).toEqual([true, false]);
  });
});

describe("splitProviderId(id)", () => {
  test.each([
    ["openai:gpt-4o-mini", "openai", "gpt-4o-mini"],
    ["openai:chat:gpt-4o", "openai", "gpt-4o"],
    ["anthropic:messages:claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4-20250514"],
    ["bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0"],
    ["file://providers/custom.py", null, "file://providers/custom.py"],
    ["echo", null, "echo"]
  ])("%s → provider %s, model %s", (id, provider, model) => {
    expect(splitProviderId(id)).toEqual({provider, model});
  });
});

describe("promptfoo adapter: a case's input and expected output", () => {
  // An independent reading of a test's raw vars and assertions: "name: value" per var (the value alone
  // for one var); each assertion that states a value, with {{var}} filled from the test's vars; code
  // and threshold assertions (javascript, cost, latency) and valueless ones state no expected output.
  const inputOf = (vars: Record<string, string>) => {
    const entries = Object.entries(vars);
    return entries.length === 1 ? entries[0][1] : entries.map(([k, v]) => `${k}: ${v}`).join("\n");
  };
  const expectedOf = (asserts: {type: string; value?: unknown}[], vars: Record<string, string>) =>
    asserts
      .filter((a) => typeof a.value === "string" && !["javascript", "cost", "latency"].includes(a.type))
      .map((a) => `${a.type}: ${(a.value as string).replace(/\{\{(\w+)\}\}/g, (_, name) => vars[name])}`)
      .join("; ");

  test("are the test's vars and its assertions' rendered values, for every result of the real 3 × 2 × 10 run", async () => {
    const raw = JSON.parse(realFixture("promptfoo/ticket-routing/results.json"));
    db = await ingest({"pf/results.json": realFixture("promptfoo/ticket-routing/results.json")});
    const want = new Map<string, {input_excerpt: string; expected_excerpt: string}>();
    for (const r of raw.results.results)
      want.set(r.testCase.description, {
        input_excerpt: inputOf(r.testCase.vars),
        expected_excerpt: expectedOf(r.testCase.assert, r.testCase.vars)
      });
    const got = await db.query<{case_id: string; input_excerpt: string; expected_excerpt: string}>(
      `SELECT DISTINCT case_id, input_excerpt, expected_excerpt FROM eval_results ORDER BY case_id`
    );
    expect(got).toEqual(
      [...want].sort(([a], [b]) => (a < b ? -1 : 1)).map(([case_id, texts]) => ({case_id, ...texts}))
    );
    expect(got[0]).toEqual({
      case_id: "bulk edit",
      input_excerpt: "id: T08\nqueue: feature\nticket: It would save us hours if we could bulk-edit tags.",
      expected_excerpt: "contains: feature; equals: feature"
    });
    // Passing results keep their output too.
    const passing = await db.query<{n: number; with_output: number}>(
      `SELECT count(*)::INTEGER AS n, count(output_excerpt)::INTEGER AS with_output FROM eval_results WHERE passed`
    );
    expect(passing[0].with_output).toBe(passing[0].n);
    expect(passing[0].n).toBe(raw.results.results.filter((r: {success: boolean}) => r.success).length);
  });

  test("is the prompt itself for a test without vars, and single-var tests show the var's value", async () => {
    const greeting = JSON.parse(realFixture("promptfoo/output.json")).results.results[0];
    const riddles = JSON.parse(realFixture("promptfoo/sample-export.json")).results.results;
    db = await ingest({
      "a/output.json": realFixture("promptfoo/output.json"),
      "b/export.json": realFixture("promptfoo/sample-export.json")
    });
    const got = await db.query<{input_excerpt: string; expected_excerpt: string}>(
      `SELECT DISTINCT input_excerpt, expected_excerpt FROM eval_results ORDER BY input_excerpt`
    );
    const want = [
      {input_excerpt: greeting.prompt.raw, expected_excerpt: expectedOf(greeting.testCase.assert, {})},
      ...riddles.map((r: {vars: Record<string, string>; testCase: {assert: {type: string; value?: unknown}[]}}) => ({
        input_excerpt: inputOf(r.vars),
        expected_excerpt: expectedOf(r.testCase.assert, r.vars)
      }))
    ];
    expect(got).toEqual(
      [...new Map(want.map((w) => [JSON.stringify(w), w])).values()].sort((a, b) =>
        a.input_excerpt < b.input_excerpt ? -1 : 1
      )
    );
    expect(got.find((r) => r.input_excerpt === "Greet the user in French.")?.expected_excerpt).toBe(
      "contains: Bonjour; llm-rubric: Tone is friendly and the text is in French."
    );
  });
});

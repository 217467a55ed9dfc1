import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {strFromU8, strToU8, unzipSync, zipSync} from "fflate";
import {afterEach, describe, expect, test} from "vitest";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {prepareEvalTables} from "../../../../loaders/queries/evalTables.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, tempWorkspace} from "../../../helpers.js";
import {listWorkspaceFiles} from "../../../../loaders/workspace/files.js";
import {adapters} from "../../../../loaders/adapters/index.js";
import {quarantineOf, sourcesOf} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const bytes = (name: string): Buffer => readFileSync(join(projectRoot, "test", "fixtures", "real", "inspect-ai", name));
const scored = "2025-02-11T15-18-04-05-00_popularity_mj7khqpMM4GBCfVQozKgzB.eval";
const unscored = "2025-02-11T15-17-00-05-00_popularity_dPiJifoWeEQBrfWsAopzWr.eval";

/** The test's own reading of an archive: every entry at once, from the central directory (the adapter streams the local headers). */
function entries(archive: Uint8Array): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(unzipSync(archive)).map(([name, data]) => [name, JSON.parse(strFromU8(data))])
  );
}
const samplesOf = (e: Record<string, Json>) =>
  Object.entries(e)
    .filter(([n]) => n.startsWith("samples/"))
    .map(([, s]) => s);
const columns = `run_id, case_id, epoch, suite, started_at, model, provider, grader, score, passed, input_chars, latency_ms, input_tokens, output_tokens, refused, error, tags, named_scores, output_excerpt, reason`;

describe("inspect-ai-eval adapter", () => {
  test("reads a scored .eval archive: one row per samples/ entry, pass rate and tokens as the raw samples say, accuracy as the header says", async () => {
    const raw = entries(bytes(scored));
    const samples = samplesOf(raw);
    db = await ingest({"logs/run.eval": bytes(scored)});
    expect(await sourcesOf(db)).toEqual([
      {
        file: "logs/run.eval",
        format: "inspect-ai-eval",
        status: "ingested",
        rows_in: samples.length,
        rows_accepted: samples.length,
        rows_quarantined: 0
      }
    ]);
    const [totals] =
      await db.query<Json>(`SELECT count(*)::INTEGER n, avg(passed::INTEGER) pass_rate, sum(input_tokens)::INTEGER input_tokens, sum(output_tokens)::INTEGER output_tokens,
      sum(latency_ms) latency_ms, any_value(model) model, any_value(provider) provider, any_value(run_id) run_id FROM eval_results`);
    expect(totals).toEqual({
      n: 10,
      pass_rate: samples.filter((s) => s.scores.match.value === "C").length / samples.length,
      input_tokens: samples.reduce((n, s) => n + s.output.usage.input_tokens, 0),
      output_tokens: samples.reduce((n, s) => n + s.output.usage.output_tokens, 0),
      latency_ms: expect.closeTo(
        samples.reduce((n, s) => n + s.output.time * 1000, 0),
        6
      ),
      model: "gpt-4o-mini",
      provider: "openai",
      run_id: `${raw["header.json"].eval.run_id}/popularity/openai/gpt-4o-mini`
    });
    expect(totals.pass_rate).toBe(raw["header.json"].results.scores[0].metrics.accuracy.value);
    expect(totals.pass_rate).toBe(0.8);
  });

  test("counts the samples of a run with no scorer as unscored, never as failed: they are quarantined saying so and no 0% run reaches the eval pages", async () => {
    const raw = entries(bytes(unscored));
    expect(raw["header.json"].results.scores).toEqual([]);
    db = await ingest({"a.eval": bytes(unscored), "b.eval": bytes(scored)});
    expect(await sourcesOf(db)).toEqual([
      {
        file: "a.eval",
        format: "inspect-ai-eval",
        status: "ingested",
        rows_in: 10,
        rows_accepted: 0,
        rows_quarantined: 10
      },
      {
        file: "b.eval",
        format: "inspect-ai-eval",
        status: "ingested",
        rows_in: 10,
        rows_accepted: 10,
        rows_quarantined: 0
      }
    ]);
    const quarantined = (await quarantineOf(db)) as Json[];
    expect(quarantined[0]).toEqual({
      source_file: "a.eval",
      line: 1,
      field: null,
      reason:
        "sample 1 (epoch 1) is unscored: the run has no scorer (results.scores is empty), so it is counted here and not as a failed case"
    });
    expect(quarantined.every((q) => / is unscored: /.test(q.reason))).toBe(true);
    const {runs} = await evalTriage(db);
    expect(runs.map((r: Json) => [r.run_id, r.n, r.passes])).toEqual([
      [`${entries(bytes(scored))["header.json"].eval.run_id}/popularity/openai/gpt-4o-mini`, 10, 8]
    ]);
  });

  test("reads the epochs of a case as separate rows; a case's reduction is the mean over its epochs, as reductions.json says", async () => {
    const raw = entries(bytes("log_streaming.eval"));
    db = await ingest({"streaming.eval": bytes("log_streaming.eval")});
    const rows = await db.query<Json>(`SELECT case_id, epoch, score, passed FROM eval_results ORDER BY case_id, epoch`);
    expect(rows).toEqual(
      samplesOf(raw)
        .map((s) => ({
          case_id: String(s.id),
          epoch: s.epoch,
          score: s.scores.match.value === "C" ? 1 : 0,
          passed: s.scores.match.value === "C"
        }))
        .sort((a, b) => a.case_id.localeCompare(b.case_id) || a.epoch - b.epoch)
    );
    expect(rows).toHaveLength(4);
    // Inspect's accuracy counts every sample-epoch: 0.75 over 4.
    expect(rows.filter((r) => r.passed).length / rows.length).toBe(
      raw["header.json"].results.scores[0].metrics.accuracy.value
    );
    await prepareEvalTables(db);
    const cases = await db.query<Json>(`SELECT case_id, score FROM eval_case ORDER BY case_id`);
    expect(cases).toEqual(
      raw["reductions.json"][0].samples.map((s: Json) => ({case_id: String(s.sample_id), score: s.value}))
    );
  });

  test("gives the same rows as the JSON log of the same run: the real .eval repacked as Inspect's JSON log (header fields, samples[], reductions)", async () => {
    const raw = entries(bytes("log_read_sample.eval"));
    const json = {...raw["header.json"], samples: samplesOf(raw), reductions: raw["reductions.json"]};
    // Two workspaces: in one, the same run twice would be quarantined as duplicate keys.
    const read = async (name: string, content: string | Buffer) => {
      const one = await ingest({[name]: content});
      try {
        return await one.query(`SELECT ${columns}, source_format FROM eval_results ORDER BY case_id, epoch`);
      } finally {
        one.close();
      }
    };
    const fromEval = await read("run.eval", bytes("log_read_sample.eval"));
    const fromJson = await read("run.json", JSON.stringify(json));
    expect(fromEval).toHaveLength(1);
    expect(fromEval.map(({source_format, ...row}) => row)).toEqual(fromJson.map(({source_format, ...row}) => row));
    expect([fromEval[0].source_format, fromJson[0].source_format]).toEqual(["inspect-ai-eval", "inspect-ai"]);
  });

  test("the real log_read_sample pair (.json and .eval: two runs of one task 8 s apart) agree on every field of the case; only the run's id, start and the call's time differ", async () => {
    const fromJsonFile = JSON.parse(
      readFileSync(join(projectRoot, "test", "fixtures", "real", "inspect-ai", "log_read_sample.json"), "utf8")
    );
    const raw = entries(bytes("log_read_sample.eval"));
    db = await ingest({"read.eval": bytes("log_read_sample.eval"), "read.json": JSON.stringify(fromJsonFile)});
    const rows = await db.query<Json>(`SELECT source_file, ${columns} FROM eval_results ORDER BY source_file`);
    const runPart = ({run_id, started_at, latency_ms, source_file, ...rest}: Json) => ({
      run_id,
      started_at,
      latency_ms,
      source_file,
      rest
    });
    const [e, j] = rows.map(runPart);
    expect(e.rest).toEqual(j.rest);
    expect([e.run_id, e.latency_ms]).toEqual([raw["header.json"].eval.eval_id, samplesOf(raw)[0].output.time * 1000]);
    expect([j.run_id, j.latency_ms]).toEqual([fromJsonFile.eval.eval_id, fromJsonFile.samples[0].output.time * 1000]);
    expect(e.rest).toMatchObject({
      case_id: "1",
      model: "gemma3",
      provider: "ollama",
      passed: true,
      input_tokens: 66,
      output_tokens: 3
    });
  });

  test("a run cut off mid-way, whose archive holds only the journal (start.json and summaries), yields a row per summarized sample, tagged inspect-status:started, without output or input length", async () => {
    // Rewritten with the same ZIP library from the real multi-epoch log: header.json, samples/, summaries.json and reductions.json dropped.
    const all = unzipSync(bytes("log_streaming.eval"));
    const journalOnly = Object.fromEntries(Object.entries(all).filter(([name]) => name.startsWith("_journal/")));
    expect(Object.keys(journalOnly).sort()).toEqual(["_journal/start.json", "_journal/summaries/1.json"]);
    const summaries: Json[] = JSON.parse(strFromU8(all["_journal/summaries/1.json"]));
    const start = JSON.parse(strFromU8(all["_journal/start.json"]));
    db = await ingest({"cut.eval": Buffer.from(zipSync(journalOnly))});
    const rows = await db.query<Json>(
      `SELECT run_id, case_id, epoch, suite, started_at, model, score, passed, input_chars, output_excerpt, tags FROM eval_results ORDER BY case_id, epoch`
    );
    expect(rows).toEqual(
      summaries
        .map((s) => ({
          run_id: `${start.eval.run_id}/popularity/azureai/Meta-Llama-3-1-405B-Instruct-jqf`,
          case_id: String(s.id),
          epoch: s.epoch,
          suite: start.eval.task,
          started_at: "2024-11-05T20:04:20.000Z",
          model: "Meta-Llama-3-1-405B-Instruct-jqf",
          score: s.scores.match.value === "C" ? 1 : 0,
          passed: s.scores.match.value === "C",
          input_chars: null,
          output_excerpt: null,
          tags: "inspect-status:started"
        }))
        .sort((a, b) => a.case_id.localeCompare(b.case_id) || a.epoch - b.epoch)
    );
    expect(rows).toHaveLength(4);
    expect(await sourcesOf(db)).toEqual([
      {
        file: "cut.eval",
        format: "inspect-ai-eval",
        status: "ingested",
        rows_in: 4,
        rows_accepted: 4,
        rows_quarantined: 0
      }
    ]);
  });

  test("a journal with only start.json (cut off before any sample finished) says what it held; bytes cut off inside an entry fail the file, naming the entry", async () => {
    const all = unzipSync(bytes("log_streaming.eval"));
    const full = bytes("log_streaming.eval");
    db = await ingest({
      "started.eval": Buffer.from(zipSync({"_journal/start.json": all["_journal/start.json"]})),
      "cut.eval": full.subarray(0, 6000)
    });
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "cut.eval",
        line: null,
        field: null,
        reason:
          "inspect-ai-eval: the archive ends inside samples/1_epoch_2.json (invalid zip data): it was cut off while being written, or is damaged"
      },
      {
        source_file: "started.eval",
        line: 1,
        field: null,
        reason:
          'Inspect run 3RWm2YmdLiKCyQMzEcERin/popularity/azureai/Meta-Llama-3-1-405B-Instruct-jqf (popularity, azureai/Meta-Llama-3-1-405B-Instruct-jqf) has no samples in the log (status "started"), so no case rows came from it; run with log_samples enabled to get per-case results.'
      }
    ]);
  });

  test("a sample entry that is not JSON is one quarantined row naming the entry; the others are read", async () => {
    const all = unzipSync(bytes("log_streaming.eval"));
    all["samples/2_epoch_2.json"] = strToU8('{"id": 2, "epoch": 2, "scores": ');
    db = await ingest({"bad.eval": Buffer.from(zipSync(all))});
    expect(await db.query(`SELECT count(*)::INTEGER n FROM eval_results`)).toEqual([{n: 3}]);
    expect(await quarantineOf(db)).toEqual([
      {
        source_file: "bad.eval",
        line: 4,
        field: null,
        reason: expect.stringMatching(/^archive entry samples\/2_epoch_2\.json: malformed JSON: /)
      }
    ]);
  });

  test("reads the choice scorer's letter answers (mmlu) and takes the eval's model alias, not the response's dated snapshot", async () => {
    const raw = entries(bytes("mmlu-summary-choices.eval"));
    const [sample] = samplesOf(raw);
    expect(sample.output.model).toBe("gpt-4o-2024-08-06");
    db = await ingest({"mmlu.eval": bytes("mmlu-summary-choices.eval")});
    expect(
      await db.query(
        `SELECT case_id, model, provider, grader, score, passed, output_excerpt, input_tokens, output_tokens FROM eval_results`
      )
    ).toEqual([
      {
        case_id: "1",
        model: "gpt-4o",
        provider: "openai",
        grader: "programmatic",
        score: 0,
        passed: false,
        output_excerpt: sample.output.completion,
        input_tokens: sample.output.usage.input_tokens,
        output_tokens: sample.output.usage.output_tokens
      }
    ]);
  });

  test("recognizes an .eval archive by its content, whatever it is called", async () => {
    const root = tempWorkspace({
      "log.bin": bytes(scored),
      "zipped-other.zip": Buffer.from(zipSync({"a.txt": strToU8("hello")}))
    });
    writeFileSync(join(root, "empty.eval"), "");
    const files = await listWorkspaceFiles(root);
    expect(
      Object.fromEntries(files.map((f) => [f.name, adapters.filter((a) => a.detect(f)).map((a) => a.name)]))
    ).toEqual({"empty.eval": [], "log.bin": ["inspect-ai-eval"], "zipped-other.zip": []});
  });
});

describe("inspect-ai-eval adapter: a case's input and expected output", () => {
  test("are each samples/ entry's input and target, as the test's own unzip of the archive reads them", async () => {
    const names = [scored, "log_streaming.eval"];
    db = await ingest(Object.fromEntries(names.map((n, i) => [`logs/${i}.eval`, bytes(n)])));
    const want = names
      .flatMap((n) => samplesOf(entries(bytes(n))))
      .map((s) => ({
        case_id: String(s.id),
        epoch: s.epoch,
        input_excerpt:
          typeof s.input === "string"
            ? s.input
            : s.input.map((m: Json) => (typeof m.content === "string" ? m.content : "")).join("\n"),
        // Text is stored trimmed (Inspect's popularity targets are " Yes" and " No").
        expected_excerpt: (Array.isArray(s.target) ? s.target.join("\n") : s.target).trim()
      }))
      // The workspace keeps the first 160 characters (privacy.excerpt_chars) and marks a cut with "…".
      .map((r) => ({
        ...r,
        input_excerpt:
          [...r.input_excerpt].length > 160 ? `${[...r.input_excerpt].slice(0, 160).join("")}…` : r.input_excerpt
      }))
      .sort((a, b) =>
        a.case_id < b.case_id
          ? -1
          : a.case_id > b.case_id
            ? 1
            : a.epoch - b.epoch || (a.input_excerpt < b.input_excerpt ? -1 : 1)
      );
    const got = await db.query(
      `SELECT case_id, epoch, input_excerpt, expected_excerpt FROM eval_results ORDER BY case_id, epoch, input_excerpt`
    );
    expect(want.length).toBe(14);
    expect(got).toEqual(want);
  });
});

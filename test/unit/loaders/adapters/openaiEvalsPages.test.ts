// The three real oaieval logs in one workspace, as a PM would drop a logs folder in: the eval pages'
// key numbers (rows in, accepted and quarantined per file, cases and pass rate per run and option)
// against a reading of the raw JSONL written here, not against the adapter's own code.
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {evalTriage} from "../../../../loaders/queries/evalTriage.js";
import {overview} from "../../../../loaders/queries/overview.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

let db: Database | undefined;
afterEach(() => db?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const files = {
  "logs/test-match.jsonl": realFixture("openai-evals/test-match.jsonl"),
  "logs/srl.jsonl": realFixture("openai-evals/gpt-4-cot_semantic_role_recognition.jsonl"),
  "logs/oriprompt.log": realFixture("openai-evals/oriprompt.log")
};

/** What a reader of oaieval's format finds in a log: its spec, final report, and per sample whether it was graded and passed. */
function readLog(text: string) {
  const lines: Json[] = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const spec = lines.find((l) => l.spec)!.spec;
  const report = lines.find((l) => l.final_report)?.final_report ?? null;
  const samples = new Map<string, Json[]>();
  for (const e of lines.filter((l) => l.sample_id)) samples.set(e.sample_id, [...(samples.get(e.sample_id) ?? []), e]);
  // A match event grades by data.correct; a modelgraded metrics event by a numeric data.score (full credit passes).
  const verdict = (events: Json[]): boolean | null => {
    const match = events.find((e) => e.type === "match");
    if (match) return match.data.correct === true;
    const metrics = events.find((e) => e.type === "metrics" && typeof e.data?.score === "number");
    return metrics ? metrics.data.score >= 1 : null;
  };
  const verdicts = [...samples.values()].map(verdict);
  const graded = verdicts.filter((v) => v !== null);
  return {
    spec,
    report,
    // A log with no sample events is one row: the run itself, quarantined with what its report said.
    rowsIn: samples.size || 1,
    graded: graded.length,
    passed: graded.filter((v) => v).length
  };
}

describe("the real openai-evals logs on the eval pages", () => {
  const logs = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, readLog(text)]));

  test("every file's rows are accepted or quarantined, as many as its samples", async () => {
    db = await ingest(files);
    const {files: sources, totals} = await overview(db, {
      root: "/tmp/ws",
      config: configSchema.parse({}),
      configFiles: []
    });
    const expected = Object.entries(logs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([file, log]) => ({
        file,
        format: "openai-evals",
        rows_in: log.rowsIn,
        rows_accepted: log.graded,
        rows_quarantined: log.rowsIn - log.graded
      }));
    expect(
      sources.map(({file, format, rows_in, rows_accepted, rows_quarantined}) => ({
        file,
        format,
        rows_in,
        rows_accepted,
        rows_quarantined
      }))
    ).toEqual(expected);
    expect(totals.rows_in).toBe(expected.reduce((a, e) => a + e.rows_in, 0));
    expect(totals.rows_accepted + totals.rows_quarantined).toBe(totals.rows_in);
  });

  test("eval triage and the bake-off show each graded run's cases and pass rate, equal to its final report where it has one", async () => {
    db = await ingest(files);
    const graded = Object.values(logs).filter((l) => l.graded > 0);
    expect(graded).toHaveLength(1);
    const [log] = graded;
    const triage = await evalTriage(db);
    expect(triage.runs.map((r) => [r.run_id, r.pass.n, r.passes])).toEqual([[log.spec.run_id, log.graded, log.passed]]);
    expect(triage.runs[0].pass.rate).toBeCloseTo(log.report.accuracy, 4);
    const {suites} = await bakeoff(db);
    expect(suites.map((s) => [s.suite, s.options.map((o) => [o.model, o.pass.n, o.pass.rate])])).toEqual([
      [
        log.spec.base_eval,
        [[log.spec.completion_fns.join("+"), log.graded, Math.round((log.passed / log.graded) * 1e4) / 1e4]]
      ]
    ]);
  });
});

// Inspect AI eval logs in JSON (log format version 2): {version, status, eval, plan, results, stats,
// samples, reductions}. One row per sample and epoch. The first scorer of the eval is the primary one
// (its value gives passed and score); every scorer's numeric value is kept in named_scores.
import {readFile} from "node:fs/promises";
import type {Adapter} from "./adapter.js";
import {asNumber, asString, charLength, isRecord, parseJsonDocument, topLevelKeys} from "./jsonHead.js";
import {withSourceDefaults} from "./sourceDefaults.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {evalResults} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

type Json = Record<string, unknown>;

const modelScorers = /^model_graded/;
const programmaticScorers = new Set([
  "match",
  "includes",
  "pattern",
  "answer",
  "choice",
  "exact",
  "f1",
  "math",
  "expression_equivalance"
]);

/** Inspect's value_to_float: C = 1, P = 0.5, I = N = 0, booleans, yes/no, numbers and numeric strings. */
export function scoreValue(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  const letters: Record<string, number> = {c: 1, p: 0.5, i: 0, n: 0, yes: 1, true: 1, no: 0, false: 0};
  if (v in letters) return letters[v];
  const n = Number(v);
  return v !== "" && Number.isFinite(n) ? n : undefined;
}

export function splitModel(model: string): {provider: string | null; model: string} {
  const slash = model.indexOf("/");
  return slash < 0 ? {provider: null, model} : {provider: model.slice(0, slash), model: model.slice(slash + 1)};
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((part) => (isRecord(part) ? (asString(part.text) ?? asString(part.reasoning) ?? "") : ""))
      .join("");
  return "";
}

function inputText(input: unknown): string {
  if (typeof input === "string") return input;
  if (Array.isArray(input)) return input.map((m) => (isRecord(m) ? contentText(m.content) : "")).join("\n");
  return "";
}

/** Inspect's target: a string, or a list of acceptable answers (shown one per line). */
function targetText(target: unknown): string | undefined {
  if (typeof target === "string") return target || undefined;
  if (!Array.isArray(target)) return undefined;
  const answers = target.filter((t): t is string => typeof t === "string" && t !== "");
  return answers.length ? answers.join("\n") : undefined;
}

function outputText(output: Json): string | undefined {
  if (typeof output.completion === "string") return output.completion;
  const choice = Array.isArray(output.choices) && isRecord(output.choices[0]) ? output.choices[0] : undefined;
  return choice && isRecord(choice.message) ? contentText(choice.message.content) : undefined;
}

function graderOf(scorer: string): "model" | "programmatic" | null {
  if (modelScorers.test(scorer)) return "model";
  return programmaticScorers.has(scorer) ? "programmatic" : null;
}

export interface InspectRun {
  run_id: string;
  suite: unknown;
  started_at: unknown;
  model: string;
  status: string;
  scorer: string | undefined;
  /** The run scored nothing: its results list no scorer (a task run with no scorer, or scoring skipped). */
  unscored: boolean;
}

/** One sample of a log (a samples[] item of the JSON log, a samples/ entry or journal summary of an .eval) as a row. */
export function sampleRecord(
  sample: Json,
  index: number,
  run: InspectRun,
  file: WorkspaceFile,
  raw: Json = {}
): StagedRecord {
  const scores = isRecord(sample.scores) ? sample.scores : {};
  const scorer = run.scorer && run.scorer in scores ? run.scorer : Object.keys(scores)[0];
  const primary = scorer && isRecord(scores[scorer]) ? (scores[scorer] as Json) : undefined;
  const value = primary ? scoreValue(primary.value) : undefined;
  const output = isRecord(sample.output) ? sample.output : {};
  const usage = isRecord(output.usage)
    ? output.usage
    : isRecord(sample.model_usage) && isRecord(sample.model_usage[run.model])
      ? (sample.model_usage[run.model] as Json)
      : {};
  const error = isRecord(sample.error) ? asString(sample.error.message) : asString(sample.error);
  const metadata = isRecord(sample.metadata) ? sample.metadata : {};
  const named = Object.fromEntries(
    Object.entries(scores).flatMap(([name, s]) => {
      const v = isRecord(s) ? scoreValue(s.value) : undefined;
      return v === undefined ? [] : [[name, v]];
    })
  );
  const {provider, model} = splitModel(run.model);
  const stop =
    asString(output.stop_reason) ??
    (Array.isArray(output.choices) && isRecord(output.choices[0])
      ? asString(output.choices[0].stop_reason)
      : undefined);
  const time = asNumber(output.time) ?? asNumber(sample.total_time);
  const excerpt = JSON.stringify({
    ...raw,
    id: sample.id,
    epoch: sample.epoch,
    scores: Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, isRecord(s) ? s.value : s])),
    error
  });
  const line = index + 1;
  let problem: string | undefined;
  const which = `sample ${String(sample.id)} (epoch ${String(sample.epoch ?? 1)})`;
  // An unscored case is neither a pass nor a fail: counting it as failed would show a 0% pass rate for a run nobody graded.
  if (!error && !primary && run.unscored)
    problem = `${which} is unscored: the run has no scorer (results.scores is empty), so it is counted here and not as a failed case`;
  else if (!error && !primary)
    problem = `${which} has no score${run.status !== "success" ? `: the run's status is "${run.status}"` : ""}, so there is no pass/fail to record`;
  else if (!error && value === undefined)
    problem = `sample ${String(sample.id)}: scorer "${scorer}" gave ${JSON.stringify(primary?.value)?.slice(0, 60)}, which is not a C/I/P/N, boolean or numeric value`;
  if (problem) return {line, raw: excerpt, values: {}, error: problem};
  const values = {
    run_id: run.run_id,
    case_id: sample.id === undefined || sample.id === null ? undefined : String(sample.id),
    epoch: sample.epoch,
    suite: run.suite,
    started_at: run.started_at,
    model,
    provider,
    prompt_version: asString(metadata.prompt_version),
    category: asString(metadata.category),
    tags: run.status !== "success" ? `inspect-status:${run.status}` : undefined,
    input_chars: charLength(inputText(sample.input)),
    input_excerpt: inputText(sample.input) || undefined,
    expected_excerpt: targetText(sample.target),
    grader: scorer ? graderOf(scorer) : null,
    score: error ? undefined : value,
    passed: error ? false : value! >= 1,
    latency_ms: time === undefined ? undefined : time * 1000,
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cost_usd: asNumber(usage.total_cost),
    refused: stop === undefined ? undefined : stop === "content_filter",
    error,
    output_excerpt: outputText(output),
    named_scores: Object.keys(named).length ? JSON.stringify(named) : undefined,
    reason: primary ? asString(primary.explanation) : undefined
  };
  return {line, raw: excerpt, values: withSourceDefaults(values, file)};
}

/** The run a log's eval spec and status describe; `results` (absent while a run streams) tells an unscored run. */
export function inspectRun(spec: Json, status: string, results: unknown): InspectRun {
  const scorers = Array.isArray(spec.scorers) ? spec.scorers : [];
  return {
    run_id: asString(spec.eval_id) ?? `${String(spec.run_id)}/${String(spec.task)}/${String(spec.model)}`,
    suite: spec.task,
    started_at: spec.created,
    model: asString(spec.model) ?? "unknown",
    status,
    scorer: isRecord(scorers[0]) ? asString(scorers[0].name) : undefined,
    unscored: isRecord(results) && Array.isArray(results.scores) && results.scores.length === 0
  };
}

export function noSamples(doc: Json, run: InspectRun): StagedRecord {
  const results = isRecord(doc.results) ? doc.results : {};
  const scores = Array.isArray(results.scores) ? results.scores : [];
  const metrics = scores
    .flatMap((s) => (isRecord(s) && isRecord(s.metrics) ? Object.values(s.metrics) : []))
    .flatMap((m) => (isRecord(m) && typeof m.value === "number" ? [`${String(m.name)} ${m.value.toFixed(3)}`] : []));
  const found = [
    `status "${run.status}"`,
    results.total_samples !== undefined ? `${String(results.total_samples)} samples in results` : "",
    metrics.join(", ")
  ]
    .filter(Boolean)
    .join("; ");
  const error = isRecord(doc.error) ? ` Error: ${String(doc.error.message ?? "").slice(0, 160)}` : "";
  return {
    line: 1,
    raw: JSON.stringify({eval: {task: (doc.eval as Json).task, model: run.model, run_id: run.run_id}, results}).slice(
      0,
      400
    ),
    values: {},
    error:
      `Inspect run ${run.run_id} (${String(run.suite)}, ${run.model}) has no samples in the log (${found}), so no case rows came from it; run ` +
      `with log_samples enabled to get per-case results.${error}`
  };
}

export function inspectRecords(doc: unknown, file: WorkspaceFile): StagedRecord[] {
  if (!isRecord(doc) || !isRecord(doc.eval)) throw new Error(`expected an Inspect eval log with an "eval" object`);
  const run = inspectRun(doc.eval, asString(doc.status) ?? "unknown", doc.results);
  const samples = Array.isArray(doc.samples) ? doc.samples : [];
  if (samples.length === 0) return [noSamples(doc, run)];
  return samples.map((s, i) =>
    isRecord(s)
      ? sampleRecord(s, i, run, file)
      : {line: i + 1, raw: JSON.stringify(s), values: {}, error: `samples[${i}] is not an object`}
  );
}

function isInspectLog(file: WorkspaceFile): boolean {
  const keys = topLevelKeys(file.head);
  return !!keys && ["version", "status", "eval"].every((k) => keys.includes(k));
}

export const inspectAi: Adapter = {
  name: "inspect-ai",
  description: "Inspect AI eval log JSON (inspect eval --log-format json)",
  tables: [evalResults.name],
  detect: isInspectLog,
  async stage(ctx, file) {
    const doc = parseJsonDocument(await readFile(file.path, "utf8"));
    await stageRecords(ctx, evalResults, file, inspectAi.name, inspectRecords(doc, file));
  }
};

// OpenAI Evals (oaieval) record files: JSONL with a {"spec": …} line, then events {run_id, event_id,
// sample_id, type, data, created_at} and usually a {"final_report": …} line. A "match" event is one
// graded case (data.correct); a modelgraded eval's "metrics" event carries data.score instead.
// Samples that were sampled but never graded, and runs that hold only a final_report, are reported
// in the quarantine with what was found, so nothing disappears silently.
import {readFile} from "node:fs/promises";
import type {Adapter} from "./adapter.js";
import {asNumber, asString, charLength, isRecord} from "./jsonHead.js";
import {firstJsonObject} from "./nativeJsonl.js";
import {fileStem, withSourceDefaults} from "./sourceDefaults.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {evalResults} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

type Json = Record<string, unknown>;

interface Line {
  line: number;
  json?: Json;
  raw: string;
}

interface Spec {
  run_id?: string;
  suite?: string;
  dataset_version?: string;
  started_at?: unknown;
  model?: string;
  provider?: string | null;
}

function specOf(spec: Json): Spec {
  const fns = Array.isArray(spec.completion_fns)
    ? spec.completion_fns.filter((f): f is string => typeof f === "string")
    : [];
  const model = fns.join("+") || undefined;
  // A bare completion function name is an OpenAI model; registry names (a/b/c) are custom solvers.
  const provider = fns.length && fns.every((f) => !f.includes("/")) ? "openai" : null;
  return {
    run_id: asString(spec.run_id),
    suite: asString(spec.base_eval) ?? asString(spec.eval_name),
    dataset_version: asString(spec.eval_name),
    started_at: spec.created_at,
    model,
    provider
  };
}

const text = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v
    : Array.isArray(v)
      ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join("\n")
      : v === undefined || v === null
        ? undefined
        : JSON.stringify(v);

function promptChars(prompt: unknown): number | undefined {
  if (typeof prompt === "string") return charLength(prompt);
  if (!Array.isArray(prompt)) return undefined;
  return prompt.reduce(
    (n: number, m) => n + (isRecord(m) && typeof m.content === "string" ? charLength(m.content) : 0),
    0
  );
}

/** The prompt as the case's input: a chat prompt's user turns (its system prompt, the same for every
 * sample, would fill the excerpt), else all its turns; a text prompt as it is. */
function promptText(prompt: unknown): string | undefined {
  if (typeof prompt === "string") return prompt || undefined;
  if (!Array.isArray(prompt)) return undefined;
  const turns = prompt.filter((m): m is Json => isRecord(m) && typeof m.content === "string" && m.content !== "");
  const user = turns.filter((m) => m.role === "user");
  const shown = (user.length ? user : turns).map((m) => m.content as string);
  return shown.length ? shown.join("\n") : undefined;
}

function summarize(report: Json): string {
  return Object.entries(report)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : JSON.stringify(v)}`)
    .join(", ");
}

function sampleRecords(sampleId: string, events: Line[], spec: Spec, file: WorkspaceFile): StagedRecord[] {
  const sampling = events.find((e) => e.json!.type === "sampling");
  const samplingData = sampling && isRecord(sampling.json!.data) ? sampling.json!.data : {};
  const graded = events.filter(
    (e) =>
      e.json!.type === "match" ||
      (e.json!.type === "metrics" && isRecord(e.json!.data) && asNumber(e.json!.data.score) !== undefined)
  );
  if (graded.length === 0) {
    const metrics = events.find((e) => e.json!.type === "metrics");
    const counts = Object.entries(
      events.reduce<Record<string, number>>(
        (c, e) => ({...c, [String(e.json!.type)]: (c[String(e.json!.type)] ?? 0) + 1}),
        {}
      )
    )
      .map(([type, n]) => `${n} ${type}`)
      .join(", ");
    const why = metrics
      ? `a metrics event (${JSON.stringify(metrics.json!.data).slice(0, 80)}) without a numeric score`
      : "no match or metrics event (the run stopped before grading it, or the eval records results another way)";
    return [
      {
        line: events[0].line,
        raw: events[0].raw,
        values: {},
        error: `sample ${sampleId}: ${counts} event(s) but ${why}, so there is no pass/fail to record`
      }
    ];
  }
  return graded.map((e, i) => {
    const data = isRecord(e.json!.data) ? e.json!.data : {};
    const isMatch = e.json!.type === "match";
    const score = isMatch
      ? typeof data.correct === "boolean"
        ? data.correct
          ? 1
          : 0
        : undefined
      : asNumber(data.score);
    const values = {
      run_id: spec.run_id ?? asString(e.json!.run_id),
      case_id: sampleId,
      epoch: i + 1,
      suite: spec.suite,
      dataset_version: spec.dataset_version,
      started_at: spec.started_at,
      model: spec.model,
      provider: spec.provider,
      input_chars: promptChars(samplingData.prompt),
      input_excerpt: promptText(samplingData.prompt),
      // A match event names the answer it accepts (a list when several are accepted).
      expected_excerpt: isMatch ? text(data.expected) : undefined,
      grader: isMatch ? "programmatic" : "model",
      score,
      passed: isMatch ? data.correct : score === undefined ? undefined : score >= 1,
      output_excerpt: text(data.sampled ?? samplingData.sampled),
      reason: isMatch ? undefined : asString(data.choice) && `choice ${String(data.choice)}`
    };
    return {line: e.line, raw: e.raw, values: withSourceDefaults(values, file)};
  });
}

export function openaiEvalsRecords(lines: Line[], file: WorkspaceFile): StagedRecord[] {
  const records: StagedRecord[] = [];
  let spec: Spec = {};
  let report: Json | undefined;
  const samples = new Map<string, Line[]>();
  for (const l of lines) {
    if (!l.json) {
      records.push({
        line: l.line,
        raw: l.raw,
        values: {},
        error: "malformed JSON: expected one JSON object on this line"
      });
    } else if (isRecord(l.json.spec)) {
      spec = specOf(l.json.spec);
    } else if (isRecord(l.json.final_report)) {
      report = l.json.final_report;
    } else if (l.json.sample_id !== undefined && l.json.type !== undefined) {
      const id = String(l.json.sample_id);
      samples.set(id, [...(samples.get(id) ?? []), l]);
    }
  }
  spec.suite ??= fileStem(file);
  for (const [id, events] of samples) records.push(...sampleRecords(id, events, spec, file));
  if (samples.size === 0) {
    const found = report ? `only a final_report (${summarize(report)})` : "no events and no final_report";
    records.push({
      line: 1,
      raw: lines[0]?.raw ?? "",
      values: {},
      error:
        `oaieval run ${spec.run_id ?? "(no run_id)"} (${spec.dataset_version ?? spec.suite}, ${spec.model ?? "no completion_fns"}) holds ${found} ` +
        `and no per-sample match or metrics events, so no case rows came from it`
    });
  }
  return records;
}

function parseLines(content: string): Line[] {
  return content.split(/\r?\n/).flatMap((raw, i) => {
    if (raw.trim() === "") return [];
    try {
      const json = JSON.parse(raw);
      return [{line: i + 1, raw, json: isRecord(json) ? json : undefined}];
    } catch {
      return [{line: i + 1, raw}];
    }
  });
}

function isOaievalLog(file: WorkspaceFile): boolean {
  const first = firstJsonObject(file.head);
  return (
    !!first &&
    isRecord(first.spec) &&
    "run_id" in first.spec &&
    ("completion_fns" in first.spec || "eval_name" in first.spec)
  );
}

export const openaiEvals: Adapter = {
  name: "openai-evals",
  description: "OpenAI Evals record file (oaieval --record_path …: spec, match/metrics events, final_report)",
  tables: [evalResults.name],
  detect: isOaievalLog,
  async stage(ctx, file) {
    const content = (await readFile(file.path, "utf8")).replace(/^\uFEFF/, "");
    await stageRecords(ctx, evalResults, file, openaiEvals.name, openaiEvalsRecords(parseLines(content), file));
  }
};

// promptfoo's results file (`promptfoo eval -o results.json`, and `promptfoo export eval <evalId>`):
// {evalId, results: {version, timestamp, prompts, results: [EvaluateResult…], stats}, config, …}.
// One eval is one invocation (eval_id = evalId) whose provider × prompt columns are options compared
// on the same cases: each column is a run of its own (run_id evalId/provider[/prompt]) named by the
// provider's label, else its id (plus the prompt's label when the eval has several prompts). A test
// repeated with --repeat gets a new testIdx per repeat, so a case is its description and vars, and
// its repeats are epochs.
import {readFile} from "node:fs/promises";
import type {Adapter} from "./adapter.js";
import {asNumber, asString, charLength, isRecord, parseJsonDocument, topLevelKeys} from "./jsonHead.js";
import {fileStem, withSourceDefaults} from "./sourceDefaults.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {evalResults} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

type Json = Record<string, unknown>;

/** Assertion types graded by a model (promptfoo docs, "model-graded metrics"); `not-` variants too. */
const modelGraded = new Set([
  "llm-rubric",
  "model-graded-closedqa",
  "model-graded-factuality",
  "factuality",
  "answer-relevance",
  "context-faithfulness",
  "context-recall",
  "context-relevance",
  "conversation-relevance",
  "g-eval",
  "select-best",
  "search-rubric",
  "max-score"
]);
/** promptfoo's ResultFailureReason: 1 = an assertion failed, 2 = the provider call errored. */
const FAILURE_ERROR = 2;
/** Segments of a provider id that name an API, not a model: openai:chat:gpt-4o → gpt-4o. */
const apiSegments = new Set([
  "chat",
  "completion",
  "completions",
  "messages",
  "responses",
  "assistant",
  "embedding",
  "embeddings"
]);

export function splitProviderId(id: string): {provider: string | null; model: string} {
  if (/^(file|https?|exec|python|golang|ruby):/.test(id)) return {provider: null, model: id};
  const parts = id.split(":");
  if (parts.length === 1) return {provider: null, model: id};
  const rest = parts.slice(1);
  while (rest.length > 1 && apiSegments.has(rest[0])) rest.shift();
  return {provider: parts[0], model: rest.join(":")};
}

function graderOf(grading: unknown): "model" | "human" | "programmatic" | null {
  const types: string[] = [];
  const walk = (g: unknown) => {
    if (!isRecord(g)) return;
    if (isRecord(g.assertion) && typeof g.assertion.type === "string")
      types.push(g.assertion.type.replace(/^not-/, ""));
    if (Array.isArray(g.componentResults)) g.componentResults.forEach(walk);
  };
  walk(grading);
  if (types.includes("human")) return "human";
  if (types.some((t) => modelGraded.has(t))) return "model";
  return types.length ? "programmatic" : null;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);

/** A test's input as the case view shows it: its one var's value, else "name: value" per var, in the
 * file's order. The vars, not the rendered prompt: a prompt opens with its template's instructions,
 * which would fill the excerpt, and the CSV export holds only the vars. Shared with the CSV reader. */
export function varsText(vars: readonly (readonly [string, unknown])[]): string | undefined {
  const shown = vars.filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (shown.length === 0) return undefined;
  if (shown.length === 1) return text(shown[0][1]);
  return shown.map(([name, v]) => `${name}: ${text(v)}`).join("\n");
}

/** Assertion types whose value is code or a call, not what the output should say. */
const codeAssertions =
  /^(not-)?(javascript|python|ruby|golang|webhook|is-valid-|is-json|is-xml|is-sql|latency|cost|perplexity|classifier|moderation|guardrails|finish-reason|trace-)/;

/** A value's plain {{name}} placeholders filled from the test's vars; anything else of Nunjucks stays as written. */
const fillVars = (value: unknown, vars: Json): unknown =>
  typeof value === "string"
    ? value.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) =>
        typeof vars[name] === "string" || typeof vars[name] === "number" ? String(vars[name]) : all
      )
    : value;

/** What a test expects: each assertion that states a value ("equals: billing"), joined by "; ". The
 * value as promptfoo rendered it for this test (gradingResult's renderedAssertionValue), else with its
 * {{var}} placeholders filled (a call that errored was never graded, so nothing was rendered); code
 * assertions (javascript, python…) and thresholds (cost, latency) are left out. */
function expectedText(testCase: Json, grading: Json, vars: Json): string | undefined {
  const rendered = new Map<string, unknown>();
  const walk = (g: unknown) => {
    if (!isRecord(g)) return;
    const metadata = isRecord(g.metadata) ? g.metadata : {};
    if (isRecord(g.assertion) && typeof g.assertion.type === "string" && metadata.renderedAssertionValue !== undefined)
      rendered.set(JSON.stringify([g.assertion.type, g.assertion.value]), metadata.renderedAssertionValue);
    if (Array.isArray(g.componentResults)) g.componentResults.forEach(walk);
  };
  walk(grading);
  // An assert-set holds its assertions under its own `assert`.
  const flat = (list: unknown): Json[] =>
    Array.isArray(list) ? list.filter(isRecord).flatMap((a) => (a.type === "assert-set" ? flat(a.assert) : [a])) : [];
  const asserts = flat(testCase.assert);
  const parts = asserts.flatMap((a) => {
    const type = asString(a.type);
    if (!type || codeAssertions.test(type) || a.value === undefined || a.value === null) return [];
    const value = rendered.get(JSON.stringify([type, a.value])) ?? fillVars(a.value, vars);
    return [`${type}: ${text(value)}`];
  });
  return parts.length ? parts.join("; ") : undefined;
}

function promptVersion(prompt: Json): string | undefined {
  const label = asString(prompt.label) ?? asString(prompt.raw);
  if (label && charLength(label) <= 80) return label;
  return asString(prompt.id)?.slice(0, 12) ?? label?.slice(0, 80);
}

/** What an option is called on every page: the provider's label (else its id), and the prompt's
 * label after it when the eval compares several prompts. Shared with the CSV export's reader. */
export function optionName(provider: string, prompt: string | undefined, multiplePrompts: boolean): string {
  return multiplePrompts && prompt ? `${provider} · ${prompt}` : provider;
}

/** Case ids for tests listed in testIdx order, each given by its description and a key of its vars.
 * promptfoo gives every repeat (and every expansion of a list-valued var) its own testIdx, so tests
 * with the same description and vars are one case asked again; a description names its case unless
 * several var combinations share it. Shared with the CSV export's reader, so both name cases alike. */
export function caseIds(tests: readonly {description?: string; vars: string}[]): string[] {
  const keyOf = (t: {description?: string; vars: string}) => JSON.stringify([t.description ?? null, t.vars]);
  const index = new Map<string, number>();
  const varsPerDescription = new Map<string, Set<string>>();
  for (const t of tests) {
    if (!index.has(keyOf(t))) index.set(keyOf(t), index.size);
    if (t.description)
      varsPerDescription.set(t.description, (varsPerDescription.get(t.description) ?? new Set()).add(t.vars));
  }
  return tests.map((t) => {
    const k = index.get(keyOf(t))!;
    if (!t.description) return `test-${k}`;
    return varsPerDescription.get(t.description)!.size === 1 ? t.description : `${t.description} (test-${k})`;
  });
}

const varsKey = (vars: Json) => JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Case id of every testIdx in the file. */
function caseIdsByTestIdx(list: readonly unknown[]): Map<number, string> {
  const tests = new Map<number, {description?: string; vars: string}>();
  for (const r of list) {
    if (!isRecord(r) || asNumber(r.testIdx) === undefined || tests.has(r.testIdx as number)) continue;
    const testCase = isRecord(r.testCase) ? r.testCase : {};
    const vars = isRecord(r.vars) ? r.vars : isRecord(testCase.vars) ? testCase.vars : {};
    tests.set(r.testIdx as number, {description: asString(testCase.description), vars: varsKey(vars)});
  }
  const order = [...tests.keys()].sort((a, b) => a - b);
  const ids = caseIds(order.map((i) => tests.get(i)!));
  return new Map(order.map((i, k) => [i, ids[k]]));
}

function resultValues(
  result: Json,
  run: {run_id: string; suite: string; started_at: unknown},
  multiplePrompts: boolean,
  caseId: string | undefined
): Record<string, unknown> {
  const provider = isRecord(result.provider) ? result.provider : {id: result.provider};
  const providerId = asString(provider.id) ?? "unknown-provider";
  const prompt = isRecord(result.prompt) ? result.prompt : {};
  const response = isRecord(result.response) ? result.response : {};
  const testCase = isRecord(result.testCase) ? result.testCase : {};
  const vars = isRecord(result.vars) ? result.vars : isRecord(testCase.vars) ? testCase.vars : {};
  const usage = isRecord(response.tokenUsage)
    ? response.tokenUsage
    : isRecord(result.tokenUsage)
      ? result.tokenUsage
      : {};
  const metadata = isRecord(testCase.metadata) ? testCase.metadata : isRecord(result.metadata) ? result.metadata : {};
  const grading = isRecord(result.gradingResult) ? result.gradingResult : {};
  const named = isRecord(result.namedScores) && Object.keys(result.namedScores).length ? result.namedScores : undefined;
  const {provider: vendor, model} = splitProviderId(providerId);
  const providerName = asString(provider.label) ?? providerId;
  const callError = result.failureReason === FAILURE_ERROR ? result.error : response.error;
  return {
    run_id: `${run.run_id}/${providerName}${multiplePrompts ? `/${promptVersion(prompt)}` : ""}`,
    eval_id: run.run_id,
    option: optionName(providerName, promptVersion(prompt), multiplePrompts),
    case_id: caseId,
    suite: run.suite,
    started_at: run.started_at,
    model,
    provider: vendor,
    prompt_version: promptVersion(prompt),
    category: asString(metadata.category) ?? asString(vars.category),
    tags: Array.isArray(metadata.tags) ? metadata.tags.join(",") : asString(metadata.tags),
    input_chars: typeof prompt.raw === "string" ? charLength(prompt.raw) : undefined,
    // A test without vars has the prompt itself as its input.
    input_excerpt: varsText(Object.entries(vars)) ?? asString(prompt.raw),
    expected_excerpt: expectedText(testCase, grading, vars),
    grader: graderOf(grading),
    score: result.score,
    passed: result.success,
    latency_ms: result.latencyMs ?? response.latencyMs,
    input_tokens: usage.prompt,
    output_tokens: usage.completion,
    cost_usd: result.cost ?? response.cost,
    refused: typeof response.isRefusal === "boolean" ? response.isRefusal : undefined,
    error: text(callError),
    output_excerpt: text(response.output),
    named_scores: named ? JSON.stringify(named) : undefined,
    reason: asString(grading.reason)
  };
}

export function promptfooRecords(doc: unknown, file: WorkspaceFile): StagedRecord[] {
  if (!isRecord(doc) || !isRecord(doc.results))
    throw new Error(`expected a promptfoo results file with a "results" object (promptfoo eval -o results.json)`);
  const list = doc.results.results;
  if (!Array.isArray(list))
    throw new Error(
      `results.results is not a list of results (promptfoo results version ${String(doc.results.version ?? "unknown")})`
    );
  const config = isRecord(doc.config) ? doc.config : {};
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const evalId = asString(doc.evalId) ?? `promptfoo-${String(doc.results.timestamp ?? fileStem(file))}`;
  const defaults = withSourceDefaults({suite: asString(config.description)}, file);
  const run = {
    run_id: evalId,
    suite: (defaults.suite as string | undefined) ?? fileStem(file),
    started_at: doc.results.timestamp ?? metadata.evaluationCreatedAt
  };
  if (list.length === 0) {
    return [
      {
        line: 1,
        raw: JSON.stringify(doc.results.stats ?? {}),
        values: {},
        error: `promptfoo eval ${evalId} holds no results (results.results is empty), so no case rows came from it`
      }
    ];
  }
  // promptIdx numbers prompt × provider pairs, so distinct prompts are told apart by their content id.
  const promptKey = (r: unknown) =>
    isRecord(r)
      ? String(r.promptId ?? (isRecord(r.prompt) ? (r.prompt.id ?? r.prompt.label ?? r.prompt.raw) : ""))
      : "";
  const multiplePrompts = new Set(list.map(promptKey)).size > 1;
  const cases = caseIdsByTestIdx(list);
  const epochs = new Map<string, number>();
  // Repeats are numbered in testIdx order (the order promptfoo ran them), not in the file's order.
  const order = list.map((r, i) => ({r, i})).sort((a, b) => testIdxOf(a.r) - testIdxOf(b.r) || a.i - b.i);
  const records: StagedRecord[] = new Array(list.length);
  for (const {r: result, i} of order) records[i] = resultRecord(result, i);
  return records;

  function resultRecord(result: unknown, i: number): StagedRecord {
    if (!isRecord(result))
      return {line: i + 1, raw: JSON.stringify(result), values: {}, error: `results.results[${i}] is not an object`};
    const values = withSourceDefaults(
      resultValues(
        result,
        run,
        multiplePrompts,
        cases.get(result.testIdx as number) ??
          (isRecord(result.testCase) ? asString(result.testCase.description) : undefined)
      ),
      file
    );
    const key = `${values.run_id}\u0000${values.case_id}`;
    const epoch = (epochs.get(key) ?? 0) + 1;
    epochs.set(key, epoch);
    return {
      line: i + 1,
      raw: JSON.stringify({
        provider: result.provider,
        testIdx: result.testIdx,
        success: result.success,
        score: result.score
      }),
      values: {...values, epoch}
    };
  }
}

const testIdxOf = (r: unknown) => (isRecord(r) ? (asNumber(r.testIdx) ?? Infinity) : Infinity);

function isPromptfoo(file: WorkspaceFile): boolean {
  const keys = topLevelKeys(file.head);
  if (!keys?.includes("results")) return false;
  return keys.includes("evalId") || /^\s*\{\s*"results"\s*:\s*\{\s*"version"\s*:/.test(file.head);
}

export const promptfoo: Adapter = {
  name: "promptfoo",
  description: "promptfoo results JSON (promptfoo eval -o results.json, promptfoo export)",
  tables: [evalResults.name],
  detect: isPromptfoo,
  async stage(ctx, file) {
    const doc = parseJsonDocument(await readFile(file.path, "utf8"));
    await stageRecords(ctx, evalResults, file, promptfoo.name, promptfooRecords(doc, file));
  }
};

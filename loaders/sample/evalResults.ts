// eval_results rows: every case of every planned run, one run at a time.
import {iso} from "./calendar.js";
import {costUsd, providerOf, reportsCost} from "./catalog.js";
import {choice, integer, lognormal, range, round} from "./distributions.js";
import {evalRunPlan, type RunSpec} from "./evalRuns.js";
import {evalSuites, type EvalCase} from "./evalSuites.js";
import {passesByDifficulty, pickExactly, stratifiedLognormal} from "./planting.js";
import type {Rng} from "./random.js";
import type {EvalResultRow} from "./rows.js";
import {EVAL_ERROR_RATE} from "./story.js";
import {evalCaseTexts, outputText, REFUSAL_TEXT} from "./texts.js";

export interface EvalResultsOptions {
  /** Multiplies the number of cases in every suite; defaults to 1. */
  readonly caseMultiplier?: number;
  /**
   * A stream of its own for the cases' inputs and expected outputs; without it rows carry neither.
   * Separate from the rows' stream, so adding these texts left every other value of the sample as it was.
   */
  readonly textRng?: Rng;
}

type Outcome = "pass" | "fail" | "refused" | "error";

const EVAL_ERRORS = ["timeout after 30000 ms", "429 rate limit exceeded", "upstream 503 service unavailable"];

/** A case's input and expected output: the same in every run that grades it. */
type CaseTexts = (run: RunSpec, c: EvalCase) => {input: string; expected: string};

function caseTexts(rng: Rng): CaseTexts {
  const known = new Map<string, {input: string; expected: string}>();
  return (run, c) => {
    const key = `${run.suite}\u0000${c.case_id}`;
    const texts = known.get(key) ?? evalCaseTexts(rng, run.feature, c.category, c.input_chars);
    known.set(key, texts);
    return texts;
  };
}

export function* evalResults(
  rng: Rng,
  {caseMultiplier = 1, textRng}: EvalResultsOptions = {}
): Generator<EvalResultRow> {
  const texts = textRng ? caseTexts(textRng) : undefined;
  for (const run of evalRunPlan(rng, evalSuites(rng, caseMultiplier))) yield* runRows(rng, run, texts);
}

function* runRows(rng: Rng, run: RunSpec, texts?: CaseTexts): Generator<EvalResultRow> {
  const outcomes = runOutcomes(rng, run);
  const latencies = stratifiedLognormal(rng, run.cases.length, run.latency.median, run.latency.sigma);
  const started_at = iso(run.startedAt);
  for (const i of range(run.cases.length)) {
    const c = run.cases[i]!;
    const row = evalRow(rng, run, started_at, c, outcomes[i]!, latencies[i]!);
    yield texts ? withTexts(row, texts(run, c)) : row;
  }
}

/** The row with its case's input and expected output. A passing case the rows' stream left without
 * an output (it keeps outputs only for the cases a reviewer reads) gets the expected one. */
function withTexts(row: EvalResultRow, {input, expected}: {input: string; expected: string}): EvalResultRow {
  const output_excerpt = row.output_excerpt ?? (row.passed ? expected : undefined);
  return {...row, input_excerpt: input, expected_excerpt: expected, output_excerpt};
}

function runOutcomes(rng: Rng, run: RunSpec): Outcome[] {
  const passed = plantedPasses(rng, run);
  const failing = range(passed.length).filter((i) => !passed[i]);
  const refused = pickExactly(rng, failing, Math.round(run.refusalRate * passed.length));
  const errors = pickExactly(
    rng,
    failing.filter((i) => !refused.has(i)),
    Math.round(EVAL_ERROR_RATE * passed.length)
  );
  return passed.map((p, i) => (p ? "pass" : refused.has(i) ? "refused" : errors.has(i) ? "error" : "fail"));
}

function plantedPasses(rng: Rng, run: RunSpec): boolean[] {
  const strata = new Map<string, number[]>();
  run.cases.forEach((c, i) => {
    const key = run.stratum(c);
    const indices = strata.get(key) ?? [];
    indices.push(i);
    strata.set(key, indices);
  });
  const passed = new Array<boolean>(run.cases.length).fill(false);
  for (const [stratum, indices] of strata) {
    const rate = run.passRates[stratum];
    if (rate === undefined) throw new Error(`run ${run.run_id} has no pass rate for stratum "${stratum}"`);
    const passes = passesByDifficulty(
      rng,
      indices.map((i) => run.cases[i]!.difficulty),
      rate
    );
    indices.forEach((i, j) => (passed[i] = passes[j]!));
  }
  return passed;
}

function evalRow(
  rng: Rng,
  run: RunSpec,
  started_at: string,
  c: EvalCase,
  outcome: Outcome,
  latency: number
): EvalResultRow {
  const grader = run.grader === "model" && c.humanGraded ? "human" : run.grader;
  const answered = outcome !== "error";
  const input_tokens = answered ? inputTokens(rng, run, c) : undefined;
  const output_tokens = answered ? outputTokens(rng, run, outcome) : undefined;
  return {
    run_id: run.run_id,
    case_id: c.case_id,
    suite: run.suite,
    started_at,
    feature: run.feature,
    model: run.model,
    provider: providerOf(run.model),
    prompt_version: run.prompt_version,
    dataset_version: run.dataset_version,
    category: c.category,
    tags: c.long ? "long-input" : undefined,
    input_chars: c.input_chars,
    grader,
    score: answered ? score(rng, grader, outcome) : undefined,
    passed: outcome === "pass",
    latency_ms: answered ? Math.round(latency * (1 + c.input_chars * run.latency.perInputChar)) : undefined,
    input_tokens,
    output_tokens,
    cost_usd: answered && reportsCost(run.model) ? costUsd(run.model, input_tokens!, output_tokens!) : undefined,
    refused: outcome === "refused",
    error: answered ? undefined : choice(rng, EVAL_ERRORS),
    output_excerpt: excerpt(rng, run, c, outcome, grader)
  };
}

const inputTokens = (rng: Rng, {tokens}: RunSpec, c: EvalCase): number =>
  tokens.prompt +
  Math.round(c.input_chars / 4) +
  (tokens.context ? integer(rng, tokens.context - 200, tokens.context + 200) : 0);

const outputTokens = (rng: Rng, {tokens}: RunSpec, outcome: Outcome): number =>
  outcome === "refused" ? integer(rng, 10, 20) : Math.max(3, Math.round(lognormal(rng, tokens.outputMedian, 0.35)));

/** Excerpts are kept for the cases a reviewer reads: failures, refusals and human-graded ones. */
function excerpt(
  rng: Rng,
  run: RunSpec,
  c: EvalCase,
  outcome: Outcome,
  grader: EvalResultRow["grader"]
): string | undefined {
  if (outcome === "refused") return REFUSAL_TEXT;
  return outcome === "fail" || (outcome === "pass" && grader === "human")
    ? outputText(rng, run.feature, c.category)
    : undefined;
}

/** Model-graded and human-graded cases pass at score ≥ 0.7; programmatic checks score 0 or 1. */
function score(rng: Rng, grader: EvalResultRow["grader"], outcome: Outcome): number {
  if (outcome === "refused") return 0;
  const pass = outcome === "pass";
  if (grader === "programmatic") return pass ? 1 : 0;
  if (grader === "human") return pass ? choice(rng, [0.75, 1]) : choice(rng, [0, 0.25, 0.5]);
  return pass ? round(0.7 + 0.3 * Math.sqrt(rng()), 3) : round(0.05 + 0.64 * rng(), 3);
}

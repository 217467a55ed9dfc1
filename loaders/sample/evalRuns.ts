// The run plan: which suite ran when, with which model and prompt, at which planted pass rates.
import {at, compactDate, WEEKS} from "./calendar.js";
import {PROMPT_TOKENS, type LlmFeature, type ModelName} from "./catalog.js";
import {clamp, range, uniform} from "./distributions.js";
import type {EvalCase, EvalSuites} from "./evalSuites.js";
import type {Rng} from "./random.js";
import * as story from "./story.js";

export interface RunSpec {
  readonly run_id: string;
  readonly suite: string;
  readonly feature: LlmFeature;
  readonly model: ModelName;
  readonly prompt_version: string;
  readonly dataset_version: string;
  readonly startedAt: number;
  readonly grader: "model" | "programmatic";
  readonly cases: readonly EvalCase[];
  /** Pass rates are planted per stratum (category, or long/short input). */
  readonly stratum: (c: EvalCase) => string;
  readonly passRates: Readonly<Record<string, number>>;
  readonly refusalRate: number;
  readonly latency: {readonly median: number; readonly sigma: number; readonly perInputChar: number};
  readonly tokens: {readonly prompt: number; readonly context: number; readonly outputMedian: number};
}

type Suite = {
  readonly suite: string;
  readonly idPrefix: string;
  readonly feature: LlmFeature;
  readonly datasetVersion: string;
};
type RunChoice = Pick<RunSpec, "model" | "prompt_version" | "startedAt" | "passRates">;

const CHAT_LATENCY: Readonly<Record<ModelName, {median: number; sigma: number}>> = {
  "gpt-4.1": {median: 1350, sigma: 0.35},
  "gpt-4.1-mini": {median: 720, sigma: 0.35},
  "claude-sonnet-4": {median: story.LAUNCH_CANDIDATE.latencyMedianMs, sigma: story.LAUNCH_CANDIDATE.latencySigma},
  "claude-3-5-haiku": {median: 640, sigma: 0.33},
  "gemini-2.5-flash": {median: 520, sigma: 0.4}
};

function jitter(rng: Rng, rates: Readonly<Record<string, number>>, amount: number): Record<string, number> {
  return Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, clamp(r + uniform(rng, -amount, amount), 0, 1)]));
}

const offset = (rates: Readonly<Record<string, number>>, by: number): Record<string, number> =>
  Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, r + by]));

function runSpec(
  suite: Suite,
  cases: readonly EvalCase[],
  choice: RunChoice,
  rest: Omit<RunSpec, keyof RunChoice | "run_id" | "suite" | "feature" | "dataset_version" | "cases">
): RunSpec {
  const run_id = `${suite.idPrefix}-${compactDate(choice.startedAt)}-${choice.model}-${choice.prompt_version}`;
  return {
    run_id,
    suite: suite.suite,
    feature: suite.feature,
    dataset_version: suite.datasetVersion,
    cases,
    ...choice,
    ...rest
  };
}

export function summarizationRuns(rng: Rng, cases: readonly EvalCase[]): RunSpec[] {
  const {model, baselinePrompt, regressedPrompt, regressedWeek} = story.SUMMARIZATION_SUITE;
  return range(WEEKS).map((week) => {
    const prompt_version = week >= regressedWeek ? regressedPrompt : baselinePrompt;
    const planted = story.SUMMARIZATION_PASS_RATES[prompt_version];
    const passRates = week >= regressedWeek - 1 ? planted : jitter(rng, planted, 0.025);
    const tokens = {prompt: PROMPT_TOKENS[prompt_version]!, context: 0, outputMedian: 170};
    const rest = {
      grader: "model",
      stratum: (c: EvalCase) => (c.long ? "long" : "short"),
      refusalRate: 0.003,
      latency: {median: 800, sigma: 0.3, perInputChar: 1 / 12000},
      tokens
    } as const;
    return runSpec(
      story.SUMMARIZATION_SUITE,
      cases,
      {model, prompt_version, startedAt: at(week, 3, 6), passRates},
      rest
    );
  });
}

function chatRun(cases: readonly EvalCase[], choice: RunChoice): RunSpec {
  const tokens = {prompt: PROMPT_TOKENS[choice.prompt_version]!, context: 450, outputMedian: 230};
  const latency = {...CHAT_LATENCY[choice.model], perInputChar: 0};
  const rest = {
    grader: "model",
    stratum: (c: EvalCase) => c.category,
    refusalRate: story.EVAL_REFUSAL_RATES[choice.model],
    latency,
    tokens
  } as const;
  return runSpec(story.SUPPORT_CHAT_SUITE, cases, choice, rest);
}

const bakeoffRates = (model: ModelName): Record<string, number> =>
  Object.fromEntries(
    Object.entries(story.BAKEOFF_PASSES_PER_50[model]).map(([k, passes]) => [
      k,
      passes / story.SUPPORT_CHAT_SUITE.casesPerCategory
    ])
  );

export function supportChatRuns(rng: Rng, cases: readonly EvalCase[]): RunSpec[] {
  const {model, prompt} = story.CHAT_BASELINE;
  const candidate = story.LAUNCH_CANDIDATE;
  const baseline = range(WEEKS).map((week) =>
    chatRun(cases, {
      model,
      prompt_version: prompt,
      startedAt: at(week, 3, 8),
      passRates: jitter(rng, story.BASELINE_CHAT_PASS_RATES, 0.025)
    })
  );
  const ramp = Object.entries(story.CANDIDATE_RAMP).map(([week, below]) =>
    chatRun(cases, {
      model: candidate.model,
      prompt_version: candidate.prompt,
      startedAt: at(Number(week), 3, 10),
      passRates: offset(bakeoffRates(candidate.model), -below)
    })
  );
  const models = Object.keys(story.BAKEOFF_PASSES_PER_50) as ModelName[];
  const bakeoff = models.map((m, i) =>
    chatRun(cases, {
      model: m,
      prompt_version: story.BAKEOFF_PROMPT,
      startedAt: at(story.BAKEOFF_WEEK, 4, 8 + i),
      passRates: bakeoffRates(m)
    })
  );
  return [...baseline, ...ramp, ...bakeoff];
}

export function autocompleteRuns(rng: Rng, cases: readonly EvalCase[]): RunSpec[] {
  const {model, prompt, passRate} = story.AUTOCOMPLETE_SUITE;
  const rest = {
    grader: "programmatic",
    stratum: () => "all",
    refusalRate: 0,
    latency: {median: 260, sigma: 0.3, perInputChar: 0},
    tokens: {prompt: PROMPT_TOKENS[prompt]!, context: 0, outputMedian: 28}
  } as const;
  return range(WEEKS).map((week) =>
    runSpec(
      story.AUTOCOMPLETE_SUITE,
      cases,
      {model, prompt_version: prompt, startedAt: at(week, 2, 6), passRates: jitter(rng, {all: passRate}, 0.02)},
      rest
    )
  );
}

/** All runs, oldest first. */
export function evalRunPlan(rng: Rng, suites: EvalSuites): RunSpec[] {
  const runs = [
    ...summarizationRuns(rng, suites.summarization),
    ...supportChatRuns(rng, suites.supportChat),
    ...autocompleteRuns(rng, suites.autocomplete)
  ];
  return runs.sort((a, b) => a.startedAt - b.startedAt || (a.run_id < b.run_id ? -1 : 1));
}

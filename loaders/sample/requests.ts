// The production request stream. Spans are written for the traced (sampled) requests and
// corrections for the requests a user acted on, so both tables describe the same traffic.
import {DATA_END, DATA_START, DAY_MS, isWeekend, WEEKS} from "./calendar.js";
import {
  CATEGORY_MIX,
  NEW_CATEGORY,
  SEGMENT_MIX,
  type Category,
  type LlmFeature,
  type ModelName,
  type Segment
} from "./catalog.js";
import {bernoulli, clamp, hex, integer, lognormal, normal, range, weighted} from "./distributions.js";
import type {Rng} from "./random.js";
import {
  AUTOCOMPLETE_SUITE,
  CHAT_BASELINE,
  EXPERIMENT_TRAFFIC,
  LAUNCH_CANDIDATE,
  NEW_CATEGORY_DRIFT,
  SUM_V4_SHIPPED_AT,
  SUMMARIZATION_SUITE,
  TRAFFIC
} from "./story.js";

export interface ProductionRequest {
  readonly index: number;
  readonly trace_id: string;
  readonly at: number;
  readonly feature: LlmFeature;
  readonly segment: Segment;
  readonly category: Category;
  readonly model: ModelName;
  readonly prompt_version: string;
  readonly input_chars: number;
  /** Every TRAFFIC.traceSampleEvery-th request is traced; the choice ignores content, like head sampling. */
  readonly sampled: boolean;
  /** The arm of the experiment that served the request (EXPERIMENT_TRAFFIC), if any. */
  readonly variant?: "control" | "treatment";
}

export interface RequestsOptions {
  /** Number of requests over the whole period; defaults to TRAFFIC.requests. */
  readonly requests?: number;
}

export function* productionRequests(
  rng: Rng,
  {requests = TRAFFIC.requests}: RequestsOptions = {}
): Generator<ProductionRequest> {
  const isNewCategory = newCategoryQuota();
  let index = 0;
  for (const [day, count] of dailyCounts(requests).entries()) {
    const times = range(count)
      .map(() => timeOfDay(rng))
      .sort((a, b) => a - b);
    for (const t of times) yield request(rng, index++, DATA_START + day * DAY_MS + t, isNewCategory);
  }
}

/** Requests per day, growing slowly, quieter at weekends; sums to exactly `total`. */
export function dailyCounts(total: number): number[] {
  const weights = range(WEEKS * 7).map(
    (d) => (1 + TRAFFIC.growthPerDay * d) * (isWeekend(DATA_START + d * DAY_MS) ? TRAFFIC.weekendFactor : 1)
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let previous = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((total * cumulative) / sum);
    const count = upTo - previous;
    previous = upTo;
    return count;
  });
}

/** Milliseconds into the UTC day; traffic peaks mid-afternoon. The last minutes stay free so a trace never runs past the data's end. */
const timeOfDay = (rng: Rng): number => Math.floor(Math.min(23.9, ((normal(rng, 15, 3.2) % 24) + 24) % 24) * 3_600_000);

function request(
  rng: Rng,
  index: number,
  at: number,
  isNewCategory: (at: number, sampled: boolean) => boolean
): ProductionRequest {
  const feature = weighted(rng, TRAFFIC.featureMix);
  const {model, prompt_version} = deployment(rng, feature, at);
  const sampled = index % TRAFFIC.traceSampleEvery === 0;
  const category =
    feature === NEW_CATEGORY_DRIFT.feature && isNewCategory(at, sampled) ? NEW_CATEGORY : weighted(rng, CATEGORY_MIX);
  const trace_id = hex(rng, 32);
  const request: ProductionRequest = {
    index,
    trace_id,
    at,
    feature,
    segment: weighted(rng, SEGMENT_MIX),
    category,
    model,
    prompt_version,
    input_chars: inputChars(rng, feature),
    sampled
  };
  return feature === EXPERIMENT_TRAFFIC.feature && at >= EXPERIMENT_TRAFFIC.from
    ? {...request, variant: experimentArm(trace_id)}
    : request;
}

/** The trace id's last hex digit splits traffic in two halves without drawing a random number. */
const experimentArm = (traceId: string) => (parseInt(traceId.slice(-1), 16) % 2 ? "treatment" : "control");

function deployment(rng: Rng, feature: LlmFeature, at: number): {model: ModelName; prompt_version: string} {
  if (feature === "ticket-summarization")
    return {
      model: SUMMARIZATION_SUITE.model,
      prompt_version: at >= SUM_V4_SHIPPED_AT ? SUMMARIZATION_SUITE.regressedPrompt : SUMMARIZATION_SUITE.baselinePrompt
    };
  if (feature === "autocomplete") return {model: AUTOCOMPLETE_SUITE.model, prompt_version: AUTOCOMPLETE_SUITE.prompt};
  const canary = at >= TRAFFIC.canaryFrom && bernoulli(rng, TRAFFIC.canaryShare);
  return canary
    ? {model: LAUNCH_CANDIDATE.model, prompt_version: LAUNCH_CANDIDATE.prompt}
    : {model: CHAT_BASELINE.model, prompt_version: CHAT_BASELINE.prompt};
}

/** Share of support-chat traffic in the new category at a given time. */
export function newCategoryShare(at: number): number {
  const {from, startShare, endShare} = NEW_CATEGORY_DRIFT;
  return at < from ? 0 : startShare + ((endShare - startShare) * (at - from)) / (DATA_END - from);
}

/**
 * Error diffusion instead of coin flips, kept separately for traced and untraced requests: every
 * window of support-chat traffic, and of its traces, holds its planted share of the new category.
 */
function newCategoryQuota(): (at: number, sampled: boolean) => boolean {
  const owed = [0, 0];
  return (at, sampled) => {
    const k = sampled ? 1 : 0;
    owed[k]! += newCategoryShare(at);
    if (owed[k]! < 1) return false;
    owed[k]! -= 1;
    return true;
  };
}

function inputChars(rng: Rng, feature: LlmFeature): number {
  if (feature === "support-chat") return Math.round(clamp(lognormal(rng, 800, 0.6), 40, 6000));
  if (feature === "autocomplete") return Math.round(clamp(lognormal(rng, 320, 0.5), 20, 2000));
  if (bernoulli(rng, SUMMARIZATION_SUITE.longShare)) return integer(rng, 6100, 16000);
  return Math.round(clamp(lognormal(rng, 1800, 0.6), 200, 5900));
}

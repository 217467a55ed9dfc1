// spans rows: one trace per sampled request — a root chain span with retrieval, sometimes a tool
// call, and the llm call.
import {DATA_END, iso} from "./calendar.js";
import {costUsd, PROMPT_TOKENS, providerOf, reportsCost, type ModelName} from "./catalog.js";
import {bernoulli, choice, hex, integer, lognormal, uniform} from "./distributions.js";
import type {Rng} from "./random.js";
import type {ProductionRequest} from "./requests.js";
import type {SpanRow} from "./rows.js";
import {
  EXPERIMENT_TRAFFIC,
  FAKE_PII,
  INJECTION_FROM,
  LATENCY_CREEP,
  LONG_INPUT_CHARS,
  PROMPT_INJECTION
} from "./story.js";
import {outputText, replyText} from "./texts.js";

export interface SpansOptions {
  readonly requests: Iterable<ProductionRequest>;
}

interface Planted {
  injection: boolean;
  pii: number;
}

const SPAN_LATENCY: Readonly<Record<ModelName, {median: number; sigma: number; perInputChar: number}>> = {
  "gpt-4.1": {median: 1500, sigma: LATENCY_CREEP.sigmaFrom, perInputChar: 0},
  "gpt-4.1-mini": {median: 950, sigma: 0.35, perInputChar: 1 / 12000},
  "claude-sonnet-4": {median: 1300, sigma: 0.37, perInputChar: 0},
  "claude-3-5-haiku": {median: 650, sigma: 0.33, perInputChar: 0},
  "gemini-2.5-flash": {median: 300, sigma: 0.35, perInputChar: 0}
};
const LLM_SPAN_NAMES: Readonly<Record<string, string>> = {
  openai: "openai.chat.completions",
  anthropic: "anthropic.messages",
  google: "gemini.generate_content"
};
const OUTPUT_MEDIAN = {"support-chat": 220, "ticket-summarization": 170, autocomplete: 28} as const;
const TOOLS = ["orders.lookup", "billing.get_invoice", "account.get_status", "refunds.create"];
const SPAN_ERRORS = ["upstream timeout after 30 s", "429 rate limit exceeded", "503 service unavailable"];
const SPAN_ERROR_RATE = 0.012;

export function* spans(rng: Rng, {requests}: SpansOptions): Generator<SpanRow> {
  const planted: Planted = {injection: false, pii: 0};
  for (const r of requests) if (r.sampled) yield* traceSpans(rng, r, planted);
}

function* traceSpans(rng: Rng, r: ProductionRequest, planted: Planted): Generator<SpanRow> {
  const rootId = hex(rng, 16);
  const retrieval = childSpan(
    rng,
    r,
    rootId,
    r.at + integer(rng, 1, 6),
    "retrieval",
    "kb.search",
    lognormal(rng, r.feature === "autocomplete" ? 35 : 90, 0.4)
  );
  const tool =
    r.feature === "support-chat" && bernoulli(rng, 0.45)
      ? childSpan(rng, r, rootId, endOf(retrieval) + 2, "tool", choice(rng, TOOLS), lognormal(rng, 180, 0.5))
      : undefined;
  const llm = llmSpan(rng, r, rootId, endOf(tool ?? retrieval) + 2, planted);
  const duration_ms = endOf(llm) - r.at + integer(rng, 3, 25);
  yield {
    trace_id: r.trace_id,
    span_id: rootId,
    name: r.feature,
    kind: "chain",
    start_time: iso(r.at),
    duration_ms,
    feature: r.feature,
    segment: r.segment,
    category: r.category,
    prompt_version: r.prompt_version,
    input_chars: r.input_chars,
    status: llm.status
  };
  yield retrieval;
  if (tool) yield tool;
  yield llm;
}

const endOf = (span: SpanRow): number => Date.parse(span.start_time) + span.duration_ms;

function childSpan(
  rng: Rng,
  r: ProductionRequest,
  parent: string,
  start: number,
  kind: SpanRow["kind"],
  name: string,
  duration: number
): SpanRow {
  return {
    trace_id: r.trace_id,
    span_id: hex(rng, 16),
    parent_span_id: parent,
    name,
    kind,
    start_time: iso(start),
    duration_ms: Math.round(duration),
    status: "ok"
  };
}

function llmSpan(rng: Rng, r: ProductionRequest, parent: string, start: number, planted: Planted): SpanRow {
  const failed = bernoulli(rng, SPAN_ERROR_RATE);
  const treated = r.variant === "treatment";
  const duration_ms = Math.round(
    llmLatency(rng, r) * (failed ? uniform(rng, 0.1, 1) : 1) * (treated ? EXPERIMENT_TRAFFIC.latencyFactor : 1)
  );
  const input_tokens =
    PROMPT_TOKENS[r.prompt_version]! +
    Math.round(r.input_chars / 4) +
    (r.feature === "autocomplete" ? integer(rng, 40, 120) : integer(rng, 250, 650));
  const output_tokens = failed
    ? undefined
    : Math.max(
        3,
        Math.round(lognormal(rng, OUTPUT_MEDIAN[r.feature], 0.4) * (treated ? EXPERIMENT_TRAFFIC.outputFactor : 1))
      );
  const provider = providerOf(r.model);
  return {
    trace_id: r.trace_id,
    span_id: hex(rng, 16),
    parent_span_id: parent,
    name: LLM_SPAN_NAMES[provider]!,
    kind: "llm",
    start_time: iso(start),
    duration_ms,
    feature: r.feature,
    model: r.model,
    provider,
    prompt_version: r.prompt_version,
    input_tokens,
    output_tokens,
    cost_usd:
      output_tokens !== undefined && reportsCost(r.model) ? costUsd(r.model, input_tokens, output_tokens) : undefined,
    status: failed ? "error" : "ok",
    finish_reason: failed ? undefined : finishReason(rng, r),
    error_message: failed ? choice(rng, SPAN_ERRORS) : undefined,
    output_excerpt: failed ? undefined : excerpt(rng, r, planted),
    ...(r.variant ? {experiment: EXPERIMENT_TRAFFIC.experiment, variant: r.variant} : {})
  };
}

/** gpt-4.1's median and tail grow linearly over the creep window. */
function llmLatency(rng: Rng, r: ProductionRequest): number {
  const base = SPAN_LATENCY[r.model];
  const creep =
    r.model === LATENCY_CREEP.model && r.at >= LATENCY_CREEP.from
      ? (r.at - LATENCY_CREEP.from) / (DATA_END - LATENCY_CREEP.from)
      : 0;
  const median = base.median * (1 + (LATENCY_CREEP.medianFactor - 1) * creep) * (1 + r.input_chars * base.perInputChar);
  return lognormal(rng, median, base.sigma + (LATENCY_CREEP.sigmaTo - LATENCY_CREEP.sigmaFrom) * creep);
}

function finishReason(rng: Rng, r: ProductionRequest): string {
  if (bernoulli(rng, 0.004)) return "content_filter";
  const truncates = r.prompt_version === "sum-v4" && r.input_chars > LONG_INPUT_CHARS ? 0.08 : 0.015;
  return bernoulli(rng, truncates) ? "length" : "stop";
}

function excerpt(rng: Rng, r: ProductionRequest, planted: Planted): string {
  const text = outputText(rng, r.feature, r.category);
  if (r.feature !== "support-chat") return text;
  if (!planted.injection && r.at >= INJECTION_FROM) {
    planted.injection = true;
    return `Quoting the customer: "${PROMPT_INJECTION}" ${replyText(rng)}`;
  }
  if (planted.pii >= FAKE_PII.spans || r.at < FAKE_PII.from) return text;
  planted.pii++;
  return `${text} I'll send the confirmation to ${FAKE_PII.email}; for anything urgent call ${FAKE_PII.phone}.`;
}

/** Every trace has a root, a retrieval and an llm span. */
export const MIN_SPANS_PER_TRACE = 3;

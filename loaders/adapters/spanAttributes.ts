// What a span's attributes say about an LLM request, in any of the conventions real tools write:
// OpenTelemetry GenAI (current and deprecated names), OpenInference (Arize Phoenix), the Vercel AI
// SDK, Traceloop's flattened prompts, plus the workbench's own app.* keys. One mapping serves the
// OTLP, OpenInference and Langfuse adapters, so a span means the same whatever file it came in.
export type Attributes = Readonly<Record<string, unknown>>;

export interface SpanFacts {
  kind?: string;
  model?: string;
  response_model?: string;
  provider?: string;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  finish_reason?: string;
  feature?: string;
  segment?: string;
  category?: string;
  prompt_version?: string;
  input_chars?: number;
  output_excerpt?: string;
  error_message?: string;
  experiment?: string;
  variant?: string;
}

const genAiOperationKinds: Readonly<Record<string, string>> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  completion: "llm",
  embeddings: "embedding",
  embedding: "embedding",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
  chain: "chain"
};

const openInferenceKinds: Readonly<Record<string, string>> = {
  LLM: "llm",
  CHAIN: "chain",
  TOOL: "tool",
  RETRIEVER: "retrieval",
  EMBEDDING: "embedding",
  AGENT: "agent",
  RERANKER: "reranker",
  GUARDRAIL: "guardrail",
  EVALUATOR: "evaluator",
  UNKNOWN: "unknown"
};

/** The first attribute present among `keys`, in order of preference. */
export function first(attributes: Attributes, ...keys: string[]): unknown {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

const text = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);

/** Token counts arrive as numbers, numeric strings (Langfuse keeps attributes as text) or OTLP int64 strings. */
export function count(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The span's kind where a convention names it explicitly. */
export function namedKind(attributes: Attributes): string | undefined {
  const openInference = text(first(attributes, "openinference.span.kind"));
  if (openInference) return openInferenceKinds[openInference.toUpperCase()] ?? "unknown";
  const operation = text(first(attributes, "gen_ai.operation.name"));
  if (operation) return genAiOperationKinds[operation] ?? "unknown";
  const vercel = text(first(attributes, "ai.operationId"));
  return vercel ? vercelKind(vercel) : undefined;
}

/** The named kind, else llm for a span that names a model or counts tokens (older GenAI instrumentations). */
export function spanKind(attributes: Attributes): string | undefined {
  const named = namedKind(attributes);
  if (named) return named;
  if (
    first(
      attributes,
      "gen_ai.request.model",
      "gen_ai.response.model",
      "llm.model_name",
      "gen_ai.usage.input_tokens",
      "gen_ai.usage.prompt_tokens"
    ) !== undefined
  )
    return "llm";
  return undefined;
}

function vercelKind(operationId: string): string {
  if (/\.do(Generate|Stream)$/.test(operationId)) return "llm";
  if (/\.doEmbed$/.test(operationId)) return "embedding";
  if (operationId === "ai.toolCall") return "tool";
  return "chain";
}

/**
 * A span that stopped for several reasons (one per choice) is summarized by the one that matters
 * most to a PM: a content filter over a length cut over a normal stop.
 */
export function finishReason(value: unknown): string | undefined {
  const reasons = finishReasonList(value).map(normalizeFinishReason);
  if (!reasons.length) return undefined;
  for (const r of ["content_filter", "length"]) if (reasons.includes(r)) return r;
  return reasons[0];
}

/** Providers name the same stops differently; the pages read OpenAI's names (stop, length, content_filter). */
const finishReasonAliases: Readonly<Record<string, string>> = {
  max_tokens: "length",
  max_output_tokens: "length",
  max_completion_tokens: "length",
  safety: "content_filter",
  refusal: "content_filter",
  prohibited_content: "content_filter",
  blocklist: "content_filter",
  end_turn: "stop",
  stop_sequence: "stop",
  // The Vercel AI SDK's own vocabulary (ai.response.finishReason) hyphenates.
  "content-filter": "content_filter",
  "tool-calls": "tool_calls"
};

export function normalizeFinishReason(reason: string): string {
  const lower = reason.toLowerCase();
  return finishReasonAliases[lower] ?? lower;
}

function finishReasonList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  const s = String(value).trim();
  if (s.startsWith("[")) {
    try {
      return finishReasonList(JSON.parse(s));
    } catch {
      return [];
    }
  }
  return s
    ? s
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean)
    : [];
}

export function spanFacts(attributes: Attributes): SpanFacts {
  const vercelUsage = (a: string, b: string) => count(first(attributes, a, b));
  return strip({
    kind: spanKind(attributes),
    // The model asked for, where the format records it: instrumentations put the answer's dated
    // snapshot in the response model for a normal call and the request's alias for a streamed one,
    // which would split one model in two. The snapshot is kept as response_model.
    model: text(
      first(attributes, "gen_ai.request.model") ??
        invocationModel(attributes) ??
        first(attributes, "ai.model.id", "gen_ai.response.model", "llm.model_name", "ai.response.model")
    ),
    response_model: text(first(attributes, "gen_ai.response.model", "ai.response.model", "llm.model_name")),
    provider: text(
      first(attributes, "gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider")
    ),
    input_tokens:
      count(first(attributes, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt")) ??
      vercelUsage("ai.usage.inputTokens", "ai.usage.promptTokens"),
    output_tokens:
      count(
        first(attributes, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion")
      ) ?? vercelUsage("ai.usage.outputTokens", "ai.usage.completionTokens"),
    cost_usd: count(first(attributes, "llm.cost.total")),
    finish_reason:
      finishReason(
        first(
          attributes,
          "gen_ai.response.finish_reasons",
          "gen_ai.completion.0.finish_reason",
          "llm.output_messages.0.message.finish_reason",
          "ai.response.finishReason"
        )
      ) ?? finishReasonInOutput(attributes),
    // The Vercel AI SDK's experimental_telemetry is where a team names its features (functionId) and
    // tags requests (metadata); a config sources[].columns entry can point any field at another key.
    feature: text(first(attributes, "app.feature", "ai.telemetry.functionId")),
    segment: text(first(attributes, "user.segment", "app.segment", "ai.telemetry.metadata.segment")),
    category: text(first(attributes, "app.category", "ai.telemetry.metadata.category")),
    prompt_version: text(
      first(attributes, "app.prompt_version", "llm.prompt_template.version", "ai.telemetry.metadata.prompt_version")
    ),
    input_chars: count(first(attributes, "app.input_chars")) ?? plainInputChars(attributes),
    output_excerpt: outputText(attributes),
    error_message: text(first(attributes, "error.type", "exception.message")),
    // The experiment arm that served the request: the workbench's experiment.* keys, else
    // OpenTelemetry's feature-flag evaluation event attributes (feature_flag.result.variant is the
    // current name, feature_flag.variant the earlier one), which flag SDKs put on the span.
    experiment: text(first(attributes, "experiment.name", "experiment.id", "feature_flag.key")),
    variant: text(first(attributes, "experiment.variant", "feature_flag.result.variant", "feature_flag.variant"))
  });
}

/** OpenInference keeps the request's parameters, model included, as JSON in llm.invocation_parameters. */
function invocationModel(attributes: Attributes): string | undefined {
  const parameters = parseJson(first(attributes, "llm.invocation_parameters"));
  const model = parameters?.model ?? parameters?.model_name;
  return typeof model === "string" && model !== "" ? model : undefined;
}

/** OpenInference's input.value is the request itself when its MIME type is text (the default). */
function plainInputChars(attributes: Attributes): number | undefined {
  const value = first(attributes, "input.value");
  const mime = text(first(attributes, "input.mime_type")) ?? "text/plain";
  return typeof value === "string" && mime === "text/plain" ? Array.from(value).length : undefined;
}

function outputText(attributes: Attributes): string | undefined {
  const messages = parseJson(first(attributes, "gen_ai.output.messages"));
  if (Array.isArray(messages)) {
    const parts = messages
      .flatMap((m) => (Array.isArray(m?.parts) ? m.parts : []))
      .filter((p) => p?.type === "text" && typeof p.content === "string");
    if (parts.length) return parts.map((p) => p.content).join("\n");
  }
  const direct = first(
    attributes,
    "gen_ai.completion.0.content",
    "llm.output_messages.0.message.content",
    "llm.output_messages.0.message.contents.0.message_content.text",
    "ai.response.text",
    "ai.response.object"
  );
  if (direct !== undefined) return text(direct);
  const output = first(attributes, "output.value");
  if (typeof output !== "string") return text(output);
  return text(first(attributes, "output.mime_type")) === "application/json" ? (messageText(output) ?? output) : output;
}

/** The text of a model output in the shapes providers return: chat message, content parts, choices, Responses API. */
export function messageText(value: unknown): string | undefined {
  const v = typeof value === "string" && /^\s*[[{"]/.test(value) ? (parseJson(value) ?? value) : value;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    const texts = v.map(messageText).filter((t): t is string => typeof t === "string" && t !== "");
    return texts.length ? texts.join("\n") : undefined;
  }
  if (typeof v !== "object" || v === null) return undefined;
  if (typeof v.text === "string") return v.text;
  if (typeof v.content === "string") return v.content;
  if (Array.isArray(v.content))
    return messageText(
      v.content.filter(
        (p: {type?: string}) =>
          typeof p !== "object" || p?.type === undefined || p.type === "text" || p.type === "output_text"
      )
    );
  if (typeof v.message === "object" && v.message !== null) return messageText(v.message);
  if (Array.isArray(v.choices)) return messageText(v.choices[0]);
  if (Array.isArray(v.output)) return messageText(v.output.filter((o: {type?: string}) => o?.type === "message"));
  return undefined;
}

/** An OpenInference JSON output may carry the provider's finish reason: {finish_reason} or {choices: [{finish_reason}]}. */
function finishReasonInOutput(attributes: Attributes): string | undefined {
  if (text(first(attributes, "output.mime_type")) !== "application/json") return undefined;
  const json = parseJson(first(attributes, "output.value"));
  return finishReason(json?.finish_reason ?? json?.choices?.map?.((c: {finish_reason?: string}) => c?.finish_reason));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseJson(value: unknown): any {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function strip<T extends object>(facts: T): T {
  for (const key of Object.keys(facts) as (keyof T)[]) if (facts[key] === undefined) delete facts[key];
  return facts;
}

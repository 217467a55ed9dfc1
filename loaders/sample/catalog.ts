// The fictional product "Support Copilot": its features, models, prices and ticket categories.
import {round} from "./distributions.js";

export const PRODUCT_NAME = "Support Copilot";

export const FEATURES = [
  "ticket-summarization",
  "support-chat",
  "ticket-routing",
  "autocomplete",
  "toxicity-guardrail"
] as const;
export type LlmFeature = "ticket-summarization" | "support-chat" | "autocomplete";

export const TICKET_CATEGORIES = [
  "billing",
  "refunds",
  "shipping",
  "account-access",
  "technical-bug",
  "multi-step-troubleshooting",
  "cancellation",
  "product-question"
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
/** Appears only in production traffic, never in an eval suite (story 4). */
export const NEW_CATEGORY = "data-export-request";
export type Category = TicketCategory | typeof NEW_CATEGORY;

/** How often each category shows up in tickets. */
export const CATEGORY_MIX: Readonly<Record<TicketCategory, number>> = {
  billing: 0.2,
  refunds: 0.12,
  shipping: 0.15,
  "account-access": 0.12,
  "technical-bug": 0.14,
  "multi-step-troubleshooting": 0.07,
  cancellation: 0.08,
  "product-question": 0.12
};

export const SEGMENTS = ["enterprise", "smb", "self-serve"] as const;
export type Segment = (typeof SEGMENTS)[number];
export const SEGMENT_MIX: Readonly<Record<Segment, number>> = {enterprise: 0.3, smb: 0.4, "self-serve": 0.3};

/** List prices in USD per million tokens. */
export const MODELS = {
  "gpt-4.1": {provider: "openai", input_per_mtok: 2, output_per_mtok: 8},
  "gpt-4.1-mini": {provider: "openai", input_per_mtok: 0.4, output_per_mtok: 1.6},
  "claude-sonnet-4": {provider: "anthropic", input_per_mtok: 3, output_per_mtok: 15},
  "claude-3-5-haiku": {provider: "anthropic", input_per_mtok: 0.8, output_per_mtok: 4},
  "gemini-2.5-flash": {provider: "google", input_per_mtok: 0.3, output_per_mtok: 2.5}
} as const;
export type ModelName = keyof typeof MODELS;

export const providerOf = (model: ModelName): string => MODELS[model].provider;

export function costUsd(model: ModelName, inputTokens: number, outputTokens: number): number {
  const price = MODELS[model];
  return round((inputTokens * price.input_per_mtok + outputTokens * price.output_per_mtok) / 1e6, 7);
}

/** Only the OpenAI harness and instrumentation report cost; for the others it is computed from the price table at ingest. */
export const reportsCost = (model: ModelName): boolean => providerOf(model) === "openai";

/** System-prompt length in tokens, per prompt version. */
export const PROMPT_TOKENS: Readonly<Record<string, number>> = {
  "sum-v3": 650,
  "sum-v4": 980,
  "chat-v6": 1150,
  "chat-v7": 1400,
  "ac-v2": 300
};

// corrections rows: what users did with the outputs of the same production requests the spans trace.
import {normalizedEditDistance} from "../metrics/editDistance.js";
import {DATA_END, iso} from "./calendar.js";
import {NEW_CATEGORY} from "./catalog.js";
import {bernoulli, choice, integer, lognormal, round, weighted} from "./distributions.js";
import type {Rng} from "./random.js";
import type {ProductionRequest} from "./requests.js";
import type {CorrectionAction, CorrectionRow} from "./rows.js";
import {
  AUTOCOMPLETE_IGNORE_RATE,
  CHAT_ACTIONS,
  CORRECTION_LOG_SHARE,
  EXPERIMENT_TRAFFIC,
  FAKE_PII,
  INJECTION_FROM,
  LONG_INPUT_CHARS,
  PROMPT_INJECTION,
  SUMMARY_ACTIONS
} from "./story.js";
import {editedText, outputText, REASONS} from "./texts.js";

export interface CorrectionsOptions {
  readonly requests: Iterable<ProductionRequest>;
}

interface Planted {
  injection: boolean;
  pii: number;
}

const ACTION_DELAY_MS = {autocomplete: 8_000, "ticket-summarization": 240_000, "support-chat": 120_000} as const;

export function* corrections(rng: Rng, {requests}: CorrectionsOptions): Generator<CorrectionRow> {
  const planted: Planted = {injection: false, pii: 0};
  let n = 0;
  for (const r of requests) if (bernoulli(rng, CORRECTION_LOG_SHARE[r.feature])) yield correction(rng, r, ++n, planted);
}

function correction(rng: Rng, r: ProductionRequest, n: number, planted: Planted): CorrectionRow {
  const action = weighted(rng, actionWeights(r));
  const original_text = outputText(rng, r.feature, r.category);
  const edited_text = action === "edited" ? plantedText(r, editedText(rng, original_text), planted) : undefined;
  return {
    event_id: `evt-${String(n).padStart(7, "0")}`,
    at: iso(Math.min(r.at + lognormal(rng, ACTION_DELAY_MS[r.feature], 0.8), DATA_END - 1)),
    feature: r.feature,
    model: r.model,
    prompt_version: r.prompt_version,
    trace_id: r.sampled ? r.trace_id : undefined,
    segment: r.segment,
    category: r.category,
    action,
    original_text,
    edited_text,
    edit_distance: editDistance(rng, action, original_text, edited_text),
    rating: rating(rng, r, action),
    reason: reason(rng, r, action),
    ...(r.variant ? {experiment: EXPERIMENT_TRAFFIC.experiment, variant: r.variant} : {})
  };
}

function actionWeights(r: ProductionRequest): Readonly<Partial<Record<CorrectionAction, number>>> {
  if (r.feature === "autocomplete") {
    const ignored = AUTOCOMPLETE_IGNORE_RATE[r.segment];
    return {accepted: 0.7 * (1 - ignored), edited: 0.22 * (1 - ignored), rejected: 0.08 * (1 - ignored), ignored};
  }
  if (r.feature === "support-chat" && r.category === NEW_CATEGORY) return CHAT_ACTIONS[NEW_CATEGORY];
  if (r.feature === "support-chat")
    return r.variant === "treatment" ? EXPERIMENT_TRAFFIC.treatmentActions : CHAT_ACTIONS.usual;
  if (r.prompt_version === "sum-v3") return SUMMARY_ACTIONS["sum-v3"];
  return SUMMARY_ACTIONS[r.input_chars > LONG_INPUT_CHARS ? "sum-v4-long" : "sum-v4-short"];
}

/** Some sources report the normalized edit distance; for the rest it is computed at ingest. */
function editDistance(
  rng: Rng,
  action: CorrectionAction,
  original: string,
  edited: string | undefined
): number | undefined {
  if (action === "accepted") return bernoulli(rng, 0.4) ? 0 : undefined;
  if (edited === undefined || !bernoulli(rng, 0.5)) return undefined;
  return round(normalizedEditDistance(original, edited), 3);
}

function rating(rng: Rng, r: ProductionRequest, action: CorrectionAction): number | undefined {
  if (r.feature !== "support-chat" || !bernoulli(rng, 0.3)) return undefined;
  const [low, high] = {accepted: [4, 5], edited: [3, 4], rejected: [1, 2], escalated: [1, 3], ignored: [2, 4]}[action];
  return integer(rng, low!, high!);
}

function reason(rng: Rng, r: ProductionRequest, action: CorrectionAction): string | undefined {
  if (action === "accepted" || action === "ignored") return undefined;
  if (r.category === NEW_CATEGORY && action !== "edited" && bernoulli(rng, 0.7))
    return choice(rng, REASONS[NEW_CATEGORY]);
  return bernoulli(rng, action === "edited" ? 0.25 : 0.6) ? choice(rng, REASONS[action]) : undefined;
}

/** The prompt injection and the fake contact details go into a few support-chat edits. */
function plantedText(r: ProductionRequest, edited: string, planted: Planted): string {
  if (r.feature !== "support-chat") return edited;
  if (!planted.injection && r.at >= INJECTION_FROM) {
    planted.injection = true;
    return `Customer wrote: "${PROMPT_INJECTION}" Replied with the standard refund policy instead.`;
  }
  if (planted.pii >= FAKE_PII.corrections || r.at < FAKE_PII.from) return edited;
  planted.pii++;
  return `${edited} You can reach me at ${FAKE_PII.email} or ${FAKE_PII.phone}.`;
}

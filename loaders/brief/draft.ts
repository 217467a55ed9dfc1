// Optional drafting of the brief's prose by a model behind any OpenAI-compatible API. Off unless
// OPENAI_API_KEY is set; then one request, no retries, a hard timeout, and the answer checked
// (validate.ts) before it is used. Any failure (network, timeout, HTTP error, bad JSON, a draft that
// disagrees with the facts) keeps the text composed from the facts and logs why; nothing here can fail
// the build, and the key is never written anywhere.
import OpenAI from "openai";
import type {Brief} from "./assemble.js";
import {draftJsonSchema} from "./draftSchema.js";
import {keyEchoes} from "./keyEcho.js";
import {draftMessages, type Excerpt} from "./prompt.js";
import {checkDraft, type DraftText} from "./validate.js";
import {detectors, findSecrets, redactSecrets as redactDetected} from "../warehouse/redact.js";

export const DEFAULT_MODEL = "gpt-4.1-mini";
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface DraftSettings {
  apiKey: string;
  /** Any OpenAI-compatible server; the client's default (api.openai.com) when absent. */
  baseURL: string | undefined;
  model: string;
  timeoutMs: number;
}

/** Drafting settings from the environment, or null when no key is set (the default: no model call). */
export function draftSettings(env: NodeJS.ProcessEnv = process.env): DraftSettings | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return null;
  const timeout = Number(env.WORKBENCH_BRIEF_TIMEOUT_MS);
  return {
    apiKey,
    baseURL: env.OPENAI_BASE_URL?.trim() || undefined,
    model: env.WORKBENCH_BRIEF_MODEL?.trim() || DEFAULT_MODEL,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS
  };
}

export type DraftOutcome =
  | ({mode: "drafted"; model: string; reason: null} & DraftText)
  | {mode: "deterministic"; model: string | null; reason: string | null};

/** Removes the key, and anything the redaction detects (keys, tokens, personal data), from text that may be logged or shipped. */
export function redactSecrets(text: string, apiKey?: string): string {
  const out = redactDetected(apiKey ? text.replaceAll(apiKey, "[redacted key]") : text);
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

/** Why a draft that passed the facts check still may not reach the site: a secret or personal data the detectors find. */
function holdsSecret(draft: DraftText): string | null {
  const texts = [
    draft.portfolio.headline,
    draft.portfolio.summary,
    ...Object.values(draft.features).flatMap((f) => [f.headline, f.summary])
  ];
  const found = detectors.find((d) => texts.some((t) => !findSecrets(t, d).next().done));
  return found
    ? `the draft holds what the redaction takes for ${found.name === "email" ? "an" : "a"} ${found.name}`
    : null;
}

function failure(error: unknown, settings: DraftSettings): string {
  // Only our own deadline aborts the request, so an abort is a timeout too.
  if (
    error instanceof OpenAI.APIConnectionTimeoutError ||
    error instanceof OpenAI.APIUserAbortError ||
    (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
  ) {
    return `the model call timed out after ${settings.timeoutMs} ms`;
  }
  if (error instanceof OpenAI.APIError && error.status)
    return `the model server answered HTTP ${error.status}: ${error.message}`;
  if (error instanceof OpenAI.APIConnectionError)
    return `could not reach the model server (${(error.cause as Error | undefined)?.message ?? error.message})`;
  return `the model call failed: ${(error as Error)?.message ?? String(error)}`;
}

export async function draftBrief(
  brief: Brief,
  excerpts: readonly Excerpt[],
  settings: DraftSettings,
  log: (line: string) => void = (l) => console.error(l)
): Promise<DraftOutcome> {
  const {model, timeoutMs} = settings;
  const client = new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    timeout: timeoutMs,
    maxRetries: 0,
    logLevel: "off"
  });
  log(`brief: drafting the prose with ${model} (timeout ${timeoutMs} ms)`);
  const reject = (reason: string): DraftOutcome => {
    // An error message may quote the key in another encoding: then none of it is kept.
    const redacted = redactSecrets(reason, settings.apiKey);
    const safe = keyEchoes(redacted, settings.apiKey).length
      ? "the model server's answer held the API key (not shown)"
      : redacted;
    log(`brief: model draft not used: ${safe}; the brief keeps the text composed from the facts`);
    return {mode: "deterministic", model, reason: safe};
  };
  let content: string | null | undefined;
  try {
    const response = await client.chat.completions.create(
      {
        model,
        messages: draftMessages(brief),
        temperature: 0,
        response_format: {
          type: "json_schema",
          json_schema: {name: "capability_brief", strict: true, schema: draftJsonSchema()}
        }
      },
      // The client's timeout covers waiting for the answer; this also bounds a body that trickles in.
      {signal: AbortSignal.timeout(timeoutMs)}
    );
    content = response.choices?.[0]?.message?.content;
  } catch (error) {
    return reject(failure(error, settings));
  }
  if (!content) return reject("the response has no message content");
  // Before anything else reads it: no reason built from the answer can then carry the key.
  const echoes = keyEchoes(content, settings.apiKey);
  if (echoes.length) return reject(`the response holds the API key (${echoes.join(", ")})`);
  let checked: ReturnType<typeof checkDraft>;
  try {
    checked = checkDraft(
      content,
      brief,
      excerpts.map((e) => e.text)
    );
  } catch (error) {
    // A bug in the checks must cost the draft, not the build.
    return reject(`the draft could not be checked: ${(error as Error).message}`);
  }
  if (!checked.ok) return reject(checked.reason);
  const secret = holdsSecret(checked.draft);
  if (secret) return reject(secret);
  log(`brief: model draft accepted (${model})`);
  return {mode: "drafted", model, reason: null, ...checked.draft};
}

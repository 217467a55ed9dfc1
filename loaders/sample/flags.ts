// flags rows: trust & safety review of flagged outputs. Small enough to build in memory and sort.
import {DATA_END, DATA_START, iso} from "./calendar.js";
import type {LlmFeature, ModelName} from "./catalog.js";
import {choice, range, uniform, weighted} from "./distributions.js";
import {allocate, pickExactly} from "./planting.js";
import type {Rng} from "./random.js";
import type {FlagRow} from "./rows.js";
import {
  AUTOCOMPLETE_SUITE,
  CHAT_BASELINE,
  FAKE_PII,
  FLAG_BASE_COUNTS,
  FLAG_ROOT_CAUSES,
  HALLUCINATION_SPIKE,
  OPEN_FLAGS,
  SUMMARIZATION_SUITE,
  type FlagCategory
} from "./story.js";
import {flagExcerpt} from "./texts.js";

export interface FlagsOptions {
  /** Multiplies every flag count; defaults to 1. */
  readonly countMultiplier?: number;
}

type RootCause = FlagRow["root_cause"];

interface Draft {
  readonly at: number;
  readonly category: FlagCategory;
  readonly feature: LlmFeature;
  readonly root_cause: RootCause;
}

const FEATURE_MIX: Readonly<Record<FlagCategory, Readonly<Partial<Record<LlmFeature, number>>>>> = {
  hallucination: {"ticket-summarization": 0.45, "support-chat": 0.45, autocomplete: 0.1},
  "pii-leak": {"support-chat": 0.5, "ticket-summarization": 0.3, autocomplete: 0.2},
  "unsafe-advice": {"support-chat": 0.8, autocomplete: 0.2},
  "policy-violation": {"support-chat": 0.85, autocomplete: 0.15},
  "refusal-overreach": {"support-chat": 1}
};
const SEVERITY_MIX: Readonly<Record<FlagCategory, Readonly<Partial<Record<FlagRow["severity"], number>>>>> = {
  hallucination: {low: 0.2, medium: 0.5, high: 0.25, critical: 0.05},
  "pii-leak": {medium: 0.3, high: 0.5, critical: 0.2},
  "unsafe-advice": {medium: 0.4, high: 0.45, critical: 0.15},
  "policy-violation": {low: 0.2, medium: 0.5, high: 0.3},
  "refusal-overreach": {low: 0.6, medium: 0.35, high: 0.05}
};
const DECISIONS: Readonly<Record<RootCause, readonly string[]>> = {
  prompt: ["prompt fix shipped", "rolled back the prompt version", "added the case to the golden suite"],
  capability: [
    "added the case to the golden suite",
    "routed the category to human agents",
    "accepted risk; monitor weekly"
  ],
  policy: ["clarified the policy in the system prompt", "policy team updated the guidance", "added a guardrail rule"],
  unknown: ["closed: could not reproduce"]
};
const MODEL_OF: Readonly<Record<LlmFeature, ModelName>> = {
  "ticket-summarization": SUMMARIZATION_SUITE.model,
  "support-chat": CHAT_BASELINE.model,
  autocomplete: AUTOCOMPLETE_SUITE.model
};
const REVIEWERS = ["rev-ana", "rev-kofi", "rev-mei", "rev-tomas"];

export function* flags(rng: Rng, {countMultiplier = 1}: FlagsOptions = {}): Generator<FlagRow> {
  const drafts = [...baseDrafts(rng, countMultiplier), ...spikeDrafts(rng, countMultiplier)].sort(
    (a, b) => a.at - b.at
  );
  const open = openFlags(rng, drafts.length, countMultiplier);
  let pii = 0;
  for (const [i, d] of drafts.entries()) {
    const leaksPlantedPii = d.category === "pii-leak" && pii++ < FAKE_PII.flags;
    yield flagRow(
      rng,
      `flag-${String(i + 1).padStart(Math.max(4, String(drafts.length).length), "0")}`,
      d,
      open.has(i),
      leaksPlantedPii
    );
  }
}

function baseDrafts(rng: Rng, multiplier: number): Draft[] {
  return (Object.entries(FLAG_BASE_COUNTS) as [FlagCategory, number][]).flatMap(([category, count]) =>
    allocate(rng, FLAG_ROOT_CAUSES[category], Math.ceil(count * multiplier)).map((root_cause) => ({
      at: Math.floor(uniform(rng, DATA_START, DATA_END)),
      category,
      feature: weighted(rng, FEATURE_MIX[category]),
      root_cause
    }))
  );
}

function spikeDrafts(rng: Rng, multiplier: number): Draft[] {
  const {count, feature, from, rootCauses} = HALLUCINATION_SPIKE;
  const n = Math.ceil(count * multiplier);
  return allocate(rng, {prompt: rootCauses.prompt / count, unknown: rootCauses.unknown / count}, n).map(
    (root_cause) => ({at: Math.floor(uniform(rng, from, DATA_END)), category: "hallucination", feature, root_cause})
  );
}

/** The newest flags are still open, plus a few older ones nobody closed. */
function openFlags(rng: Rng, n: number, multiplier: number): Set<number> {
  const newest = Math.ceil(OPEN_FLAGS.newest * multiplier);
  const older = pickExactly(rng, range(n - newest), Math.ceil(OPEN_FLAGS.older * multiplier));
  return new Set([...older, ...range(newest).map((k) => n - 1 - k)]);
}

function flagRow(rng: Rng, flag_id: string, d: Draft, open: boolean, leaksPlantedPii: boolean): FlagRow {
  const excerpt = leaksPlantedPii
    ? `Sure, the account email is ${FAKE_PII.email} and the phone on file is ${FAKE_PII.phone}.`
    : flagExcerpt(rng, d.category);
  return {
    flag_id,
    at: iso(d.at),
    feature: d.feature,
    category: d.category,
    severity: weighted(rng, SEVERITY_MIX[d.category]),
    root_cause: d.root_cause,
    status: open ? "open" : "resolved",
    decision: open ? undefined : choice(rng, DECISIONS[d.root_cause]),
    model: MODEL_OF[d.feature],
    reviewer: choice(rng, REVIEWERS),
    excerpt
  };
}

// predictions rows: the ticket router (multiclass), the toxicity guardrail (binary) and the
// summary judge (an LLM grader against human verdicts).
import {DATA_END, DATA_START, iso} from "./calendar.js";
import {CATEGORY_MIX, SEGMENT_MIX, TICKET_CATEGORIES, type TicketCategory} from "./catalog.js";
import {choice, normal, range, round, shuffle, uniform, weighted} from "./distributions.js";
import {allocate, pickExactly} from "./planting.js";
import type {Rng} from "./random.js";
import type {PredictionRow} from "./rows.js";
import {JUDGE, ROUTING, ROUTING_ACCURACY, ROUTING_CONFUSED_PAIRS, TOXICITY} from "./story.js";

export interface PredictionsOptions {
  /** Multiplies the number of items of every task; defaults to 1. */
  readonly itemMultiplier?: number;
}

export function* predictions(rng: Rng, {itemMultiplier = 1}: PredictionsOptions = {}): Generator<PredictionRow> {
  yield* routingPredictions(rng, Math.ceil(ROUTING.items * itemMultiplier));
  yield* toxicityPredictions(rng, Math.ceil(TOXICITY.items * itemMultiplier));
  yield* judgePredictions(rng, Math.ceil(JUDGE.items * itemMultiplier));
}

const itemTimes = (rng: Rng, n: number): number[] =>
  range(n)
    .map(() => Math.floor(uniform(rng, DATA_START, DATA_END)))
    .sort((a, b) => a - b);
const itemId = (prefix: string, i: number, n: number): string =>
  `${prefix}-${String(i + 1).padStart(Math.max(5, String(n).length), "0")}`;

function* routingPredictions(rng: Rng, n: number): Generator<PredictionRow> {
  const labels = allocate(rng, CATEGORY_MIX, n);
  const items = itemTimes(rng, n).map((t, i) => ({
    id: itemId("tkt", i, n),
    at: iso(t),
    label: labels[i]!,
    segment: weighted(rng, SEGMENT_MIX)
  }));
  for (const [model, accuracy] of Object.entries(ROUTING_ACCURACY)) {
    const predicted = routedLabels(
      rng,
      items.map((item) => item.label),
      accuracy
    );
    for (const [i, item] of items.entries()) {
      const score = round(predicted[i] === item.label ? uniform(rng, 0.55, 0.99) : uniform(rng, 0.3, 0.85), 3);
      yield {
        id: item.id,
        at: item.at,
        task: ROUTING.task,
        kind: "multiclass",
        model,
        label: item.label,
        predicted: predicted[i],
        score,
        segment: item.segment
      };
    }
  }
}

const PARTNER = new Map<TicketCategory, TicketCategory>(
  ROUTING_CONFUSED_PAIRS.flatMap(
    ([a, b]) =>
      [
        [a, b],
        [b, a]
      ] as const
  )
);

/** Exactly round(accuracy × n) right per class; of the misroutes, exactly round(share × misroutes) go to the confused partner. */
function routedLabels(
  rng: Rng,
  labels: readonly TicketCategory[],
  accuracy: Readonly<Record<TicketCategory, number>>
): TicketCategory[] {
  const predicted = labels.slice();
  for (const label of TICKET_CATEGORIES) {
    const indices = range(labels.length).filter((i) => labels[i] === label);
    const wrong = shuffle(rng, indices).slice(0, indices.length - Math.round(accuracy[label] * indices.length));
    const partner = PARTNER.get(label);
    const toPartner = partner ? Math.round(ROUTING.partnerShareOfErrors * wrong.length) : 0;
    const others = TICKET_CATEGORIES.filter((c) => c !== label && c !== partner);
    wrong.forEach((i, k) => (predicted[i] = k < toPartner ? partner! : choice(rng, others)));
  }
  return predicted;
}

function* toxicityPredictions(rng: Rng, n: number): Generator<PredictionRow> {
  const times = itemTimes(rng, n);
  const toxic = pickExactly(rng, range(n), Math.round(n * TOXICITY.prevalence));
  for (const i of range(n)) {
    const score = toxicityScore(rng, toxic.has(i));
    const [label, predicted] = [toxic.has(i) ? "toxic" : "ok", score >= 0.5 ? "toxic" : "ok"];
    yield {
      id: itemId("out", i, n),
      at: iso(times[i]!),
      task: TOXICITY.task,
      kind: "binary",
      model: TOXICITY.model,
      label,
      predicted,
      score,
      positive_label: "toxic",
      segment: weighted(rng, SEGMENT_MIX)
    };
  }
}

/** A latent normal score turned into its calibrated logit, then stretched: the guardrail is overconfident. Rounding makes ties. */
function toxicityScore(rng: Rng, toxic: boolean): number {
  const {prevalence, separation, stretch, shift, scoreDigits} = TOXICITY;
  const x = normal(rng, toxic ? separation : 0);
  const calibrated = Math.log(prevalence / (1 - prevalence)) + separation * x - (separation * separation) / 2;
  return round(1 / (1 + Math.exp(-(stretch * calibrated + shift))), scoreDigits);
}

function* judgePredictions(rng: Rng, n: number): Generator<PredictionRow> {
  const times = itemTimes(rng, n);
  const fails = pickExactly(rng, range(n), Math.round(n * JUDGE.humanFailRate));
  const lenient = pickExactly(rng, [...fails], Math.round(fails.size * JUDGE.lenientRate));
  const strict = pickExactly(
    rng,
    range(n).filter((i) => !fails.has(i)),
    Math.round(n * (1 - JUDGE.agreement)) - lenient.size
  );
  for (const i of range(n)) {
    const label = fails.has(i) ? "fail" : "pass";
    const predicted = lenient.has(i) ? "pass" : strict.has(i) ? "fail" : label;
    yield {
      id: itemId("sumj", i, n),
      at: iso(times[i]!),
      task: JUDGE.task,
      kind: "judge",
      model: JUDGE.model,
      label,
      predicted
    };
  }
}

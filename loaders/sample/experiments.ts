// The sample workspace's online experiments, one planted story each:
// - smart-reply: task completion rises overall, but 7-day retention falls for enterprise users only;
// - auto-triage: a logging bug drops a tenth of the treatment's assignment events (sample-ratio mismatch);
// - answer-length: a novelty effect makes the first three days look significant; by the end, nothing;
// - draft-tone: a small true effect at little traffic, far from powered when the data end.
// Each unit is assigned on one day and its outcomes follow within hours (retention: 7 days later,
// when that falls inside the data).
import type {ExperimentConfig} from "../schema/config.js";
import {DATA_END, DAY_MS, iso} from "./calendar.js";
import {bernoulli, integer, weighted} from "./distributions.js";
import type {Rng} from "./random.js";

export type ExperimentInput = Omit<ExperimentConfig, "guardrails" | "stopped" | "segments" | "primary"> & {
  primary: Partial<ExperimentConfig["primary"]> & Pick<ExperimentConfig["primary"], "name" | "kind">;
  guardrails?: (Partial<ExperimentConfig["primary"]> & Pick<ExperimentConfig["primary"], "name" | "kind">)[];
};

const day = (n: number) => DATA_END - n * DAY_MS;

export const SAMPLE_EXPERIMENTS: readonly ExperimentInput[] = [
  {
    name: "smart-reply",
    description: "Suggested replies in the support inbox, to raise task completion.",
    variants: {control: 50, treatment: 50}, control: "control",
    primary: {name: "task_completed", kind: "binary", covariate: "tasks_completed_before"},
    guardrails: [{name: "retained_7d", kind: "binary"}],
    start: iso(day(35)), end: iso(day(7)), minimum_effect: 0.05,
  },
  {
    name: "auto-triage",
    description: "The model routes incoming tickets; the treatment's assignment events are logged by a new client.",
    variants: {control: 50, treatment: 50}, control: "control",
    primary: {name: "ticket_resolved", kind: "binary"},
    start: iso(day(28)), end: iso(day(7)), minimum_effect: 0.03,
  },
  {
    name: "answer-length",
    description: "Shorter model answers in the help widget, to resolve more questions without an agent.",
    variants: {control: 50, treatment: 50}, control: "control",
    primary: {name: "resolved_without_agent", kind: "binary"},
    start: iso(day(21)), end: iso(day(0)), minimum_effect: 0.05,
  },
  {
    name: "draft-tone",
    description: "A warmer tone for drafted replies, to get more drafts sent.",
    variants: {control: 50, treatment: 50}, control: "control",
    primary: {name: "draft_sent", kind: "binary"},
    guardrails: [{name: "suggestion_acceptance", kind: "ratio", numerator: "suggestions_accepted", denominator: "suggestions_shown"}],
    start: iso(day(10)), end: iso(day(-25)), minimum_effect: 0.08,
  },
];

interface Assignment {
  experiment: string;
  unit_id: string;
  variant: string;
  assigned_at: string;
  segment: string;
  plan: string;
  country: string;
}

interface Outcome {
  experiment: string;
  unit_id: string;
  metric: string;
  value: number;
  at: string;
}

/** A unit as generated: its assignment row, and its outcomes (written only when inside the data). */
interface Unit {
  assignment: Assignment;
  logged: boolean;
  outcomes: Outcome[];
}

const SEGMENTS = {smb: 0.55, "self-serve": 0.3, enterprise: 0.15} as const;
const PLANS = {free: 0.4, pro: 0.45, business: 0.15} as const;
const COUNTRIES = {US: 0.4, GB: 0.15, DE: 0.15, FR: 0.1, IN: 0.2} as const;

/** Units per day, over both arms. */
const TRAFFIC: Record<string, number> = {"smart-reply": 430, "auto-triage": 380, "answer-length": 300, "draft-tone": 300};

export function* experimentUnits(rng: Rng): Generator<Unit> {
  for (const e of SAMPLE_EXPERIMENTS) {
    const start = Date.parse(e.start);
    const days = Math.round((Math.min(DATA_END, Date.parse(e.end!)) - start) / DAY_MS);
    let serial = 0;
    for (let d = 0; d < days; d++) {
      for (let k = 0; k < TRAFFIC[e.name]; k++) {
        const at = start + d * DAY_MS + rng() * DAY_MS * 0.9;
        const variant = bernoulli(rng, 0.5) ? "treatment" : "control";
        const assignment: Assignment = {
          experiment: e.name, unit_id: `${e.name.slice(0, 2)}-${String(++serial).padStart(6, "0")}`, variant, assigned_at: iso(at),
          segment: weighted(rng, SEGMENTS), plan: weighted(rng, PLANS), country: weighted(rng, COUNTRIES),
        };
        yield storyUnit(rng, e.name, assignment, at, d);
      }
    }
  }
}

function storyUnit(rng: Rng, experiment: string, a: Assignment, at: number, d: number): Unit {
  const treated = a.variant === "treatment";
  const outcomes: Outcome[] = [];
  const event = (metric: string, value: number, whenMs: number) => {
    if (whenMs < DATA_END) outcomes.push({experiment, unit_id: a.unit_id, metric, value, at: iso(whenMs)});
  };
  const hours = (h: number) => at + h * 3_600_000;
  let logged = true;
  if (experiment === "smart-reply") {
    // Past activity predicts completion: the pre-period covariate CUPED uses.
    const before = integer(rng, 0, 6);
    if (before > 0) event("tasks_completed_before", before, at - integer(rng, 2, 20) * DAY_MS);
    const p = 0.12 + 0.08 * before + (treated ? 0.05 : 0);
    if (bernoulli(rng, p)) event("task_completed", 1, hours(integer(rng, 1, 20)));
    const retention = a.segment === "enterprise" && treated ? 0.5 : 0.6;
    if (bernoulli(rng, retention)) event("retained_7d", 1, at + 7 * DAY_MS);
  } else if (experiment === "auto-triage") {
    // The new client fails to send one assignment event in ten; those users still get outcomes.
    logged = !(treated && bernoulli(rng, 0.1));
    if (bernoulli(rng, treated ? 0.55 : 0.5)) event("ticket_resolved", 1, hours(integer(rng, 1, 30)));
  } else if (experiment === "answer-length") {
    // Novelty: the first three days' treated users resolve far more; then slightly fewer than control.
    const p = treated ? (d < 3 ? 0.49 : 0.385) : 0.4;
    if (bernoulli(rng, p)) event("resolved_without_agent", 1, hours(integer(rng, 0, 6)));
  } else {
    if (bernoulli(rng, treated ? 0.31 : 0.3)) event("draft_sent", 1, hours(integer(rng, 1, 10)));
    const shown = integer(rng, 1, 12);
    const userRate = Math.min(1, rng() * 0.7 + (treated ? 0.02 : 0));
    let accepted = 0;
    for (let i = 0; i < shown; i++) if (bernoulli(rng, userRate)) accepted++;
    event("suggestions_shown", shown, hours(12));
    if (accepted) event("suggestions_accepted", accepted, hours(12));
  }
  return {assignment: a, logged, outcomes};
}

export function* experimentAssignments(rng: Rng): Generator<Assignment> {
  for (const u of experimentUnits(rng)) if (u.logged) yield u.assignment;
}

/** Outcomes of units whose assignment was not logged are lost with it: the bug drops the user's events too. */
export function* experimentOutcomes(rng: Rng): Generator<Outcome> {
  for (const u of experimentUnits(rng)) if (u.logged) yield* u.outcomes;
}

// The sample workspace's online experiments, one planted story each:
// - smart-reply: task completion rises overall, but 7-day retention falls for enterprise users only;
// - auto-triage: a logging bug drops a tenth of the treatment's assignment events (sample-ratio mismatch);
// - answer-length: a novelty effect in the first three days makes a daily peek significant; by the end, nothing;
// - draft-tone: a small true effect at little traffic, far from powered when the data end.
// Each unit is assigned on one day and its outcomes follow within hours (retention: 7 days later,
// when that falls inside the data). Effects are planted large enough to show at small traffic: the
// whole sample workspace must stay under 18 MB, which leaves these files about 1 MB.
import type {ExperimentConfig} from "../schema/config.js";
import {DATA_END, DAY_MS} from "./calendar.js";
import {bernoulli, integer, weighted} from "./distributions.js";
import type {Rng} from "./random.js";

export type ExperimentInput = Omit<ExperimentConfig, "guardrails" | "stopped" | "segments" | "primary"> & {
  segments?: ExperimentConfig["segments"];
  primary: Partial<ExperimentConfig["primary"]> & Pick<ExperimentConfig["primary"], "name" | "kind">;
  guardrails?: (Partial<ExperimentConfig["primary"]> & Pick<ExperimentConfig["primary"], "name" | "kind">)[];
};

const day = (n: number) => DATA_END - n * DAY_MS;
/** ISO 8601 to the second: milliseconds would add bytes and no information. */
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export const SAMPLE_EXPERIMENTS: readonly ExperimentInput[] = [
  {
    name: "smart-reply",
    description: "Suggested replies in the support inbox, to raise task completion.",
    variants: {control: 50, treatment: 50},
    control: "control",
    primary: {name: "task_completed", kind: "binary", covariate: "tasks_completed_before"},
    guardrails: [{name: "retained_7d", kind: "binary"}],
    start: iso(day(35)),
    end: iso(day(7)),
    minimum_effect: 0.05,
    segments: ["segment"]
  },
  {
    name: "auto-triage",
    description: "The model routes incoming tickets; the treatment's assignment events are logged by a new client.",
    variants: {control: 50, treatment: 50},
    control: "control",
    primary: {name: "ticket_resolved", kind: "binary"},
    start: iso(day(28)),
    end: iso(day(7)),
    minimum_effect: 0.03,
    segments: ["segment"]
  },
  {
    name: "answer-length",
    description: "Shorter model answers in the help widget, to resolve more questions without an agent.",
    variants: {control: 50, treatment: 50},
    control: "control",
    primary: {name: "resolved_without_agent", kind: "binary"},
    start: iso(day(21)),
    end: iso(day(0)),
    minimum_effect: 0.05,
    segments: ["segment"]
  },
  {
    name: "draft-tone",
    description: "A warmer tone for drafted replies, to get more drafts sent.",
    variants: {control: 50, treatment: 50},
    control: "control",
    primary: {name: "draft_sent", kind: "binary"},
    guardrails: [
      {
        name: "suggestion_acceptance",
        kind: "ratio",
        numerator: "suggestions_accepted",
        denominator: "suggestions_shown"
      }
    ],
    start: iso(day(10)),
    end: iso(day(-25)),
    minimum_effect: 0.2,
    segments: ["segment"]
  }
];

interface Assignment {
  experiment: string;
  unit_id: string;
  variant: string;
  assigned_at: string;
  segment: string;
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

const SEGMENTS = {smb: 0.45, "self-serve": 0.25, enterprise: 0.3} as const;

/** Units per day, over both arms. */
const TRAFFIC: Record<string, number> = {"smart-reply": 54, "auto-triage": 48, "answer-length": 50, "draft-tone": 40};

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
          experiment: e.name,
          unit_id: `${e.name.slice(0, 2)}${String(++serial).padStart(4, "0")}`,
          variant,
          assigned_at: iso(at),
          segment: weighted(rng, SEGMENTS)
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
    const before = bernoulli(rng, 0.4) ? 0 : integer(rng, 1, 4);
    if (before > 0) event("tasks_completed_before", before, at - integer(rng, 2, 20) * DAY_MS);
    const p = 0.1 + 0.09 * before + (treated ? 0.15 : 0);
    if (bernoulli(rng, p)) event("task_completed", 1, hours(integer(rng, 1, 20)));
    const retention = a.segment === "enterprise" && treated ? 0.42 : 0.6;
    if (bernoulli(rng, retention)) event("retained_7d", 1, at + 7 * DAY_MS);
  } else if (experiment === "auto-triage") {
    // The new client fails to send one assignment event in four.
    logged = !(treated && bernoulli(rng, 0.25));
    if (bernoulli(rng, treated ? 0.55 : 0.5)) event("ticket_resolved", 1, hours(integer(rng, 1, 30)));
  } else if (experiment === "answer-length") {
    // Novelty: the first three days' treated users resolve far more; then slightly fewer than control.
    const p = treated ? (d < 3 ? 0.6 : 0.365) : 0.4;
    if (bernoulli(rng, p)) event("resolved_without_agent", 1, hours(integer(rng, 0, 6)));
  } else {
    if (bernoulli(rng, treated ? 0.32 : 0.3)) event("draft_sent", 1, hours(integer(rng, 1, 10)));
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

// The golden test sets. Case ids, categories and input lengths are fixed per suite, so every run
// of a suite grades the same cases and runs are comparable case by case.
import {CATEGORY_MIX, TICKET_CATEGORIES, type TicketCategory} from "./catalog.js";
import {clamp, integer, lognormal, normal, range, shuffle, weighted} from "./distributions.js";
import {pickExactly} from "./planting.js";
import type {Rng} from "./random.js";
import {AUTOCOMPLETE_SUITE, SUMMARIZATION_SUITE, SUPPORT_CHAT_SUITE} from "./story.js";

export interface EvalCase {
  readonly case_id: string;
  readonly category: TicketCategory;
  readonly input_chars: number;
  readonly long: boolean;
  /** Harder cases fail first when a run's pass count is planted. */
  readonly difficulty: number;
  readonly humanGraded: boolean;
}

export interface EvalSuites {
  readonly summarization: readonly EvalCase[];
  readonly supportChat: readonly EvalCase[];
  readonly autocomplete: readonly EvalCase[];
}

const caseId = (prefix: string, i: number, n: number): string =>
  `${prefix}-${String(i + 1).padStart(Math.max(4, String(n).length), "0")}`;

export function summarizationCases(rng: Rng, multiplier: number): EvalCase[] {
  const {idPrefix, cases, longShare} = SUMMARIZATION_SUITE;
  const n = Math.ceil(cases * multiplier);
  const long = pickExactly(rng, range(n), Math.round(n * longShare));
  return range(n).map((i) => {
    const input_chars = long.has(i)
      ? integer(rng, 6200, 16000)
      : Math.round(clamp(lognormal(rng, 1800, 0.6), 300, 5800));
    const difficulty = normal(rng) + input_chars / 3000;
    return {
      case_id: caseId(idPrefix, i, n),
      category: weighted(rng, CATEGORY_MIX),
      input_chars,
      long: long.has(i),
      difficulty,
      humanGraded: false
    };
  });
}

export function supportChatCases(rng: Rng, multiplier: number): EvalCase[] {
  const {idPrefix, casesPerCategory, humanGradedEvery} = SUPPORT_CHAT_SUITE;
  const perCategory = Math.ceil(casesPerCategory * multiplier);
  const categories = shuffle(
    rng,
    TICKET_CATEGORIES.flatMap((c) => new Array<TicketCategory>(perCategory).fill(c))
  );
  return categories.map((category, i) => {
    const input_chars = Math.round(clamp(lognormal(rng, 700, 0.5), 80, 4000));
    return {
      case_id: caseId(idPrefix, i, categories.length),
      category,
      input_chars,
      long: false,
      difficulty: normal(rng),
      humanGraded: i % humanGradedEvery === 0
    };
  });
}

export function autocompleteCases(rng: Rng, multiplier: number): EvalCase[] {
  const n = Math.ceil(AUTOCOMPLETE_SUITE.cases * multiplier);
  return range(n).map((i) => {
    const input_chars = Math.round(clamp(lognormal(rng, 300, 0.5), 20, 2000));
    return {
      case_id: caseId(AUTOCOMPLETE_SUITE.idPrefix, i, n),
      category: weighted(rng, CATEGORY_MIX),
      input_chars,
      long: false,
      difficulty: normal(rng),
      humanGraded: false
    };
  });
}

export function evalSuites(rng: Rng, multiplier: number): EvalSuites {
  return {
    summarization: summarizationCases(rng, multiplier),
    supportChat: supportChatCases(rng, multiplier),
    autocomplete: autocompleteCases(rng, multiplier)
  };
}

// Prose with placeholders: the grammar ({{id}}, {{id:full}}, and {{id@text}} for a number a draft
// wrote itself, linked to the fact it matched), and the numbers a reader would see outside them.
// src/components/briefText.ts reads the same grammar in the browser; a unit test pins the two.
import type {Fact} from "./facts.js";

export const PLACEHOLDER = /\{\{([a-z0-9][a-z0-9._-]*)(?::(full)|@([^{}]+))?\}\}/g;

/** Fact ids the text refers to, in order. */
export function placeholderIds(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export interface NumberToken {
  /** As written: "86.5%", "1,777". */
  text: string;
  index: number;
  /** Canonical form for comparison: "86.5", "1777". */
  value: string;
}

const NUMBER = /\d+(?:[.,]\d+)*%?/g;

/** "1,777" → "1777", "85.0%" → "85", "0.0100" → "0.01": the same quantity compares equal however written. */
export function canonicalNumber(token: string): string {
  const plain = token.replace(/%$/, "").replace(/,(?=\d{3}(?:\D|$))/g, "");
  const n = Number(plain);
  return Number.isFinite(n) ? String(n) : plain;
}

/**
 * The numbers in text outside placeholders and outside the given names (so "gpt-4.1" or
 * "2026-11-16" holds no number). Names are masked longest first, so "gpt-4.1-mini" is not read as
 * "gpt-4.1" followed by "-mini".
 */
export function bareNumbers(text: string, names: Iterable<string>): NumberToken[] {
  const mask = (s: string, pattern: RegExp | string) => s.replaceAll(pattern, (m) => "\u0000".repeat(m.length));
  let masked = mask(text, new RegExp(PLACEHOLDER.source, "g"));
  for (const name of [...names].filter(Boolean).sort((a, b) => b.length - a.length)) masked = mask(masked, name);
  return [...masked.matchAll(NUMBER)].map((m) => ({text: m[0], index: m.index!, value: canonicalNumber(m[0])}));
}

/** Every number a fact shows, in its short or full form: its figure, interval ends and n. */
export function factNumbers(fact: Fact): string[] {
  return [...new Set([...`${fact.display} ${fact.full}`.matchAll(NUMBER)].map((m) => canonicalNumber(m[0])))];
}

/**
 * Replaces every bare number that some fact shows with a link to that fact ({{id@86.5%}}), preferring
 * the facts of `feature`; returns the numbers no fact shows, which a caller must reject.
 */
export function linkBareNumbers(
  text: string,
  facts: readonly Fact[],
  names: Iterable<string>,
  feature: string | null
): {text: string; unmatched: string[]} {
  const ordered = [...facts.filter((f) => f.feature === feature), ...facts.filter((f) => f.feature !== feature)];
  const owners = new Map<string, string>();
  for (const fact of ordered) for (const n of factNumbers(fact)) if (!owners.has(n)) owners.set(n, fact.id);
  const unmatched: string[] = [];
  let out = "";
  let at = 0;
  for (const token of bareNumbers(text, names)) {
    const owner = owners.get(token.value);
    if (!owner) {
      unmatched.push(token.text);
      continue;
    }
    out += `${text.slice(at, token.index)}{{${owner}@${token.text}}}`;
    at = token.index + token.text.length;
  }
  return {text: out + text.slice(at), unmatched};
}

/** The text as a reader sees it, every placeholder replaced by its figure. */
export function plainText(text: string, facts: ReadonlyMap<string, Fact>): string {
  return text.replace(new RegExp(PLACEHOLDER.source, "g"), (m, id: string, full?: string, literal?: string) => {
    const fact = facts.get(id);
    if (!fact) return m;
    return literal ?? (full ? fact.full : fact.display);
  });
}

// Brief prose on the page: every placeholder becomes its figure, linked to the page that shows it,
// with the fact's label (and interval) on hover. The grammar is loaders/brief/text.ts's PLACEHOLDER:
// {{id}} the figure, {{id:full}} the figure with its interval and n, {{id@86.5%}} a number a draft
// wrote itself, linked to the fact it matched.
import {html} from "npm:htl";
import type {Fact} from "../../loaders/brief/facts.js";

/** The fields of a brief fact (loaders/brief/facts.ts) a link shows. */
export type BriefFact = Pick<Fact, "id" | "label" | "display" | "full" | "href">;

export const PLACEHOLDER = /\{\{([a-z0-9][a-z0-9._-]*)(?::(full)|@([^{}]+))?\}\}/g;

export function factLink(fact: BriefFact, text: string): HTMLElement {
  return html`<a class="fact" href=${fact.href} title=${`${fact.label}: ${fact.full}`} data-fact=${fact.id}>${text}</a>`;
}

/** A span of text and fact links; an unknown id shows as "?" rather than as raw braces. */
export function prose(text: string, facts: ReadonlyMap<string, BriefFact>): HTMLElement {
  const parts: (string | HTMLElement)[] = [];
  let at = 0;
  for (const m of text.matchAll(new RegExp(PLACEHOLDER.source, "g"))) {
    parts.push(text.slice(at, m.index));
    const fact = facts.get(m[1]);
    parts.push(fact ? factLink(fact, m[3] ?? (m[2] ? fact.full : fact.display)) : "?");
    at = m.index! + m[0].length;
  }
  parts.push(text.slice(at));
  return html`<span>${parts}</span>`;
}

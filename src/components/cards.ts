// Headline numbers at the top of a page.
import {html} from "npm:htl";

export interface Card {
  label: string;
  value: string;
  note?: string;
  href?: string;
  tone?: "good" | "bad" | "warn";
}

export function cards(items: readonly Card[]): HTMLElement {
  return html`<div class="grid grid-cols-4">${items.map(card)}</div>`;
}

function card({label, value, note, href, tone}: Card): HTMLElement {
  const body = html`<div class="card ${tone ? `tone-${tone}` : ""}">
    <h2>${label}</h2>
    <span class="big">${value}</span>
    ${note ? html`<div class="muted">${note}</div>` : ""}
  </div>`;
  return href ? html`<a class="card-link" href=${href}>${body}</a>` : body;
}

// The brief's facts table: every number the brief states, each once, with what it measures, its
// interval and n where it has them, and the page (and anchor) that shows it. Prose never holds a
// number itself: it holds a placeholder, {{id}} for the figure or {{id:full}} for the figure with its
// interval and n, that the page renders as a link to the fact's page. Names with digits in them
// (models, prompt versions, dates) are recorded too, so a check can tell them from numbers.
import {fmtInterval, fmtInt, fmtValue, type Unit} from "./format.js";

export interface Fact {
  id: string;
  /** null for the portfolio's facts. */
  feature: string | null;
  label: string;
  value: number;
  unit: Unit;
  /** The figure as the other pages write it: "86.5%". */
  display: string;
  /** With its 95% interval and n where it has them: "86.5% [82.8%–89.5%] n = 400". */
  full: string;
  n: number | null;
  low: number | null;
  high: number | null;
  href: string;
}

export interface FactInput {
  /** Unique within the brief; lower-case letters, digits, dots, dashes and underscores. */
  id: string;
  feature: string | null;
  label: string;
  value: number;
  unit: Unit;
  n?: number | null;
  low?: number | null;
  high?: number | null;
  href: string;
}

/** A relative link to a built page (the site keeps .html in links), with the slice it should open on. */
export function pageHref(
  page: string,
  params: Record<string, string | null | undefined> = {},
  anchor?: string
): string {
  const query = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => typeof e[1] === "string")
  ).toString();
  return `./${page}.html${query ? `?${query}` : ""}${anchor ? `#${anchor}` : ""}`;
}

export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "x";

const ID = /^[a-z0-9][a-z0-9._-]*$/;

export class FactTable {
  readonly facts: Fact[] = [];
  readonly names = new Set<string>();
  private byId = new Map<string, Fact>();

  /** Records a fact and returns its placeholder; adding the same fact twice returns the same one. */
  ref(input: FactInput, form: "short" | "full" = "short"): string {
    const fact = this.add(input);
    return form === "full" ? `{{${fact.id}:full}}` : `{{${fact.id}}}`;
  }

  full(input: FactInput): string {
    return this.ref(input, "full");
  }

  add(input: FactInput): Fact {
    if (!ID.test(input.id))
      throw new Error(`brief: fact id ${JSON.stringify(input.id)} has characters a placeholder cannot hold`);
    const {n = null, low = null, high = null} = input;
    const display = fmtValue(input.value, input.unit);
    const interval = low !== null || high !== null ? ` ${fmtInterval(low, high, input.unit)}` : "";
    const fact: Fact = {
      ...input,
      display,
      full: `${display}${interval}${n !== null ? ` n = ${fmtInt(n)}` : ""}`,
      n,
      low,
      high
    };
    const known = this.byId.get(input.id);
    if (known) {
      if (known.full !== fact.full || known.href !== fact.href)
        throw new Error(
          `brief: fact ${input.id} added twice with different values or links ` +
            `(${known.full} → ${known.href} vs ${fact.full} → ${fact.href})`
        );
      return known;
    }
    this.byId.set(fact.id, fact);
    this.facts.push(fact);
    return fact;
  }

  get(id: string): Fact | undefined {
    return this.byId.get(id);
  }

  /** Records a name that prose may contain (a model, a prompt version, a date) and returns it. */
  name<T extends string | null | undefined>(value: T): T {
    if (value) this.names.add(value);
    return value;
  }
}

// The home page's "what needs attention this week": the brief's own gates and risks, each one sentence
// with its figures (the brief's placeholders, so the same facts and links), ranked by how soon a PM must
// act — a failing gate or a regression before an open gate, before drift, budgets and hot spots. Pure:
// it reads an assembled brief and computes no figure of its own.
import type {Brief, FeatureBrief} from "./assemble.js";
import type {Fact} from "./facts.js";
import {PLACEHOLDER} from "./text.js";
import type {RiskKind} from "./risks.js";

export type AttentionKind = "gate-failed" | "gate-open" | RiskKind;

export interface AttentionItem {
  feature: string;
  kind: AttentionKind;
  /** One sentence with the brief's placeholders. */
  text: string;
  /** Where its evidence is shown: the page and anchor of the sentence's first figure. */
  href: string;
}

export interface Attention {
  items: AttentionItem[];
  /** The facts the sentences cite, and no others. */
  facts: Fact[];
}

/** Most urgent first; kinds not listed come last. */
export const ATTENTION_ORDER: readonly AttentionKind[] = [
  "gate-failed",
  "regression",
  "flags",
  "gate-open",
  "failures",
  "quality-drift",
  "untested-category",
  "input-shift",
  "latency-budget",
  "cost-budget",
  "hot-spot"
];

const sign = (direction: string) => (direction === "min" ? "≥" : "≤");

function gateItems(f: FeatureBrief): Omit<AttentionItem, "href">[] {
  const launch = f.quality.launch;
  if (!launch) return [];
  return launch.gates
    .filter((g) => g.verdict !== "pass")
    .map((g) => {
      const measured = g.fact ? `{{${g.fact}:full}}` : "no data";
      const bar = `${sign(g.direction)} {{${g.threshold_fact}}}${g.margin_fact ? ` with a margin of {{${g.margin_fact}}}` : ""}`;
      const state =
        g.verdict === "fail"
          ? "fails"
          : g.verdict === "no-data"
            ? "has no data against"
            : "is not yet conclusive against";
      const next = g.way_forward_text ? `; ${g.way_forward_text} would settle it` : "";
      return {
        feature: f.feature,
        kind: g.verdict === "fail" ? "gate-failed" : "gate-open",
        text: `${f.feature} (${launch.candidate}): ${g.label.toLowerCase()} ${measured} ${state} its gate of ${bar}${next}.`
      };
    });
}

/** A risk's headline clause with every figure that has an interval written with it; flags say how old the oldest is. */
function riskSentence(f: FeatureBrief, r: FeatureBrief["risks"][number], facts: ReadonlyMap<string, Fact>): string {
  if (r.kind === "flags") return `${f.feature}: ${r.text}`;
  const full = r.short.replace(new RegExp(PLACEHOLDER.source, "g"), (m, id: string, form?: string, draft?: string) => {
    const fact = facts.get(id);
    return !form && !draft && fact && (fact.low !== null || fact.high !== null) ? `{{${id}:full}}` : m;
  });
  return `${f.feature}: ${full}.`;
}

export function attentionOf(brief: Brief): Attention {
  const facts = new Map(brief.facts.map((f) => [f.id, f]));
  const firstFact = (text: string) => facts.get([...text.matchAll(new RegExp(PLACEHOLDER.source, "g"))][0]?.[1] ?? "");
  const raw = brief.features.flatMap((f) => [
    ...gateItems(f),
    ...f.risks.map((r) => ({feature: f.feature, kind: r.kind as AttentionKind, text: riskSentence(f, r, facts)}))
  ]);
  const rank = (k: AttentionKind) =>
    ATTENTION_ORDER.includes(k) ? ATTENTION_ORDER.indexOf(k) : ATTENTION_ORDER.length;
  // brief.features is already most pressing first; a stable sort keeps that order within a kind.
  const items = raw
    .map((item, i) => ({item, i}))
    .sort((a, b) => rank(a.item.kind) - rank(b.item.kind) || a.i - b.i)
    .map(({item}) => ({...item, href: firstFact(item.text)?.href ?? "./brief.html"}));
  const cited = new Set(
    items.flatMap((item) => [...item.text.matchAll(new RegExp(PLACEHOLDER.source, "g"))].map((m) => m[1]))
  );
  return {items, facts: brief.facts.filter((f) => cited.has(f.id))};
}

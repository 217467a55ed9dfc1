import {describe, expect, test} from "vitest";
import {attentionOf} from "../../../../loaders/brief/attention.js";
import type {FeatureBrief} from "../../../../loaders/brief/assemble.js";
import {FactTable, pageHref} from "../../../../loaders/brief/facts.js";
import {tinyBrief} from "./fixture.js";

// The tiny brief's two features, given gates and risks the way assembleBrief writes them.
function briefWithRisks() {
  const brief = tinyBrief();
  const t = new FactTable();
  for (const f of brief.facts) t.add(f);
  const gateHref = pageHref("launch-gate", {feature: "support-chat"}, "gates");
  t.full({
    id: "support-chat.gate.pass_rate.margin",
    feature: "support-chat",
    label: "margin",
    value: 0.02,
    unit: "pts",
    href: gateHref
  });
  const spotHref = pageHref("corrections", {feature: "support-chat"}, "hot-spots");
  const spot = t.ref({
    id: "support-chat.hot-spot",
    feature: "support-chat",
    label: "Outputs edited",
    value: 0.326,
    unit: "rate",
    n: 430,
    low: 0.283,
    high: 0.372,
    href: spotHref
  });
  const flagsHref = pageHref("safety", {feature: "ticket-summarization"}, "open-items");
  const flags = t.ref({
    id: "ticket-summarization.flags.open.severe",
    feature: "ticket-summarization",
    label: "Open flags",
    value: 5,
    unit: "count",
    href: flagsHref
  });
  const gate = (feature: string, verdict: string, fact: string, margin: string | null) =>
    ({
      metric: "pass_rate",
      label: "Pass rate",
      unit: "rate",
      direction: "min",
      threshold: 0.85,
      verdict,
      fact,
      threshold_fact: `${fact}.threshold`,
      margin_fact: margin,
      way_forward_text: verdict === "inconclusive" ? "running the suite 2 times" : null
    }) as never;
  const [sum, chat] = brief.features as [FeatureBrief, FeatureBrief];
  sum.quality.launch = {
    ...sum.quality.launch!,
    candidate: "gpt-4.1-mini · sum-v4",
    gates: [gate("ticket-summarization", "fail", "ticket-summarization.gate.pass_rate", null)]
  };
  sum.risks = [
    {
      kind: "flags",
      title: "open high-severity flags",
      short: `${flags} high-severity flagged outputs are still open`,
      text: `${flags} flagged outputs are still open.`,
      watch: ""
    }
  ];
  chat.quality.launch = {
    ...chat.quality.launch!,
    candidate: "claude-sonnet-4 · chat-v7",
    gates: [gate("support-chat", "inconclusive", "support-chat.gate.pass_rate", "support-chat.gate.pass_rate.margin")]
  };
  chat.risks = [
    {
      kind: "hot-spot",
      title: "hot spot",
      short: `users of category multi-step edit ${spot} of outputs`,
      text: "",
      watch: ""
    }
  ];
  // A feature listed after the others whose risk outranks their hot spot.
  return {...brief, features: [sum, chat], facts: t.facts};
}

describe("attentionOf(brief)", () => {
  test("ranks failing gates, then flags, then open gates, then hot spots, each a sentence of the brief's facts", () => {
    const {items, facts} = attentionOf(briefWithRisks());
    expect(items.map((i) => [i.feature, i.kind])).toEqual([
      ["ticket-summarization", "gate-failed"],
      ["ticket-summarization", "flags"],
      ["support-chat", "gate-open"],
      ["support-chat", "hot-spot"]
    ]);
    expect(items[0].text).toBe(
      "ticket-summarization (gpt-4.1-mini · sum-v4): pass rate {{ticket-summarization.gate.pass_rate:full}} fails its gate of ≥ {{ticket-summarization.gate.pass_rate.threshold}}."
    );
    expect(items[2].text).toBe(
      "support-chat (claude-sonnet-4 · chat-v7): pass rate {{support-chat.gate.pass_rate:full}} is not yet conclusive against its gate of ≥ {{support-chat.gate.pass_rate.threshold}} with a margin of {{support-chat.gate.pass_rate.margin}}; running the suite 2 times would settle it."
    );
    // A rate with an interval is written with it.
    expect(items[3].text).toBe(
      "support-chat: users of category multi-step edit {{support-chat.hot-spot:full}} of outputs."
    );
    expect(items.map((i) => i.href)).toEqual([
      "./launch-gate.html?feature=ticket-summarization#gates",
      "./safety.html?feature=ticket-summarization#open-items",
      "./launch-gate.html?feature=support-chat#gates",
      "./corrections.html?feature=support-chat#hot-spots"
    ]);
    // Only the facts the sentences cite travel to the home page, and every one it cites is there.
    const cited = new Set(items.flatMap((i) => [...i.text.matchAll(/\{\{([^:}]+)/g)].map((m) => m[1])));
    expect(new Set(facts.map((f) => f.id))).toEqual(cited);
  });

  test("is empty when every gate passes and no risk is open", () => {
    const brief = tinyBrief();
    for (const f of brief.features) f.quality.launch = null;
    expect(attentionOf(brief)).toEqual({items: [], facts: []});
  });
});

import {describe, expect, test} from "vitest";
import {FactTable} from "../../../../loaders/brief/facts.js";
import {
  bareNumbers,
  canonicalNumber,
  linkBareNumbers,
  PLACEHOLDER,
  placeholderIds,
  plainText
} from "../../../../loaders/brief/text.js";
import {PLACEHOLDER as PAGE_PLACEHOLDER} from "../../../../src/components/briefText.js";

function table() {
  const t = new FactTable();
  t.full({
    id: "sc.pass",
    feature: "support-chat",
    label: "Pass rate",
    value: 0.865,
    unit: "rate",
    n: 400,
    low: 0.828,
    high: 0.895,
    href: "./launch-gate.html"
  });
  t.ref({
    id: "sc.cases",
    feature: "support-chat",
    label: "More cases",
    value: 1777,
    unit: "count",
    href: "./launch-gate.html"
  });
  t.ref({
    id: "ts.pass",
    feature: "ticket-summarization",
    label: "Pass rate",
    value: 0.8133,
    unit: "rate",
    href: "./launch-gate.html"
  });
  return t;
}

describe("placeholders", () => {
  test("the page reads the grammar the loaders write", () => {
    expect(PAGE_PLACEHOLDER.source).toBe(PLACEHOLDER.source);
  });

  test("placeholderIds() lists the facts a text cites, in every form", () => {
    expect(placeholderIds("a {{x.y}} b {{z:full}} c {{w@86.5%}} {{Not an id}}")).toEqual(["x.y", "z", "w"]);
  });

  test("plainText() shows what a reader sees", () => {
    const t = table();
    const facts = new Map(t.facts.map((f) => [f.id, f]));
    expect(plainText("{{sc.pass}} vs {{sc.pass:full}}; about {{sc.cases}} ({{sc.pass@86.5}})", facts)).toBe(
      "86.5% vs 86.5% [82.8%–89.5%] n = 400; about 1,777 (86.5)"
    );
  });
});

describe("numbers in prose", () => {
  test("canonicalNumber() compares a quantity however it is written", () => {
    expect(["1,777", "1777", "85.0%", "85", "0.0100", "0.01"].map(canonicalNumber)).toEqual([
      "1777",
      "1777",
      "85",
      "85",
      "0.01",
      "0.01"
    ]);
  });

  test("bareNumbers() ignores digits inside placeholders and names, longest name first", () => {
    const text = "gpt-4.1-mini · sum-v4 fell to {{ts.pass}} on 2026-11-17, 31.8% on 44 cases; gpt-4.1 kept 1,777.";
    expect(bareNumbers(text, ["gpt-4.1", "gpt-4.1-mini · sum-v4", "2026-11-17"]).map((n) => n.text)).toEqual([
      "31.8%",
      "44",
      "1,777"
    ]);
  });

  test("linkBareNumbers() links a number some fact shows and reports the rest", () => {
    const t = table();
    const out = linkBareNumbers(
      "It passes 86.5% of 400 cases, needs 1,777 more, and 99% is invented.",
      t.facts,
      [],
      "support-chat"
    );
    expect(out.unmatched).toEqual(["99%"]);
    expect(out.text).toBe(
      "It passes {{sc.pass@86.5%}} of {{sc.pass@400}} cases, needs {{sc.cases@1,777}} more, and 99% is invented."
    );
  });

  test("linkBareNumbers() prefers the facts of the feature the text is about", () => {
    const t = new FactTable();
    t.ref({id: "a.n", feature: "a", label: "n", value: 300, unit: "count", href: "./a.html"});
    t.ref({id: "b.n", feature: "b", label: "n", value: 300, unit: "count", href: "./b.html"});
    expect(linkBareNumbers("300 cases", t.facts, [], "b").text).toBe("{{b.n@300}} cases");
  });
});

import {describe, expect, test} from "vitest";
import {FactTable, pageHref, slug} from "../../../../loaders/brief/facts.js";

const base = {feature: "support-chat", label: "Pass rate", href: "./launch-gate.html#gates"} as const;

describe("FactTable", () => {
  test("ref() records a fact once and returns its placeholder; full() the one with interval and n", () => {
    const t = new FactTable();
    expect(t.ref({...base, id: "sc.pass", value: 0.865, unit: "rate", n: 400, low: 0.828, high: 0.895})).toBe(
      "{{sc.pass}}"
    );
    expect(t.full({...base, id: "sc.pass", value: 0.865, unit: "rate", n: 400, low: 0.828, high: 0.895})).toBe(
      "{{sc.pass:full}}"
    );
    expect(t.facts).toEqual([
      {
        ...base,
        id: "sc.pass",
        value: 0.865,
        unit: "rate",
        n: 400,
        low: 0.828,
        high: 0.895,
        display: "86.5%",
        full: "86.5% [82.8%–89.5%] n = 400"
      }
    ]);
  });

  test("writes each unit as the other pages do", () => {
    const t = new FactTable();
    const full = (id: string, value: number, unit: never, extra = {}) =>
      t.add({...base, id, value, unit, ...extra}).full;
    expect(full("a", 2193.7, "ms" as never, {low: 2048, high: 2417, n: 398})).toBe("2.19 s [2.05 s–2.42 s] n = 398");
    expect(full("b", 0.0097558, "usd" as never)).toBe("$0.00976");
    expect(full("c", 0.012, "usd" as never)).toBe("$0.012");
    expect(full("d", -0.0833, "pts" as never)).toBe("−8.3 pts");
    expect(full("e", -0.12, "pts" as never, {low: -0.2137, high: -0.0252})).toBe("−12.0 pts [−21.4 to −2.5]");
    expect(full("f", 0.000002, "p" as never)).toBe("p < 0.001");
    expect(full("g", 0.143307, "p" as never)).toBe("p = 0.14");
    expect(full("h", 1777, "count" as never)).toBe("1,777");
    expect(full("i", 1.079091, "psi" as never)).toBe("1.079");
  });

  test("refuses an id a placeholder cannot hold, and the same id with another value", () => {
    const t = new FactTable();
    expect(() => t.ref({...base, id: "Support Chat", value: 1, unit: "count"})).toThrow(
      /has characters a placeholder cannot hold/
    );
    t.ref({...base, id: "x", value: 1, unit: "count"});
    expect(() => t.ref({...base, id: "x", value: 2, unit: "count"})).toThrow(
      /fact x added twice with different values or links \(1 → .* vs 2 → .*\)/
    );
  });

  test("name() keeps names whose digits are not figures", () => {
    const t = new FactTable();
    expect(t.name("gpt-4.1")).toBe("gpt-4.1");
    t.name(null);
    expect([...t.names]).toEqual(["gpt-4.1"]);
  });
});

describe("pageHref(page, params, anchor)", () => {
  test("links to the .html file with the slice to open on, skipping absent values", () => {
    expect(pageHref("launch-gate", {feature: "support-chat"}, "gates")).toBe(
      "./launch-gate.html?feature=support-chat#gates"
    );
    expect(pageHref("traces", {feature: "a b&c", model: null})).toBe("./traces.html?feature=a+b%26c");
    expect(pageHref("drift")).toBe("./drift.html");
  });

  test("slug() gives an id-safe key", () => {
    expect(slug("Ticket Summarization (EU)")).toBe("ticket-summarization-eu");
    expect(slug("gpt-4.1 · chat-v7")).toBe("gpt-4-1-chat-v7");
    expect(slug("···")).toBe("x");
  });
});

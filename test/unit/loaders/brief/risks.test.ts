import {describe, expect, test} from "vitest";
import type {FeatureContext} from "../../../../loaders/brief/context.js";
import {FactTable} from "../../../../loaders/brief/facts.js";
import {risksOf} from "../../../../loaders/brief/risks.js";

/** A feature whose only risk is a correction hot spot found over corrections from first_at to last_at. */
function context(first_at: string | null, last_at: string | null): FeatureContext {
  const inputs = {
    drift: {
      newCategories: [],
      categoryShift: [],
      quality: {weekly: [], baseline: [], failures: [], failureBaseline: []}
    },
    corrections: {
      first_at,
      last_at,
      hotSpots: [
        {
          feature: "autocomplete",
          dimension: "segment",
          value: "enterprise",
          action: "ignored",
          slice: {rate: 0.4, low: 0.35, high: 0.45, n: 300},
          rest: {rate: 0.2, low: 0.18, high: 0.22, n: 1200},
          difference: {value: 0.2, low: 0.15, high: 0.25}
        }
      ]
    },
    safety: {groups: [], open: {rows: []}}
  };
  return {
    feature: "autocomplete",
    key: "autocomplete",
    inputs: inputs as never,
    period: {from: null} as never,
    t: new FactTable()
  };
}

describe("risksOf(c): the correction hot spot", () => {
  // Hot spots are found over every correction; a rate without its period reads as this week's.
  test("names the whole period and its dates in the sentence, the short form and the fact", () => {
    const c = context("2026-09-12T00:54:05.807Z", "2026-11-20T22:10:00.000Z");
    const [spot] = risksOf(c, []);
    const scope = "whole period, 2026-09-12 to 2026-11-20";
    const id = "autocomplete.hot-spot.segment.enterprise.ignored";
    expect(spot.kind).toBe("hot-spot");
    expect(spot.text).toBe(
      `Users in the enterprise segment ignore {{${id}:full}} of outputs over the ${scope}, ` +
        `against {{${id}.rest}} in the rest of the feature ({{${id}.difference:full}}).`
    );
    expect(spot.short).toBe(
      `users in the enterprise segment ignore {{${id}}} of outputs over the ${scope}, against {{${id}.rest}} elsewhere`
    );
    expect(c.t.get(id)?.label).toBe(`Outputs ignored, the enterprise segment, ${scope}`);
    expect([...c.t.names]).toEqual(expect.arrayContaining(["2026-09-12", "2026-11-20"]));
  });

  test("still says whole period when the corrections carry no dates", () => {
    const [spot] = risksOf(context(null, null), []);
    expect(spot.text).toContain("of outputs over the whole period, against");
  });
});

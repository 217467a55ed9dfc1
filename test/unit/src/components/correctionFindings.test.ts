import {describe, expect, test} from "vitest";
import {correctionFindings, hotSpotSentence} from "../../../../src/components/correctionFindings.js";
import type {HotSpot} from "../../../../src/components/correctionTables.js";

const rate = (successes: number, n: number, low: number, high: number) => ({
  rate: successes / n,
  successes,
  n,
  low,
  high
});
const spot = (over: Partial<HotSpot>): HotSpot => ({
  feature: "autocomplete",
  dimension: "segment",
  value: "enterprise",
  action: "ignored",
  slice: rate(408, 975, 0.387876, 0.449687),
  rest: rate(289, 2342, 0.110692, 0.137339),
  featureRate: rate(697, 3317, 0.196605, 0.224325),
  difference: {value: 0.295063, low: 0.26145, high: 0.328774},
  ...over
});
const page = (hotSpots: HotSpot[]) => ({
  events: 7393,
  first_at: "2026-09-12T00:54:05.807Z",
  last_at: "2026-11-20T22:00:00.000Z",
  hotSpots
});

describe("hotSpotSentence(spot)", () => {
  test("gives the slice's rate and interval against the rest's, and the gap with its interval", () => {
    expect(hotSpotSentence(spot({}))).toBe(
      "Enterprise users of autocomplete ignore its outputs 41.8% of the time [38.8%–45.0%], n = 975, against 12.3% for the rest of autocomplete [11.1%–13.7%], n = 2,342: 29.5 points more [26.1 to 32.9]."
    );
  });
});

describe("correctionFindings(page, feature)", () => {
  const version = spot({
    feature: "ticket-summarization",
    dimension: "prompt_version",
    value: "sum-v4",
    action: "rejected",
    slice: rate(40, 200, 0.15, 0.26),
    rest: rate(50, 1000, 0.038, 0.065),
    difference: {value: 0.15, low: 0.09, high: 0.21}
  });

  test("leads with the surest hot spot, then the version hot spot, each with the period it covers", () => {
    const findings = correctionFindings(page([spot({}), version]));
    expect(findings.map((f) => f.id)).toEqual(["finding-hot-spot", "finding-version"]);
    expect(findings[0].text).toMatch(/^Enterprise users of autocomplete ignore .* The surest of 2 hot spots\.$/);
    expect(findings[1].text).toBe(
      "A version to look at: Users of ticket-summarization on prompt sum-v4 reject its outputs 20.0% of the time [15.0%–26.0%], n = 200, against 5.0% for the rest of ticket-summarization [3.8%–6.5%], n = 1,000: 15.0 points more [9.0 to 21.0]."
    );
    expect(findings.every((f) => f.scope === "whole period, 2026-09-12 to 2026-11-20")).toBe(true);
  });

  test("keeps the picked feature's hot spots, and says when there is none", () => {
    expect(correctionFindings(page([spot({}), version]), "ticket-summarization").map((f) => f.id)).toEqual([
      "finding-hot-spot"
    ]);
    expect(correctionFindings(page([spot({})]), "support-chat")[0].text).toBe(
      "No slice's rate of any action is significantly above the rest of its feature."
    );
    expect(correctionFindings({...page([]), events: 0})).toEqual([]);
  });
});

import {afterEach, describe, expect, test} from "vitest";
import {proportionDifference} from "../../../../loaders/metrics/proportionDifference.js";
import {correctionsPage, HOT_SPOT_MIN_N} from "../../../../loaders/queries/corrections.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

let counter = 0;
const event = (over: Record<string, unknown>) => ({
  event_id: `e${++counter}`,
  at: "2026-11-03T10:00:00Z",
  feature: "autocomplete",
  model: "gemini-2.5-flash",
  action: "accepted",
  ...over
});
const times = (n: number, over: Record<string, unknown>) => Array.from({length: n}, () => event(over));

describe("correctionsPage", () => {
  test("counts each action per feature and slice, with n and Wilson intervals", async () => {
    db = await ingest({
      "c.jsonl": jsonl(
        event({segment: "enterprise", action: "ignored"}),
        event({segment: "enterprise", action: "accepted"}),
        event({segment: "smb", action: "edited", original_text: "abcd", edited_text: "abcx"}),
        event({feature: "support-chat", action: "escalated", at: "2026-11-05T08:00:00Z", trace_id: "t9"})
      )
    });
    const p = await correctionsPage(db);
    expect(p.events).toBe(4);
    // The period every figure on the page covers.
    expect([p.first_at, p.last_at]).toEqual(["2026-11-03T10:00:00.000Z", "2026-11-05T08:00:00.000Z"]);
    expect(p.features).toEqual(["autocomplete", "support-chat"]);
    const auto = p.overall.find((r) => r.feature === "autocomplete")!;
    expect([auto.n, auto.accepted.successes, auto.ignored.successes, auto.edited.successes]).toEqual([3, 1, 1, 1]);
    // statsmodels proportion_confint(1, 3, method="wilson") = (0.061492, 0.79234)
    expect(auto.ignored).toEqual({rate: 0.333333, n: 3, successes: 1, low: 0.061492, high: 0.79234});
    expect(
      p.byDimension.segment.filter((r) => r.feature === "autocomplete").map((r) => [r.value, r.n, r.ignored.successes])
    ).toEqual([
      ["enterprise", 2, 1],
      ["smb", 1, 0]
    ]);
    expect(p.byDimension.segment.filter((r) => r.feature === "(all)").map((r) => [r.value, r.n])).toEqual([
      ["(none)", 1],
      ["enterprise", 2],
      ["smb", 1]
    ]);
    expect(p.byDimension.week.map((r) => [r.feature, r.value, r.n])).toEqual([
      ["(all)", "2026-11-02", 4],
      ["autocomplete", "2026-11-02", 3],
      ["support-chat", "2026-11-02", 1]
    ]);
  });

  test("finds a segment that ignores far more than the rest of its feature, with Newcombe's interval of the difference", async () => {
    db = await ingest({
      "c.jsonl": jsonl(
        ...times(40, {segment: "enterprise", action: "ignored"}),
        ...times(60, {segment: "enterprise"}),
        ...times(12, {segment: "smb", action: "ignored"}),
        ...times(88, {segment: "smb"}),
        ...times(5, {segment: "tiny", action: "ignored"})
      )
    });
    const p = await correctionsPage(db);
    const d = proportionDifference(40, 100, 17, 105);
    expect(p.hotSpots).toEqual([
      {
        feature: "autocomplete",
        dimension: "segment",
        value: "enterprise",
        action: "ignored",
        // Wilson bounds recorded with statsmodels proportion_confint(k, n, method="wilson").
        slice: {rate: 0.4, n: 100, successes: 40, low: 0.309401, high: 0.497997},
        rest: {rate: 0.161905, n: 105, successes: 17, low: 0.103613, high: 0.244062},
        featureRate: {rate: 0.278049, n: 205, successes: 57, low: 0.221229, high: 0.343033},
        difference: {value: round(d.difference!), low: round(d.low!), high: round(d.high!)}
      }
    ]);
    expect(HOT_SPOT_MIN_N).toBe(30);
  });

  test("histograms the edit distance of edited outputs (computed at ingest where the source gave none) and keeps one example per distinct pair", async () => {
    db = await ingest(
      {
        "c.jsonl": jsonl(
          event({action: "edited", original_text: "aaaa", edited_text: "aaab"}),
          event({action: "edited", original_text: "aaaa", edited_text: "aaab"}),
          event({action: "edited", original_text: "aaaa", edited_text: "bbbb"}),
          event({action: "edited", edit_distance: 0.5})
        )
      },
      {privacy: {redact_free_text: true, excerpt_chars: 160}}
    );
    const p = await correctionsPage(db);
    expect(p.editDistance.bins.filter((b) => b.feature === "autocomplete")).toEqual([
      {feature: "autocomplete", from: 0.25, to: 0.3, n: 2},
      {feature: "autocomplete", from: 0.5, to: 0.55, n: 1},
      {feature: "autocomplete", from: 0.95, to: 1, n: 1}
    ]);
    expect(p.editDistance.stats.find((s) => s.feature === "autocomplete")).toMatchObject({
      n: 4,
      missing: 0,
      median: 0.375
    });
    expect(p.examples.map((e: any) => [e.original_text, e.edited_text, e.edit_distance])).toEqual([
      ["aaaa", "bbbb", 1],
      ["aaaa", "aaab", 0.25]
    ]);
  });
});

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

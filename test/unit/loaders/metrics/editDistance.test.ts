import {afterEach, describe, expect, test} from "vitest";
import {normalizedEditDistance} from "../../../../loaders/metrics/editDistance.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

// Reference values from a plain dynamic-programming Levenshtein over Python code points.
describe("normalizedEditDistance(original, edited)", () => {
  test.each([
    ["kitten", "sitting", 0.42857142857142855],
    ["café", "cafe", 0.25],
    ["naïve résumé", "naive resume", 0.25],
    ["😀a", "a", 0.5],
    ["👍🏽 done", "👍 done", 0.14285714285714285],
    ["abc", "", 1],
    ["", "", 0],
    ["The refund was issued on 3 May.", "The refund was issued on May 3.", 0.12903225806451613]
  ])("%j → %j matches the code-point reference", (a, b, expected) => {
    expect(normalizedEditDistance(a, b)).toBeCloseTo(expected, 14);
  });

  test("does not confuse a character outside the BMP with a private-use character in the text", () => {
    expect(normalizedEditDistance("\uE000x", "😀x")).toBe(0.5);
  });

  test("agrees with the distance the warehouse computes in SQL for corrections that lack one", async () => {
    const pairs: [string, string][] = [
      ["Refund issued for order 1182.", "Refund issued for order 1182 on Monday."],
      ["Reset the password from Settings > Security.", "Reset your password under Settings > Security > Password."],
      ["Thanks for reaching out!", "Thanks for reaching out! Your ticket is escalated."],
      ["identical text", "identical text"],
      ["short", "a completely different and much longer answer"]
    ];
    db = await ingest(
      {
        "corrections.jsonl": jsonl(
          ...pairs.map(([original_text, edited_text], i) => ({
            event_id: `e${i}`,
            at: "2026-11-01T10:00:00Z",
            feature: "support-chat",
            action: "edited",
            original_text,
            edited_text
          }))
        )
      },
      {privacy: {redact_free_text: false, excerpt_chars: 2000}}
    );
    const rows = await db.query<{event_id: string; edit_distance: number}>(
      `SELECT event_id, edit_distance FROM corrections ORDER BY event_id`
    );
    expect(rows).toHaveLength(pairs.length);
    for (const [i, [a, b]] of pairs.entries())
      expect(rows[i].edit_distance).toBeCloseTo(normalizedEditDistance(a, b), 12);
  });
});

import {describe, expect, test} from "vitest";
import {
  flagRises,
  safetyFindings,
  weeklyEvidence,
  type VersionChange
} from "../../../../src/components/safetyFindings.js";
import {binomialCdf} from "../../../../src/lib/metrics/binomial.js";

const change = (feature: string, first_at: string, over: Partial<VersionChange> = {}): VersionChange => ({
  feature,
  model: "gpt-4.1-mini",
  prompt_version: "sum-v4",
  first_at,
  at_start: false,
  ...over
});
const day = (d: string, n: number, category = "hallucination", feature = "summaries") => ({
  day: d,
  feature,
  category,
  n
});
const span = {first_at: "2026-10-01T00:00:00Z", last_at: "2026-10-28T23:00:00Z"};
// 28 days: 20 before 2026-10-21, 8 from it on. 2 hallucination flags before, 10 after.
const daily = [
  day("2026-10-03", 1),
  day("2026-10-12", 1),
  day("2026-10-21", 4),
  day("2026-10-24", 3),
  day("2026-10-28", 3),
  day("2026-10-05", 1, "pii-leak"),
  day("2026-10-25", 1, "pii-leak")
];

describe("flagRises(daily, changes, span)", () => {
  test("finds the category that rose after the change, with rates per week and an exact one-sided p-value", () => {
    const {rises, comparisons} = flagRises(daily, [change("summaries", "2026-10-21T09:00:00Z")], span);
    expect(comparisons).toBe(2);
    expect(rises).toHaveLength(1);
    const [r] = rises;
    expect([r.category, r.before, r.after, r.daysBefore, r.daysAfter]).toEqual(["hallucination", 2, 10, 20, 8]);
    expect(r.perWeekBefore).toBeCloseTo(0.7, 10);
    expect(r.perWeekAfter).toBeCloseTo(8.75, 10);
    // P(X ≥ 10), X ~ Binomial(12, 8/28), summed term by term.
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    const q = 8 / 28;
    const tail = [10, 11, 12].reduce((t, k) => t + choose(12, k) * q ** k * (1 - q) ** (12 - k), 0);
    expect(r.p).toBeCloseTo(tail, 12);
    expect(r.p).toBeCloseTo(1 - binomialCdf(9, 12, q), 12);
  });

  test("ignores changes in place from the start, changes with under a week on a side, and other features", () => {
    const changes = [
      change("summaries", "2026-10-01T01:00:00Z", {at_start: true}),
      change("summaries", "2026-10-25T00:00:00Z"),
      change("chat", "2026-10-10T00:00:00Z")
    ];
    expect(flagRises(daily, changes, span)).toEqual({rises: [], comparisons: 0});
  });

  test("does not call a rise that chance explains", () => {
    const flat = [day("2026-10-03", 2), day("2026-10-15", 3), day("2026-10-22", 1), day("2026-10-26", 1)];
    expect(flagRises(flat, [change("summaries", "2026-10-21T00:00:00Z")], span).rises).toEqual([]);
  });
});

describe("safetyFindings(page, changes, feature)", () => {
  const weekly = [
    {week: "2026-09-28", feature: "summaries", category: "hallucination", n: 1},
    {week: "2026-10-12", feature: "summaries", category: "hallucination", n: 1},
    {week: "2026-10-19", feature: "summaries", category: "hallucination", n: 7},
    {week: "2026-10-26", feature: "summaries", category: "hallucination", n: 3},
    {week: "2026-10-19", feature: "summaries", category: "pii-leak", n: 1}
  ];
  const openRow = (flag_id: string, severity: string, age_days: number, feature = "summaries") => ({
    flag_id,
    at: "2026-10-01T00:00:00Z",
    feature,
    category: "pii-leak",
    severity,
    root_cause: "prompt",
    model: "gpt-4.1-mini",
    prompt_version: "sum-v3",
    prompt_source: "live then" as const,
    trace_id: null,
    reviewer: null,
    excerpt: null,
    age_days
  });
  const page = {
    totals: {flags: 14, ...span},
    daily,
    weekly,
    open: {total: 3, rows: [openRow("f9", "critical", 3), openRow("f2", "high", 26), openRow("f5", "low", 40)]}
  };

  test("states the rise with counts, days and version, and the weekly evidence with the boundary week", () => {
    const [rise, open] = safetyFindings(page, [change("summaries", "2026-10-21T09:00:00Z")]);
    expect(rise.text).toBe(
      "Hallucination flags on summaries rose from 0.7 to 8.8 a week after gpt-4.1-mini · sum-v4 first served traffic on 2026-10-21: 2 flags in the 20 days before, 10 in the 8 days from then on (p < 0.001)."
    );
    expect(rise.scope).toBe("whole period, 2026-10-01 to 2026-10-28");
    expect(rise.evidence!.map((e) => [e.label, e.value, e.boundary ?? ""])).toEqual([
      ["09-28", "1", ""],
      ["10-05", "0", ""],
      ["10-12", "1", ""],
      ["10-19", "7", "gpt-4.1-mini · sum-v4 from 2026-10-21"],
      ["10-26", "3", ""]
    ]);
    expect(open.text).toBe(
      "f2, a high pii-leak flag on summaries (gpt-4.1-mini · sum-v3), has been open 26 days: the oldest of 2 open high or critical flags."
    );
    expect([open.scope, open.href]).toEqual(["as of the newest flag, 2026-10-28", "#flag-f2"]);
  });

  test("says so when nothing rose and nothing severe is open, for a feature picked", () => {
    const findings = safetyFindings(page, [change("summaries", "2026-10-21T09:00:00Z")], "chat");
    expect(findings.map((f) => f.text)).toEqual([
      "No model or prompt change with a week of flags on each side to test a rise against.",
      "No high or critical flag is open."
    ]);
  });
});

import {describe, expect, test} from "vitest";
import {
  composeFeature,
  portfolioHeadline,
  portfolioSummary,
  type FeatureFindings
} from "../../../../loaders/brief/compose.js";
import type {QualitySection} from "../../../../loaders/brief/quality.js";
import {recommend} from "../../../../loaders/brief/recommend.js";
import type {Risk} from "../../../../loaders/brief/risks.js";

const gate = (verdict: string) =>
  ({
    metric: "pass_rate",
    label: "Pass rate",
    unit: "rate",
    direction: "min",
    threshold: 0.85,
    estimate: 0.865,
    low: 0.828,
    high: 0.895,
    n: 400,
    verdict,
    cases_needed: 1777
  }) as never;

function quality(verdict: "go" | "no-go" | "inconclusive" | null, gateVerdict = "inconclusive"): QualitySection {
  if (!verdict) return {launch: null, lines: ["No launch gates in the config."], open: []};
  const open =
    gateVerdict === "pass"
      ? []
      : [
          {
            gate: gate(gateVerdict),
            value: "{{g:full}}",
            short: "{{g}}",
            threshold: "{{t}}",
            margin: null,
            cases: gateVerdict === "inconclusive" ? "{{c}}" : null
          }
        ];
  return {
    launch: {
      candidate: "claude-sonnet-4 · chat-v7",
      baseline: "gpt-4.1 · chat-v6",
      suite: "scg",
      verdict,
      gates: [],
      evidence: "",
      comparison: "Against the current gpt-4.1 · chat-v6: {{p}}."
    },
    lines: [],
    open
  };
}

const risk = (kind: Risk["kind"], title: string): Risk => ({
  kind,
  title,
  short: `${title} ({{r}})`,
  text: `${title}: evidence {{r:full}}.`,
  watch: "{{r}}"
});

function findings(
  verdict: "go" | "no-go" | "inconclusive" | null,
  risks: Risk[] = [],
  gateVerdict?: string
): FeatureFindings {
  const coverageGap = risks.some((r) => r.kind === "untested-category");
  return {
    feature: "support-chat",
    recommendation: recommend({launch: verdict, coverageGap, risks: risks.length}),
    quality: quality(verdict, gateVerdict),
    risks
  };
}

describe("composeFeature(findings)", () => {
  test("a failed gate: hold, the failing gate's figure against its threshold, and the top risk", () => {
    expect(composeFeature(findings("no-go", [risk("regression", "regression after prompt a → b")], "fail"))).toEqual({
      headline: "Hold: claude-sonnet-4 · chat-v7 fails its pass rate gate, {{g}} against ≥ {{t}}.",
      summary: "Top risk: regression after prompt a → b ({{r}})."
    });
  });

  test("a gate not yet conclusive: investigate, and the cases that would settle it", () => {
    expect(
      composeFeature(findings("inconclusive", [risk("untested-category", "untested traffic: data-export-request")]))
    ).toEqual({
      headline: "Investigate: claude-sonnet-4 · chat-v7 is not yet conclusive on pass rate, {{g}} against ≥ {{t}}.",
      summary:
        "About {{c}} more cases would settle pass rate if it holds. Top risk: untested traffic: data-export-request ({{r}})."
    });
  });

  test("a gate without data: investigate, saying the data is missing", () => {
    const f = findings("inconclusive", [], "no-data");
    f.quality.open[0] = {...f.quality.open[0], value: null, short: null, cases: null};
    expect(composeFeature(f)).toEqual({
      headline: "Investigate: claude-sonnet-4 · chat-v7 has no data for its pass rate gate.",
      summary: ""
    });
  });

  test("passing gates: go, unless production carries traffic the eval set lacks", () => {
    expect(composeFeature(findings("go", [], "pass")).headline).toBe(
      "Go: claude-sonnet-4 · chat-v7 clears every gate."
    );
    expect(composeFeature(findings("go", [risk("untested-category", "untested traffic: x")], "pass")).headline).toBe(
      "Investigate: every gate of claude-sonnet-4 · chat-v7 passes, but untested traffic: x ({{r}})."
    );
  });

  test("no gates: the top risk is the headline, or nothing is pending", () => {
    const risky = composeFeature(
      findings(null, [
        risk("hot-spot", "correction hot spot in the enterprise segment"),
        risk("flags", "open high-severity flags")
      ])
    );
    expect(risky.headline).toBe("Investigate: correction hot spot in the enterprise segment ({{r}}).");
    expect(risky.summary).toBe(
      "No launch gates are configured for this feature, so the call rests on production evidence. Next: open high-severity flags ({{r}})."
    );
    expect(composeFeature(findings(null))).toEqual({
      headline: "No launch pending and nothing flagged.",
      summary: "No launch gates in the config."
    });
  });
});

describe("the portfolio", () => {
  const entries = [
    {
      feature: "support-chat",
      decision: "investigate" as const,
      open: "Widen the rollout?",
      risks: [risk("untested-category", "untested traffic")]
    },
    {
      feature: "ticket-summarization",
      decision: "hold" as const,
      open: "Roll back?",
      risks: [risk("regression", "regression")]
    },
    {feature: "autocomplete", decision: "investigate" as const, open: "What to do?", risks: []},
    {feature: "search", decision: null, open: "None pending.", risks: []}
  ];

  test("portfolioHeadline() groups features by decision, hold first", () => {
    expect(portfolioHeadline(entries)).toBe(
      "Hold ticket-summarization; investigate support-chat and autocomplete; nothing pending for search."
    );
    expect(portfolioHeadline([])).toBe("No features in this workspace yet.");
  });

  test("portfolioSummary() leads with the most pressing open decision, then each feature's top risk", () => {
    expect(portfolioSummary(entries)).toBe(
      "The open decision that matters most is on ticket-summarization: Roll back? Top risk per feature: ticket-summarization: regression ({{r}}); support-chat: untested traffic ({{r}})."
    );
  });
});

import {describe, expect, it} from "vitest";
import {decisionTotals, groupsOf, safetyTotals} from "../../../../src/components/safetyViews.js";

const g = (feature: string, status: string, severity: string, root_cause: string, n: number) => ({
  feature,
  status,
  severity,
  root_cause,
  category: "self-harm",
  n
});
const groups = [
  g("chat", "open", "critical", "prompt", 2),
  g("chat", "open", "low", "capability", 3),
  g("chat", "resolved", "high", "policy", 4),
  g("search", "open", "high", "unknown", 5),
  g("search", "resolved", "medium", "prompt", 6)
];

describe("groupsOf(groups, feature, status)", () => {
  it("keeps the feature's and status's groups, (all) matching every one", () => {
    expect(groupsOf(groups, "(all)", "(all)")).toHaveLength(5);
    expect(groupsOf(groups, "chat", "(all)").map((x) => x.n)).toEqual([2, 3, 4]);
    expect(groupsOf(groups, "(all)", "resolved").map((x) => x.n)).toEqual([4, 6]);
  });
});

describe("safetyTotals(groups, feature, status)", () => {
  it("counts the picked slice by root cause, and the feature's open flags whatever status is picked", () => {
    expect(safetyTotals(groups, "chat", "resolved")).toEqual({
      total: 4,
      open: 5,
      severe: 2,
      byCause: {prompt: 0, capability: 0, policy: 4, unknown: 0}
    });
    expect(safetyTotals(groups, "(all)", "(all)")).toEqual({
      total: 20,
      open: 10,
      severe: 7,
      byCause: {prompt: 8, capability: 3, policy: 4, unknown: 5}
    });
  });
});

describe("decisionTotals(decisions)", () => {
  it("sums flags per decision, most first, with each root cause once in order of appearance", () => {
    const decisions = [
      {decision: "prompt fixed", root_cause: "prompt", n: 3},
      {decision: "escalated", root_cause: "policy", n: 1},
      {decision: "blocked", root_cause: "capability", n: 4},
      {decision: "prompt fixed", root_cause: "capability", n: 2},
      {decision: "prompt fixed", root_cause: "prompt", n: 1},
      {decision: "kept", root_cause: "unknown", n: 1}
    ];
    expect(decisionTotals(decisions)).toEqual([
      {decision: "prompt fixed", n: 6, causes: "prompt, capability"},
      {decision: "blocked", n: 4, causes: "capability"},
      {decision: "escalated", n: 1, causes: "policy"},
      {decision: "kept", n: 1, causes: "unknown"}
    ]);
  });
});

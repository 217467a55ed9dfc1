import {describe, expect, test} from "vitest";
import {decisionRank, recommend, RULES} from "../../../../loaders/brief/recommend.js";

describe("recommend({launch, coverageGap, risks})", () => {
  test("holds when any gate fails, whatever else production shows", () => {
    expect(recommend({launch: "no-go", coverageGap: false, risks: 0})).toEqual({decision: "hold", rule: "gate-failed"});
    expect(recommend({launch: "no-go", coverageGap: true, risks: 5})).toEqual({decision: "hold", rule: "gate-failed"});
  });

  test("investigates while a gate is not yet conclusive", () => {
    expect(recommend({launch: "inconclusive", coverageGap: false, risks: 0})).toEqual({
      decision: "investigate",
      rule: "gate-open"
    });
  });

  test("says go only when every gate passes and the eval set still represents production", () => {
    expect(recommend({launch: "go", coverageGap: false, risks: 3})).toEqual({decision: "go", rule: "gates-pass"});
    expect(recommend({launch: "go", coverageGap: true, risks: 0})).toEqual({decision: "investigate", rule: "coverage"});
  });

  test("without gates, investigates a feature with risks and leaves the others without a decision", () => {
    expect(recommend({launch: null, coverageGap: true, risks: 1})).toEqual({
      decision: "investigate",
      rule: "no-gates-risk"
    });
    expect(recommend({launch: null, coverageGap: false, risks: 0})).toEqual({decision: null, rule: "no-gates"});
  });

  test("every rule it can return is written out for the page, and hold ranks first", () => {
    expect(Object.keys(RULES).sort()).toEqual([
      "coverage",
      "gate-failed",
      "gate-open",
      "gates-pass",
      "no-gates",
      "no-gates-risk"
    ]);
    expect(
      ["go", null, "investigate", "hold"].sort((a, b) => decisionRank(a as never) - decisionRank(b as never))
    ).toEqual(["hold", "investigate", "go", null]);
  });
});

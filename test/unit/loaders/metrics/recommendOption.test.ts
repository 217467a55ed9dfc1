import {describe, expect, test} from "vitest";
import {recommendOption, type OptionEvidence} from "../../../../loaders/metrics/recommendOption.js";

const opt = (key: string, passes: number, cost: number | null, latencyP95: number | null = null): OptionEvidence => ({
  key,
  n: 100,
  passes,
  cost,
  latencyP95
});
/** Discordant pairs as if every difference in passes came from cases only the better option passed. */
const disjoint = (options: OptionEvidence[]) => (a: string, b: string) => {
  const pa = options.find((o) => o.key === a)!.passes;
  const pb = options.find((o) => o.key === b)!.passes;
  return {aOnly: Math.max(0, pa - pb), bOnly: Math.max(0, pb - pa), shared: 100};
};

describe("recommendOption(options, discordant, budget)", () => {
  test("picks the cheapest option not significantly below the best", () => {
    const options = [opt("dear", 90, 0.01), opt("mid", 88, 0.004), opt("cheap", 70, 0.001)];
    const r = recommendOption(options, disjoint(options));
    expect(r.recommended).toBe("mid");
    expect(r.best).toBe("dear");
    // 2 discordant pairs, all one way: p = 0.5; 20: p = 2/2²⁰
    expect(r.excluded.map((e) => e.key)).toEqual(["cheap", "dear"]);
    expect(r.reason).toBe(
      "mid is the cheapest ($0.00400/request) whose pass rate (88.0%, n = 100) is not significantly below the best, dear (90.0%; McNemar p = 0.50)."
    );
  });

  test("never recommends an option of unknown cost, and says it was left out and why", () => {
    const options = [
      {...opt("unknown", 90, null), costUnknown: "40 of 40 requests reported $0 despite using tokens"},
      opt("known", 90, 0.5)
    ];
    const r = recommendOption(options, disjoint(options));
    expect(r.recommended).toBe("known");
    expect(r.excluded).toEqual([
      {
        key: "unknown",
        why: "cost unknown (40 of 40 requests reported $0 despite using tokens): left out of the cost ranking"
      }
    ]);
    expect(r.reason).toMatch(/ The cost of unknown is unknown, so it was not weighed\.$/);
  });

  test("recommends nothing when only options of unknown cost are as good as the best", () => {
    const options = [opt("free?", 90, null), opt("weak", 60, 0.1)];
    const r = recommendOption(options, disjoint(options));
    expect(r).toMatchObject({recommended: null, best: "free?"});
    expect(r.reason).toBe(
      "The cost of free? is unknown, and no option of known cost is as good as the best (free?) and within budget: add the models to prices in workbench.config.json."
    );
  });

  test("leaves out options over the latency budget, and recommends none when nothing qualifies", () => {
    const options = [opt("slow", 90, 0.001, 3000), opt("fast", 89, 0.002, 800)];
    expect(recommendOption(options, disjoint(options), {latencyP95: 1000}).recommended).toBe("fast");
    expect(recommendOption(options, disjoint(options), {latencyP95: 500})).toMatchObject({
      recommended: null,
      best: "slow",
      reason: "No option is both as good as the best (slow) and within budget."
    });
  });

  test("recommends nothing when no option has graded cases", () => {
    expect(
      recommendOption([{key: "x", n: 0, passes: 0, cost: 1, latencyP95: null}], () => ({aOnly: 0, bOnly: 0, shared: 0}))
        .recommended
    ).toBeNull();
  });
});

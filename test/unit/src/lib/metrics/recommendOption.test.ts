import {describe, expect, test} from "vitest";
import {recommendOption} from "../../../../../src/lib/metrics/recommendOption.js";
import type {OptionEvidence} from "../../../../../src/lib/metrics/nonInferiority.js";
import {minimumDetectableDifference} from "../../../../../src/lib/metrics/minimumDetectableDifference.js";
import {pairedProportionDifference} from "../../../../../src/lib/metrics/pairedProportionDifference.js";

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

describe("recommendOption(options, discordant, budget, margin)", () => {
  // dear passes 90 of 100, cheap 88: 86 both, 2 only cheap, 4 only dear.
  const options = [opt("dear", 90, 0.01), opt("cheap", 88, 0.001)];
  const paired = () => ({both: 86, aOnly: 2, bOnly: 4, shared: 100});
  const interval = pairedProportionDifference({both: 86, aOnly: 2, bOnly: 4, shared: 100});

  test("recommends the cheaper option when the difference's lower bound clears −margin", () => {
    expect(interval.low).toBeGreaterThan(-0.1);
    const r = recommendOption(options, paired, {}, 0.1);
    expect(r).toMatchObject({recommended: "cheap", best: "dear", margin: 0.1, minimum_detectable: null});
    expect(r.reason).toBe(
      "cheap is the cheapest ($0.00100/request) shown to be at most 10.0 pts worse than the best, dear: its pass rate is 88.0% against 90.0% (n = 100), and the 95% interval of the difference stays above −10.0 pts."
    );
  });

  test("leaves it out when the interval reaches below −margin, saying so with the interval", () => {
    expect(interval.low).toBeLessThan(-0.02);
    const r = recommendOption(options, paired, {}, 0.02);
    expect(r.recommended).toBe("dear");
    expect(r.excluded[0]).toEqual({
      key: "cheap",
      why: `not shown to be within 2.0 pts of the best (difference −2.0 pts, 95% CI −${(-100 * interval.low!).toFixed(1)} pts to ${(100 * interval.high!).toFixed(1)} pts on 100 shared cases): the interval reaches below −2.0 pts`
    });
  });

  test("says an option is worse than the margin when the whole interval is below it", () => {
    const weak = [opt("dear", 90, 0.01), opt("weak", 60, 0.001)];
    const r = recommendOption(weak, () => ({both: 58, aOnly: 2, bOnly: 32, shared: 100}), {}, 0.05);
    expect(r.recommended).toBe("dear");
    expect(r.excluded[0].why).toMatch(/^more than 5\.0 pts worse than the best \(difference −30\.0 pts/);
  });

  test("without a margin, states the smallest difference the shared cases could detect", () => {
    const r = recommendOption(options, paired);
    expect(r.recommended).toBe("cheap");
    expect(r.margin).toBeNull();
    expect(r.minimum_detectable).toBeCloseTo(minimumDetectableDifference(0.9, 100, {samples: 2})!, 12);
    expect(recommendOption([opt("only", 90, 0.01)], paired).minimum_detectable).toBeNull();
  });

  test("refuses a margin without the cases both options passed", () => {
    expect(() => recommendOption(options, disjoint(options), {}, 0.02)).toThrow(/a margin needs the cases both/);
  });
});

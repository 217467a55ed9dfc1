// The unit of the traces page's time axes: the hostile workspace's trace of hours wrote "300,000,000"
// (milliseconds) under every tick, and on a phone the figures ran into each other and past the chart.
import {describe, expect, test} from "vitest";
import {durationUnit} from "../../../../src/components/traceCharts.js";

describe("durationUnit(longest ms)", () => {
  test("keeps milliseconds under 10 s, so a latency chart of the sample reads as before", () => {
    expect(durationUnit(0).short).toBe("ms");
    expect(durationUnit(9_999).short).toBe("ms");
  });

  test("moves to seconds, minutes and hours as the longest value grows, so ticks stay short", () => {
    expect(durationUnit(10_000)).toEqual({name: "Seconds", short: "s", ms: 1_000});
    expect(durationUnit(599_999).short).toBe("s");
    expect(durationUnit(600_000)).toEqual({name: "Minutes", short: "min", ms: 60_000});
    expect(durationUnit(300_000_000)).toEqual({name: "Hours", short: "h", ms: 3_600_000});
  });
});

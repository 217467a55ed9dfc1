import {describe, expect, test} from "vitest";
import {runPositions} from "../../../../src/components/triageCharts.js";

describe("runPositions(runs, width)", () => {
  const runs = [
    {run_id: "w1", started_at: "2026-11-01T06:00:00.000Z"},
    {run_id: "b", started_at: "2026-11-18T06:00:00.000Z"},
    {run_id: "a", started_at: "2026-11-18T06:00:00.000Z"},
    {run_id: "c", started_at: "2026-11-18T07:00:00.000Z"}
  ];

  test("spreads runs of the same day about 12 px apart, in the order they started, around their mean start", () => {
    const at = runPositions(runs, 660);
    const span = Date.parse("2026-11-18T07:00:00Z") - Date.parse("2026-11-01T06:00:00Z");
    const px = (id: string) => ((at.get(id)!.getTime() - Date.parse("2026-11-01T06:00:00Z")) / span) * 600;
    expect(px("b") - px("a")).toBeCloseTo(12, 6);
    expect(px("c") - px("b")).toBeCloseTo(12, 6);
    const mean = (Date.parse("2026-11-18T06:00:00Z") * 2 + Date.parse("2026-11-18T07:00:00Z")) / 3;
    expect(at.get("b")!.getTime()).toBeCloseTo(mean, 0);
  });

  test("leaves a run alone on its day at its start", () => {
    expect(runPositions(runs, 660).get("w1")!.toISOString()).toBe("2026-11-01T06:00:00.000Z");
  });
});

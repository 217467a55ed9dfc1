import {describe, expect, test} from "vitest";
import {fmtWholePeriod} from "../../../../src/lib/format.js";

describe("fmtWholePeriod(first, last)", () => {
  test("names the period's first and last day, whatever the time of day", () => {
    expect(fmtWholePeriod("2026-09-12T08:15:00.000Z", "2026-11-20T23:59:59.000Z")).toBe(
      "whole period, 2026-09-12 to 2026-11-20"
    );
  });

  test("still names the scope when a date is missing", () => {
    expect(fmtWholePeriod(null, "2026-11-20")).toBe("whole period");
    expect(fmtWholePeriod("2026-09-12", undefined)).toBe("whole period");
  });
});

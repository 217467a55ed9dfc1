import {describe, expect, test} from "vitest";
import {bucketLabel, fmtDate, fmtWholePeriod} from "../../../../src/lib/format.js";

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

describe("bucketLabel(bucket, granularity)", () => {
  test("names a latest-period figure's scope the same way on the brief and the traces page", () => {
    expect(bucketLabel("2026-11-16T00:00:00.000Z", "week")).toBe("the week of 2026-11-16");
    expect(bucketLabel("2026-11-16T00:00:00.000Z", "day")).toBe("2026-11-16");
    expect(bucketLabel("2026-11-16T14:00:00.000Z", "hour")).toBe("2026-11-16 14:00");
  });
});

describe("fmtDate(iso)", () => {
  test("writes a timestamp's day, as the brief and the pages both date things", () => {
    expect(fmtDate("2026-11-16T14:03:00.000Z")).toBe("2026-11-16");
    expect(fmtDate("2026-11-16")).toBe("2026-11-16");
  });

  test("writes a dash when there is no date", () => {
    expect(fmtDate(null)).toBe("—");
    expect(fmtDate(undefined)).toBe("—");
  });
});

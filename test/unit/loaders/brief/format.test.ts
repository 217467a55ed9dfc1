// The brief writes each figure as the page it links to writes it: both use src/lib/format.ts, and the
// brief's interval notations are pinned here to the pages' own.
import {describe, expect, test} from "vitest";
import {fmtInterval, fmtMs, fmtP, fmtPct, fmtPts, fmtUsd} from "../../../../loaders/brief/format.js";
import {fmtCI} from "../../../../src/components/format.js";
import {fmtDiff} from "../../../../src/components/productionFormat.js";

describe("brief formats match the pages'", () => {
  test("a rate with its interval and n reads as the pages' fmtCI", () => {
    const r = {rate: 0.865, low: 0.828, high: 0.895, n: 400};
    expect(`${fmtPct(r.rate)} ${fmtInterval(r.low, r.high, "rate")} n = 400`).toBe(fmtCI(r));
    expect(fmtCI(r)).toBe("86.5% [82.8%–89.5%] n = 400");
  });

  test("a difference in points with its interval reads as the pages' fmtDiff", () => {
    const d = {value: -0.12, low: -0.213682, high: -0.025226};
    expect(`${fmtPts(d.value)} ${fmtInterval(d.low, d.high, "pts")}`).toBe(fmtDiff(d));
  });
});

describe("src/lib/format.ts", () => {
  test("fmtPct, fmtMs and fmtPts", () => {
    expect([0, 0.0349, 0.865, 0.1234567, 1].map((x) => fmtPct(x))).toEqual([
      "0.0%",
      "3.5%",
      "86.5%",
      "12.3%",
      "100.0%"
    ]);
    expect([12.4, 597, 999.6, 2193.7, 5204.5].map(fmtMs)).toEqual(["12 ms", "597 ms", "1000 ms", "2.19 s", "5.20 s"]);
    expect([-0.0833, 0.03, 0].map(fmtPts)).toEqual(["−8.3 pts", "+3.0 pts", "±0.0 pts"]);
  });

  test("fmtUsd: three significant digits, trailing zeros dropped, whole dollars from $100", () => {
    expect([0.00021673, 0.0005, 0.0097558, 0.012, 13.80657, 1234.5].map(fmtUsd)).toEqual([
      "$0.000217",
      "$0.0005",
      "$0.00976",
      "$0.012",
      "$13.8",
      "$1,235"
    ]);
    expect(fmtUsd(null)).toBe("—");
  });

  test("fmtP: below 0.001 as a bound, three decimals below 0.01, else two", () => {
    expect([0.000002, 0.005, 0.143307, 1].map(fmtP)).toEqual(["p < 0.001", "p = 0.005", "p = 0.14", "p = 1.00"]);
    expect(fmtP(undefined)).toBe("—");
  });
});

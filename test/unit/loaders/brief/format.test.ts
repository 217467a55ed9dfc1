// The brief writes each figure as the page it links to writes it; loaders cannot import src/, so the
// two sets of formats are pinned together here.
import {describe, expect, test} from "vitest";
import {fmtInterval, fmtMs, fmtP, fmtPct, fmtPts, fmtUsd} from "../../../../loaders/brief/format.js";
import {fmtP as explainP} from "../../../../loaders/queries/explainChange.js";
import {fmtCI, fmtMs as pageMs, fmtPct as pagePct} from "../../../../src/components/format.js";
import {fmtPts as pagePts} from "../../../../src/components/evalFormat.js";
import {fmtCost, fmtDiff} from "../../../../src/components/productionFormat.js";

describe("brief formats match the pages'", () => {
  test("rates, and rates with their interval and n", () => {
    for (const x of [0, 0.0349, 0.865, 0.1234567, 1]) expect(fmtPct(x)).toBe(pagePct(x));
    const r = {rate: 0.865, low: 0.828, high: 0.895, n: 400};
    expect(`${fmtPct(r.rate)} ${fmtInterval(r.low, r.high, "rate")} n = 400`).toBe(fmtCI(r));
  });

  test("durations, dollars, points and p-values", () => {
    for (const x of [12.4, 597, 999.6, 2193.7, 5204.5]) expect(fmtMs(x)).toBe(pageMs(x));
    for (const x of [0.00021673, 0.0005, 0.0097558, 0.012, 13.80657, 1234.5]) expect(fmtUsd(x)).toBe(fmtCost(x));
    for (const x of [-0.0833, 0.03, 0]) expect(fmtPts(x)).toBe(pagePts(x));
    const d = {value: -0.12, low: -0.213682, high: -0.025226};
    expect(`${fmtPts(d.value)} ${fmtInterval(d.low, d.high, "pts")}`).toBe(fmtDiff(d));
    for (const p of [0.000002, 0.005, 0.143307, 1]) expect(fmtP(p)).toBe(explainP(p));
  });
});

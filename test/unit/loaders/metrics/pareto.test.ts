import {describe, expect, test} from "vitest";
import {paretoFrontier} from "../../../../loaders/metrics/pareto.js";
import {seededRandom} from "../../../../src/lib/metrics/seededRandom.js";

type P = {cost: number | null; quality: number | null};
const front = (ps: P[]) =>
  paretoFrontier(
    ps,
    (p) => p.cost,
    (p) => p.quality
  );

describe("paretoFrontier(options, cost, quality)", () => {
  test("marks the frontier of a worked example and names a dominating option", () => {
    // A is cheapest, D is best; B beats C on both; E ties B on cost but is worse.
    const ps: P[] = [
      {cost: 1, quality: 0.7}, // A
      {cost: 3, quality: 0.85}, // B
      {cost: 4, quality: 0.8}, // C: dominated by B
      {cost: 9, quality: 0.9}, // D
      {cost: 3, quality: 0.75}, // E: dominated by B (same cost, lower quality)
      {cost: 10, quality: 0.9} // F: dominated by D (same quality, dearer)
    ];
    const r = front(ps);
    expect(r.map((s) => s.onFrontier)).toEqual([true, true, false, true, false, false]);
    expect(r.map((s) => s.dominatedBy)).toEqual([null, null, 1, null, 1, 3]);
  });

  test("keeps identical options both on the frontier", () => {
    expect(
      front([
        {cost: 1, quality: 1},
        {cost: 1, quality: 1}
      ]).map((s) => s.onFrontier)
    ).toEqual([true, true]);
  });

  test("leaves options with a missing coordinate off the comparison", () => {
    expect(
      front([
        {cost: null, quality: 0.9},
        {cost: 2, quality: 0.5}
      ])
    ).toEqual([
      {comparable: false, onFrontier: false, dominatedBy: null},
      {comparable: true, onFrontier: true, dominatedBy: null}
    ]);
  });

  test("agrees with the definition checked pair by pair on random options", () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 50; trial++) {
      const ps = Array.from({length: 25}, () => ({
        cost: Math.round(random() * 10),
        quality: Math.round(random() * 10) / 10
      }));
      const dominated = ps.map((p) =>
        ps.some((q) => q.cost <= p.cost && q.quality >= p.quality && (q.cost < p.cost || q.quality > p.quality))
      );
      const r = front(ps);
      expect(r.map((s) => !s.onFrontier)).toEqual(dominated);
      r.forEach((s, i) => {
        if (s.dominatedBy === null) return;
        const q = ps[s.dominatedBy];
        expect(q.cost <= ps[i].cost && q.quality >= ps[i].quality).toBe(true);
      });
    }
  });
});

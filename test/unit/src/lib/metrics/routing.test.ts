import {describe, expect, test} from "vitest";
import {combineRoutes} from "../../../../../src/lib/metrics/routing.js";

const route = (category: string, n: number, passes: number, cost_n: number, cost_mean: number | null) => ({
  category,
  option: `opt-${category}`,
  n,
  passes,
  cost_n,
  cost_mean
});

describe("combineRoutes(routes)", () => {
  test("adds the routed passes over every case and weights each route's cost by its requests", () => {
    const r = combineRoutes([route("a", 50, 45, 50, 0.001), route("b", 30, 21, 30, 0.01)]);
    expect(r.pass).toMatchObject({rate: 66 / 80, n: 80, successes: 66});
    // 50 requests at $0.001 and 30 at $0.01: (0.05 + 0.3) / 80.
    expect(r.cost_mean).toBeCloseTo(0.35 / 80, 15);
    // Wilson's score interval for 66 of 80, written out: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
    const [p, n, z] = [66 / 80, 80, 1.959963984540054];
    const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    expect(r.pass.low).toBeCloseTo((p + (z * z) / (2 * n) - half) / (1 + (z * z) / n), 12);
    expect(r.pass.high).toBeCloseTo((p + (z * z) / (2 * n) + half) / (1 + (z * z) / n), 12);
  });

  test("leaves the cost unknown when one route's cost is unknown", () => {
    expect(combineRoutes([route("a", 50, 45, 50, 0.001), route("b", 30, 21, 0, null)]).cost_mean).toBeNull();
  });

  test("has no rate without cases", () => {
    expect(combineRoutes([]).pass.rate).toBeNull();
  });
});

import {describe, expect, test} from "vitest";
import {quantile} from "../../../../src/lib/metrics/quantile.js";
import {openDatabase} from "../../../../loaders/warehouse/duckdb.js";

describe("quantile(values, q)", () => {
  test("matches numpy.quantile's default (linear) on a textbook sample", () => {
    // numpy.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.5, 0.95, 0.99, 0.25]) → 5.5, 9.55, 9.91, 3.25
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(quantile(xs, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantile(xs, 0.95)).toBeCloseTo(9.55, 12);
    expect(quantile(xs, 0.99)).toBeCloseTo(9.91, 12);
    expect(quantile(xs, 0.25)).toBeCloseTo(3.25, 12);
  });

  test("returns null for no values and the value itself for one", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([42], 0.95)).toBe(42);
  });

  test("agrees with DuckDB's quantile_cont, which the warehouse queries use", async () => {
    const db = await openDatabase();
    const xs = Array.from({length: 101}, (_, i) => ((i * 7919) % 1013) / 3);
    await db.run(`CREATE TABLE v AS SELECT unnest(string_split($xs, ',')::DOUBLE[]) AS x`, {xs: xs.join(",")});
    const [row] = await db.query<{p50: number; p95: number; p99: number}>(
      `SELECT quantile_cont(x, 0.5) p50, quantile_cont(x, 0.95) p95, quantile_cont(x, 0.99) p99 FROM v`
    );
    expect(quantile(xs, 0.5)).toBeCloseTo(row.p50, 9);
    expect(quantile(xs, 0.95)).toBeCloseTo(row.p95, 9);
    expect(quantile(xs, 0.99)).toBeCloseTo(row.p99, 9);
    db.close();
  });
});

// Rows as columns and back, as eval triage's suite blocks write a suite's runs.
import {describe, expect, test} from "vitest";
import {fromColumns, toColumns} from "../../../../src/lib/columns.js";

describe("toColumns(rows) and fromColumns(columns)", () => {
  const rows = [
    {run_id: "r1", n: 600, pass: {rate: 0.8, n: 600}, status: null},
    {run_id: "r2", n: 598, pass: {rate: 0.75, n: 598}, status: "partial"}
  ];

  test("write each key once, and give the rows back through JSON with their keys in order", () => {
    const columns = toColumns(rows);
    expect(columns).toEqual({
      run_id: ["r1", "r2"],
      n: [600, 598],
      pass: [rows[0].pass, rows[1].pass],
      status: [null, "partial"]
    });
    const back = fromColumns<(typeof rows)[number]>(JSON.parse(JSON.stringify(columns)));
    expect(back).toEqual(rows);
    expect(JSON.stringify(back)).toBe(JSON.stringify(rows));
  });

  test("give no rows back for no rows", () => {
    expect(toColumns([])).toEqual({});
    expect(fromColumns({})).toEqual([]);
  });

  // A key missing from one row would come back as null from JSON (undefined in a list): refused instead.
  test("refuse rows of another shape than the first", () => {
    expect(() => toColumns([{a: 1, b: 2}, {a: 1}])).toThrow(/row 1 has keys a, not the first row's a, b/);
    expect(() => toColumns([{a: 1}, {b: 1}])).toThrow(/row 1 has keys b/);
    expect(() => fromColumns({a: [1, 2], b: [1]})).toThrow(/different lengths/);
  });
});

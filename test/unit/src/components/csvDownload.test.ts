import {csvParse} from "d3";
import {describe, expect, test} from "vitest";
import {csvCell, csvFilename, flatColumns, flattenRow, toCsv} from "../../../../src/components/csvDownload.js";

describe("csvCell(value)", () => {
  test("quotes a cell holding a comma, quote or line break, doubling its quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  test("defuses text a spreadsheet would run as a formula, and keeps a negative number a number", () => {
    for (const formula of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(formula)).toMatch(/^"?'/);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell(-0.5)).toBe("-0.5");
    expect(csvCell("a=b")).toBe("a=b");
  });

  test("writes missing and non-finite values empty, dates as ISO 8601", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(new Date(Date.UTC(2026, 11, 5)))).toBe("2026-12-05T00:00:00.000Z");
    expect(csvCell(true)).toBe("true");
  });
});

describe("toCsv(rows, columns)", () => {
  test("round-trips through a CSV parser: same columns, same cells, formula prefix aside", () => {
    const rows = [
      {segment: "enterprise", n: 120, note: 'he said "no", twice'},
      {segment: "=cmd|' /C calc'!A0", n: 3, note: "line\nbreak"}
    ];
    const parsed = csvParse(toCsv(rows, ["segment", "n", {name: "rate", value: (r) => r.n / 200}, "note"]));
    expect(parsed.columns).toEqual(["segment", "n", "rate", "note"]);
    expect(parsed.map((r) => ({...r}))).toEqual([
      {segment: "enterprise", n: "120", rate: "0.6", note: 'he said "no", twice'},
      {segment: "'=cmd|' /C calc'!A0", n: "3", rate: "0.015", note: "line\nbreak"}
    ]);
  });

  test("an empty table is its header line", () => {
    expect(toCsv([], ["a", "b"])).toBe("a,b\r\n");
  });
});

describe("flattenRow(row) and flatColumns(rows)", () => {
  test("nested rates become dotted columns; arrays and dates stay whole", () => {
    const at = new Date(0);
    const row = flattenRow({model: "m", at, errors: {rate: 0.1, n: 10, low: null}, snapshots: [{name: "x"}]});
    expect(row).toEqual({
      model: "m",
      at,
      "errors.rate": 0.1,
      "errors.n": 10,
      "errors.low": null,
      snapshots: [{name: "x"}]
    });
    expect(toCsv([row], flatColumns([row]))).toBe(
      'model,at,errors.rate,errors.n,errors.low,snapshots\r\nm,1970-01-01T00:00:00.000Z,0.1,10,,"[{""name"":""x""}]"\r\n'
    );
    expect(flatColumns([{a: 1}, {b: 2, a: 3}])).toEqual(["a", "b"]);
  });

  test("csvFilename joins safe parts", () => {
    expect(csvFilename("traces", "cost", "(all)", "gpt-4.1")).toBe("traces-cost-all-gpt-4.1.csv");
  });
});

import {csvParse} from "d3";
import {describe, expect, test} from "vitest";
import {
  CHART_MAX_ROWS,
  chartShape,
  exampleQueries,
  resultCsv,
  type QueryResult
} from "../../../../src/components/exploreViews.js";
import {exploreTables} from "../../../../loaders/explore/tables.js";

const result = (columns: QueryResult["columns"], rows: Record<string, unknown>[]) => ({columns, rows});

describe("chartShape(result)", () => {
  test("a date and a number make lines, by the first text column", () => {
    const r = result(
      [
        {name: "day", kind: "date"},
        {name: "model", kind: "string"},
        {name: "calls", kind: "number"},
        {name: "p95_ms", kind: "number"}
      ],
      [{day: new Date(0), model: "a", calls: 1, p95_ms: 2}]
    );
    expect(chartShape(r)).toEqual({mark: "line", x: "day", y: "p95_ms", series: "model"});
  });

  test("text and a number make bars; two text columns make grouped bars", () => {
    expect(
      chartShape(
        result(
          [
            {name: "segment", kind: "string"},
            {name: "n", kind: "number"}
          ],
          [{segment: "smb", n: 1}]
        )
      )
    ).toEqual({mark: "bar", x: "segment", y: "n", series: undefined});
    expect(
      chartShape(
        result(
          [
            {name: "run_id", kind: "string"},
            {name: "category", kind: "string"},
            {name: "pass_rate", kind: "number"}
          ],
          [{run_id: "r", category: "c", pass_rate: 1}]
        )
      )
    ).toEqual({mark: "bar", x: "run_id", y: "pass_rate", series: "category"});
  });

  test("no chart without a number, without rows, or over the row limit", () => {
    expect(chartShape(result([{name: "a", kind: "string"}], [{a: "x"}]))).toBeNull();
    expect(
      chartShape(
        result(
          [
            {name: "a", kind: "string"},
            {name: "n", kind: "number"}
          ],
          []
        )
      )
    ).toBeNull();
    const many = Array.from({length: CHART_MAX_ROWS + 1}, (_, i) => ({a: String(i), n: i}));
    expect(
      chartShape(
        result(
          [
            {name: "a", kind: "string"},
            {name: "n", kind: "number"}
          ],
          many
        )
      )
    ).toBeNull();
  });
});

describe("resultCsv(result)", () => {
  test("holds exactly the rows and columns of the result, in order, quoting intact and formulas defused", () => {
    const rows = [
      {name: 'say "hi", <script>alert(1)</script>', n: 1.5, at: new Date("2026-11-02T00:00:00Z")},
      {name: "line\nbreak", n: null, at: null},
      {name: '=HYPERLINK("x")', n: -2, at: null}
    ];
    const csv = resultCsv(
      result(
        [
          {name: "name", kind: "string"},
          {name: "n", kind: "number"},
          {name: "at", kind: "date"}
        ],
        rows
      )
    );
    const parsed = csvParse(csv);
    expect(parsed.columns).toEqual(["name", "n", "at"]);
    expect(parsed.map((r) => ({...r}))).toEqual([
      {name: 'say "hi", <script>alert(1)</script>', n: "1.5", at: "2026-11-02T00:00:00.000Z"},
      {name: "line\nbreak", n: "", at: ""},
      // csvDownload.ts defuses a formula cell for spreadsheets; a negative number stays a number.
      {name: '\'=HYPERLINK("x")', n: "-2", at: ""}
    ]);
  });
});

describe("exampleQueries", () => {
  test("name only tables the export has", () => {
    const names = new Set(exploreTables.map((t) => t.name));
    for (const q of exampleQueries) {
      const from = [...q.sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)]
        .map((m) => m[1])
        .filter((t) => t !== "last_runs");
      expect(from.length).toBeGreaterThan(0);
      for (const table of from) expect(names.has(table), `${q.title}: ${table}`).toBe(true);
    }
  });
});

describe("resultRows(table)", () => {
  test("turns a DATE's epoch milliseconds into a Date, and BigInt into a number", async () => {
    const {resultRows} = await import("../../../../src/components/exploreViews.js");
    const table = {
      schema: {
        fields: [
          {name: "day", type: {typeId: 8}},
          {name: "n", type: {typeId: 2}},
          {name: "model", type: {typeId: 5}}
        ]
      },
      toArray: () => [{day: Date.UTC(2026, 8, 12), n: 3n, model: "gpt-4.1"}]
    };
    const {rows, columns} = resultRows(table);
    expect(rows).toEqual([{day: new Date("2026-09-12T00:00:00Z"), n: 3, model: "gpt-4.1"}]);
    expect(columns.map((c) => c.kind)).toEqual(["date", "number", "string"]);
  });
});

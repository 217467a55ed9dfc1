import {describe, expect, test} from "vitest";
import type {ExploreManifest} from "../../../../loaders/explore/export.js";
import {columnsUsed} from "../../../../src/components/exploreColumns.js";

const column = (name: string) => ({name, type: "VARCHAR", doc: "", freeText: false});
const manifest: ExploreManifest = {
  textChars: 300,
  maxRows: 2_000_000,
  rowGroupRows: 100_000,
  tables: [
    {
      name: "spans",
      doc: "",
      rows: 3,
      exported: 3,
      sampled: false,
      sampleBy: "trace_id",
      sortBy: ["start_time", "trace_id"],
      columns: ["trace_id", "start_time", "model", "duration_ms", "kind"].map(column)
    },
    {
      name: "requests",
      doc: "",
      rows: 1,
      exported: 1,
      sampled: false,
      sampleBy: "trace_id",
      sortBy: ["start_time"],
      columns: ["trace_id", "start_time", "model"].map(column)
    },
    {name: "flags", doc: "", rows: 0, exported: 0, sampled: false, sampleBy: "flag_id", sortBy: ["at"], columns: []}
  ]
};
const used = (sql: string) => Object.fromEntries(columnsUsed(sql, manifest));

describe("columnsUsed(sql, manifest)", () => {
  test("reads only the columns a group-by-model-and-day query names", () => {
    expect(used("SELECT date_trunc('day', start_time) AS day, model, count(*) FROM spans GROUP BY ALL")).toEqual({
      spans: ["start_time", "model"]
    });
  });

  test("matches names in any case and quoted, and each table joined", () => {
    expect(used(`SELECT s."MODEL", r.Trace_Id FROM Spans s JOIN "requests" r USING (trace_id)`)).toEqual({
      spans: ["trace_id", "model"],
      requests: ["trace_id", "model"]
    });
  });

  test("reads every column after a star in a select list, but not for count(*)", () => {
    expect(used("SELECT * FROM spans LIMIT 5").spans).toHaveLength(5);
    expect(used("SELECT s.* FROM spans s").spans).toHaveLength(5);
    expect(used("SELECT count(*) FROM spans")).toEqual({spans: ["start_time"]});
  });

  test("skips tables the query does not name and tables with no columns", () => {
    expect(used("SELECT 1")).toEqual({});
    expect(used("SELECT count(*) FROM flags")).toEqual({});
  });
});

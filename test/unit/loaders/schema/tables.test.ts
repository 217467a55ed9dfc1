import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {zodTable} from "../../../../loaders/schema/fields.js";
import {formatsMarkdown} from "../../../../loaders/schema/formatsDoc.js";
import {evalResults, spans} from "../../../../loaders/schema/tables.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";

describe("zodTable(spec)", () => {
  const evalSchema = zodTable(evalResults);
  const ok = {run_id: "r", case_id: "c", suite: "s", started_at: "2026-11-01T00:00:00Z", model: "m", passed: true};

  test("accepts a minimal row and optional nulls", () => {
    expect(evalSchema.safeParse({...ok, score: null}).success).toBe(true);
  });

  test("enforces the same rules as the SQL validation: required, ranges, enums, whole numbers, offsets", () => {
    const issues = (row: object) => evalSchema.safeParse(row).error?.issues.map((i) => i.path.join("."));
    expect(issues({...ok, model: undefined})).toEqual(["model"]);
    expect(issues({...ok, score: 1.2})).toEqual(["score"]);
    expect(issues({...ok, grader: "robot"})).toEqual(["grader"]);
    expect(issues({...ok, input_tokens: 1.5})).toEqual(["input_tokens"]);
    expect(issues({...ok, started_at: "2026-11-01"})).toEqual(["started_at"]);
    expect(issues({...ok, started_at: "2026-11-01 09:30:00"})).toBeUndefined();
    expect(issues({...ok, started_at: "2026-11-01T09:30:00.123+02:00"})).toBeUndefined();
    expect(issues({...ok, surprise: 1})).toEqual([""]);
  });

  test("requires span kind to be one of the known kinds", () => {
    const row = {
      trace_id: "t",
      span_id: "s",
      name: "n",
      kind: "llm",
      start_time: "2026-11-01T00:00:00Z",
      duration_ms: 3
    };
    expect(zodTable(spans).safeParse(row).success).toBe(true);
    expect(zodTable(spans).safeParse({...row, kind: "magic"}).success).toBe(false);
  });
});

describe("docs/formats.md", () => {
  test("is the output of the generator (run npm run docs after changing a table spec)", () => {
    expect(readFileSync(join(projectRoot, "docs", "formats.md"), "utf8")).toBe(formatsMarkdown());
  });
});

import {describe, expect, test} from "vitest";
import {adapters} from "../../../../loaders/adapters/index.js";
import {topLevelKeys} from "../../../../loaders/adapters/jsonHead.js";
import {listWorkspaceFiles} from "../../../../loaders/workspace/files.js";
import {evalRow, jsonl, tempWorkspace} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

describe("format detection", () => {
  test("recognizes each real file by its content, whatever it is called; registry order settles an overlap", async () => {
    const root = tempWorkspace({
      "a.json": realFixture("promptfoo/output.json"),
      "b.txt": realFixture("promptfoo/sample-export.json"),
      "c.jsonl": realFixture("openai-evals/test-match.jsonl"),
      "d.log": realFixture("openai-evals/oriprompt.log"),
      "e.json": realFixture("inspect-ai/2025-05-12T20-28-26-04-00_security-guide.json"),
      f: realFixture("inspect-ai/log_read_sample.json"),
      "g.jsonl": jsonl(evalRow()),
      "h.json": jsonl(evalRow({results: {version: 3}, evalId: "looks like promptfoo but is one row"}))
    });
    const files = await listWorkspaceFiles(root);
    const detected = Object.fromEntries(
      files.map((f) => [f.name, adapters.filter((a) => a.detect(f)).map((a) => a.name)])
    );
    expect(detected).toEqual({
      "a.json": ["promptfoo"],
      "b.txt": ["promptfoo"],
      "c.jsonl": ["openai-evals"],
      "d.log": ["openai-evals"],
      "e.json": ["inspect-ai"],
      f: ["inspect-ai"],
      "g.jsonl": ["native-jsonl"],
      // A one-line native row that happens to carry promptfoo's key names is still a promptfoo-shaped document
      // by its keys; the first adapter in the registry (promptfoo) claims it and reports what it lacks.
      "h.json": ["promptfoo", "native-jsonl"]
    });
  });
});

describe("topLevelKeys(head)", () => {
  test("reads the keys of a document cut off anywhere, skipping nested objects and strings", () => {
    expect(topLevelKeys(`{"evalId": "x", "results": {"version": 3, "results": [{"a": "}"`)).toEqual([
      "evalId",
      "results"
    ]);
    expect(topLevelKeys(`  {"a": [1, {"b": 2}], "c\\"d": "e:f", "g"`)).toEqual(["a", 'c"d']);
    expect(topLevelKeys(`[1, 2]`)).toBeUndefined();
    expect(topLevelKeys(``)).toBeUndefined();
  });
});

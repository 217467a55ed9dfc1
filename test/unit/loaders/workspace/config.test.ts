import {describe, expect, test} from "vitest";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseConfig, resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {tempWorkspace} from "../../../helpers.js";

const file = "ws/workbench.config.json";
const error = (text: string) => {
  try {
    parseConfig(text, file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected parseConfig to fail");
};

describe("parseConfig(text, file)", () => {
  test("applies defaults to an empty config", () => {
    expect(parseConfig("{}", file)).toEqual({
      sources: [],
      prices: [],
      launches: [],
      classifiers: [],
      experiments: [],
      checks: {earliest_time: "1990-01-01T00:00:00Z", future_tolerance_hours: 24},
      privacy: {redact_free_text: true, excerpt_chars: 160}
    });
  });

  test("names the file, the dotted key and what was expected", () => {
    const text = JSON.stringify({
      launches: [
        {feature: "chat", suite: "golden", candidate: {model: "m"}, gates: [{metric: "pass_rate", min: "0.85"}]}
      ]
    });
    expect(error(text)).toBe(
      "! ws/workbench.config.json: launches[0].gates[0].min: Invalid input: expected number, received string"
    );
  });

  test("reports a misspelled key instead of ignoring it", () => {
    const text = JSON.stringify({
      launches: [
        {feature: "chat", suite: "golden", candidate: {model: "m"}, gates: [{metric: "pass_rate", minimum: 0.85}]}
      ]
    });
    expect(error(text)).toContain('launches[0].gates[0]: Unrecognized key: "minimum"');
  });

  test("rejects an unknown gate metric and lists the known ones", () => {
    const text = JSON.stringify({
      launches: [{feature: "chat", suite: "golden", candidate: {model: "m"}, gates: [{metric: "vibes", min: 1}]}]
    });
    expect(error(text)).toMatch(
      /^! ws\/workbench.config.json: launches\[0\].gates\[0\].metric: Invalid option: expected one of "pass_rate"\|/
    );
  });

  test("rejects a gate with both min and max", () => {
    const text = JSON.stringify({
      launches: [
        {feature: "chat", suite: "golden", candidate: {model: "m"}, gates: [{metric: "pass_rate", min: 0.8, max: 0.9}]}
      ]
    });
    expect(error(text)).toBe(
      "! ws/workbench.config.json: launches[0].gates[0]: a gate needs exactly one of min or max"
    );
  });

  test("rejects an unknown source format", () => {
    expect(error(JSON.stringify({sources: [{path: "*.csv", format: "excel"}]}))).toMatch(
      /^! ws\/workbench.config.json: sources\[0\].format: unknown format "excel"; expected one of .*native-jsonl, native-csv$/
    );
  });

  test("says where invalid JSON is", () => {
    expect(error('{"prices": [}')).toMatch(
      /^! ws\/workbench.config.json: not valid JSON \(.*\)\. Fix the syntax and build again\.$/
    );
  });
});

describe("resolveWorkspace(env, base)", () => {
  test("WORKBENCH_WORKSPACE selects the folder and its config overrides the project's", () => {
    const project = tempWorkspace({
      "workbench.config.json": JSON.stringify({workspace: "elsewhere", privacy: {excerpt_chars: 80}})
    });
    const ws = tempWorkspace({
      "workbench.config.json": JSON.stringify({prices: [{model: "m", input_per_mtok: 1, output_per_mtok: 2}]})
    });
    const resolved = resolveWorkspace({WORKBENCH_WORKSPACE: ws}, project);
    expect(resolved.root).toBe(ws);
    expect(resolved.config.prices).toEqual([{model: "m", input_per_mtok: 1, output_per_mtok: 2}]);
    expect(resolved.config.privacy).toEqual({redact_free_text: true, excerpt_chars: 80});
  });

  test("a missing workspace folder names where it was configured", () => {
    const project = tempWorkspace({});
    writeFileSync(join(project, "workbench.config.json"), JSON.stringify({workspace: "nope"}));
    expect(() => resolveWorkspace({}, project)).toThrow(
      /"workspace" in .*workbench.config.json: workspace folder .*nope does not exist/
    );
    expect(() => resolveWorkspace({WORKBENCH_WORKSPACE: join(project, "gone")}, project)).toThrow(
      /^! WORKBENCH_WORKSPACE: workspace folder/
    );
  });
});

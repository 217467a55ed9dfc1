// Builds the real site (seeded npm cache, warehouse, Framework) and reads the data files it wrote.
// One file, run in sequence: builds share Framework's cache folder.
import {spawnSync} from "node:child_process";
import {cpSync, mkdtempSync, readFileSync, readdirSync, appendFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {projectRoot} from "../../loaders/workspace/config.js";

interface Build {
  status: number | null;
  output: string;
  dist: string;
}

function build(env: Record<string, string>, args: string[] = []): Build {
  const dist = mkdtempSync(join(tmpdir(), "workbench-dist-"));
  const result = spawnSync(join(projectRoot, "node_modules", ".bin", "tsx"), ["scripts/build.ts", ...args], {
    cwd: projectRoot,
    env: {...process.env, ...env, WORKBENCH_OUTPUT: dist},
    encoding: "utf8",
    timeout: 600_000,
  });
  return {status: result.status, output: `${result.stdout}\n${result.stderr}`, dist};
}

/** Framework writes a loader's output as dist/_file/data/<name>.<hash>.<ext>. */
function dataFile(dist: string, name: string): string {
  const dir = join(dist, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name} data file in ${dir}: ${readdirSync(dir).join(", ")}`);
  return readFileSync(join(dir, file), "utf8");
}

function dataFiles(dist: string): Record<string, string> {
  const dir = join(dist, "_file", "data");
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

const nonEmptyLines = (path: string) => readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).length;

const evalLine = (case_id: string, passed: boolean) =>
  JSON.stringify({run_id: "r1", case_id, suite: "golden", started_at: "2026-11-01T09:00:00Z", model: "gpt-4.1", passed}) + "\n";

describe("npm run build", {timeout: 600_000}, () => {
  test("builds the sample workspace and accounts for every row of every file", () => {
    const result = build({});
    expect(result.status, result.output).toBe(0);
    const overview = JSON.parse(dataFile(result.dist, "overview"));
    const sample = join(projectRoot, "data", "sample");
    const expected = readdirSync(sample).filter((f) => f.endsWith(".jsonl")).reduce((n, f) => n + nonEmptyLines(join(sample, f)), 0);
    expect(overview.totals.rows_in).toBe(expected);
    expect(overview.totals.rows_accepted + overview.totals.rows_quarantined).toBe(overview.totals.rows_in);
    for (const t of overview.tables) expect(t.rows, `${t.table} should have sample rows`).toBeGreaterThan(0);
  });

  test("shows new numbers after a raw file changes, and byte-identical data when nothing did", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    writeFileSync(join(ws, "evals.jsonl"), evalLine("a", true) + evalLine("b", false));
    const first = build({WORKBENCH_WORKSPACE: ws});
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("warehouse rebuilt");
    const again = build({WORKBENCH_WORKSPACE: ws});
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("warehouse current");
    expect(dataFiles(again.dist)).toEqual(dataFiles(first.dist));

    appendFileSync(join(ws, "evals.jsonl"), evalLine("c", true));
    const changed = build({WORKBENCH_WORKSPACE: ws});
    expect(changed.status, changed.output).toBe(0);
    expect(JSON.parse(dataFile(first.dist, "overview")).totals.rows_accepted).toBe(2);
    expect(JSON.parse(dataFile(changed.dist, "overview")).totals.rows_accepted).toBe(3);
  });

  test("a malformed file still builds, with its rows in the quarantine; --strict fails naming them", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    cpSync(join(projectRoot, "test", "fixtures", "malformed"), ws, {recursive: true});
    const lenient = build({WORKBENCH_WORKSPACE: ws});
    expect(lenient.status, lenient.output).toBe(0);
    const quarantine = JSON.parse(dataFile(lenient.dist, "quarantine"));
    expect(quarantine.rows.map((r: {source_file: string; line: number; field: string}) => [r.source_file, r.line, r.field])).toEqual([
      ["evals.jsonl", 2, null],
      ["evals.jsonl", 3, "passed"],
      ["evals.jsonl", 4, "model"],
    ]);
    const strict = build({WORKBENCH_WORKSPACE: ws}, ["--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.output).toContain("--strict: 3 input problems");
    expect(strict.output).toContain("evals.jsonl:3 passed: passed: expected true or false, got \"sometimes\"");
  });
});

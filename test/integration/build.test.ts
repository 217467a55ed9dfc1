// Builds the real site (seeded npm cache, warehouse, Framework) and reads the data files it wrote.
// One file, run in sequence: builds share Framework's cache folder.
import {randomUUID} from "node:crypto";
import {cpSync, mkdtempSync, readFileSync, readdirSync, appendFileSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, inject, test} from "vitest";
import {scanDist} from "../../loaders/hermetic/scanDist.js";
import {canonicalTables} from "../../loaders/schema/tables.js";
import {projectRoot, resolveWorkspace} from "../../loaders/workspace/config.js";
import {warehousePath} from "../../loaders/warehouse/warehouse.js";
import {completion, fakeOpenAI, faithfulAnswer} from "../fakeOpenAI.js";
import {newHostileSiteFolder, rememberHostileSite} from "../hostile/builtSite.js";
import {writeHostileWorkspace} from "../hostile/workspace.js";
import {plantedNeedles, plantedSecrets} from "../plantedSecrets.js";
import {removeWarehouse} from "./dataLoaders.js";
import {build, buildAsync, builtData, cachedData, dataFile, dataText, prepareData} from "./siteBuild.js";

/** Files under dir whose bytes contain needle. */
function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && readFileSync(join(entry.parentPath, entry.name)).includes(needle))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every data file but the build stamp, which holds the build's own time (scripts/pipeline.ts writes it
 * every build), by its path under _file/data/: the pages' JSON and the Explore page's Parquet files.
 */
const withoutStamp = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith("build-stamp.")));

const nonEmptyLines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim()).length;

const evalLine = (case_id: string, passed: boolean) =>
  JSON.stringify({
    run_id: "r1",
    case_id,
    suite: "golden",
    started_at: "2026-11-01T09:00:00Z",
    model: "gpt-4.1",
    passed
  }) + "\n";

describe("npm run build", {timeout: 600_000}, () => {
  test("builds the sample workspace and accounts for every row of every file", () => {
    const result = inject("sampleSite");
    expect(result.status, result.output).toBe(0);
    const overview = JSON.parse(dataFile(result.dist, "overview"));
    const sample = join(projectRoot, "data", "sample");
    const expected = readdirSync(sample)
      .filter((f) => f.endsWith(".jsonl"))
      .reduce((n, f) => n + nonEmptyLines(join(sample, f)), 0);
    expect(overview.totals.rows_in).toBe(expected);
    expect(overview.totals.rows_accepted + overview.totals.rows_quarantined).toBe(overview.totals.rows_in);
    for (const t of overview.tables) expect(t.rows, `${t.table} should have sample rows`).toBeGreaterThan(0);
    // The sample plants emails and phone numbers in free text; none may reach the site.
    expect(result.output).toContain("for secrets and personal data: none found");
  });

  // The two drafting builds are of the sample workspace too, right after the shared build: Framework's
  // loader cache still holds its outputs then, so only the brief's draft is computed again.
  test("drafts the brief through an OpenAI-compatible server when a key is set; the key reaches neither dist/ nor the output", async () => {
    const apiKey = `sk-test-${randomUUID()}`;
    const server = await fakeOpenAI((request) => completion(faithfulAnswer(request)));
    try {
      const result = await buildAsync({
        OPENAI_API_KEY: apiKey,
        OPENAI_BASE_URL: server.baseURL,
        WORKBENCH_BRIEF_MODEL: "fake-model"
      });
      expect(result.status, result.output).toBe(0);
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${apiKey}`]);
      expect(JSON.parse(dataFile(result.dist, "brief-draft"))).toMatchObject({
        mode: "drafted",
        model: "fake-model",
        reason: null
      });
      expect(result.output).toContain("brief: model draft accepted (fake-model)");
      expect(result.output).not.toContain(apiKey);
      expect(filesContaining(result.dist, apiKey)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test("a model server that never answers costs the timeout, not the build", async () => {
    const apiKey = `sk-test-${randomUUID()}`;
    const server = await fakeOpenAI(() => "hang");
    try {
      const result = await buildAsync({
        OPENAI_API_KEY: apiKey,
        OPENAI_BASE_URL: server.baseURL,
        WORKBENCH_BRIEF_TIMEOUT_MS: "500"
      });
      expect(result.status, result.output).toBe(0);
      expect(JSON.parse(dataFile(result.dist, "brief-draft"))).toEqual({
        mode: "deterministic",
        model: "gpt-4.1-mini",
        reason: "the model call timed out after 500 ms"
      });
      expect(result.output).toContain("brief: model draft not used: the model call timed out after 500 ms");
      expect(result.output).not.toContain(apiKey);
      expect(filesContaining(result.dist, apiKey)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  // Early in the file: the browser files open the site it remembers (test/hostile/builtSite.ts), and in CI
  // hostile.test.ts, which runs beside npm test, waits for it rather than building the same site again.
  test("the hostile workspace builds, accounting for every record of every file; --strict fails naming file and line", () => {
    const {root, expected} = writeHostileWorkspace();
    try {
      const lenient = build({WORKBENCH_WORKSPACE: root}, [], newHostileSiteFolder());
      expect(lenient.status, lenient.output).toBe(0);
      const files = JSON.parse(dataFile(lenient.dist, "overview")).files as {
        file: string;
        status: string;
        rows_in: number;
        rows_accepted: number;
        rows_quarantined: number;
      }[];
      const got = files.map((f) => ({
        file: f.file,
        status: f.status,
        rowsIn: f.rows_in,
        accepted: f.rows_accepted,
        quarantined: f.rows_quarantined
      }));
      const want = expected.map((e) => ({
        file: e.file,
        status: e.status,
        rowsIn: e.rowsIn,
        accepted: e.accepted,
        quarantined: e.quarantined
      }));
      expect(got).toEqual([...want].sort((a, b) => (a.file < b.file ? -1 : 1)));
      for (const f of got) expect(f.rowsIn, f.file).toBe(f.accepted + f.quarantined);
      // The link leaving the workspace is listed, and its target's rows reach no data file.
      expect(filesContaining(lenient.dist, "span-200")).toEqual([]);
      // The planted keys and emails are redacted where they are text; none reaches the site.
      expect(lenient.output).toContain("for secrets and personal data: none found");
      expect(scanDist(lenient.dist)).toEqual([]);
      // The browser tests open every page of this site rather than building the same one again.
      rememberHostileSite(lenient.dist);

      const strict = build({WORKBENCH_WORKSPACE: root}, ["--strict"]);
      expect(strict.status).toBe(1);
      expect(strict.output).toContain("evals.jsonl:7 input_tokens: input_tokens: expected ≤ 1000000000");
      expect(strict.output).toContain("bad-escape.json: promptfoo: not valid JSON at line 4, column 8");
      expect(strict.output).toContain("outside-link.jsonl: refused: a symlink to");
    } finally {
      removeWarehouse(root);
    }
  });

  // The builds before each test's last run prepare() alone (prepareData): what they are asked about is the
  // warehouse and the page data, and Framework's build of the pages would only copy that data into dist/.
  // The last is npm run build, whose dist/ must show the new numbers and hold exactly the data prepare()
  // wrote (so the snapshots before it read what a build would have published).
  test("shows new numbers after a raw file changes, and byte-identical data when nothing did", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    writeFileSync(join(ws, "evals.jsonl"), evalLine("a", true) + evalLine("b", false));
    const first = prepareData({WORKBENCH_WORKSPACE: ws});
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("warehouse built from empty");
    const again = prepareData({WORKBENCH_WORKSPACE: ws});
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("warehouse current");
    expect(withoutStamp(again.data)).toEqual(withoutStamp(first.data));
    expect(dataText(again.data, "build-stamp"), "each build is stamped with its own time").not.toBe(
      dataText(first.data, "build-stamp")
    );

    appendFileSync(join(ws, "evals.jsonl"), evalLine("c", true));
    const changed = build({WORKBENCH_WORKSPACE: ws});
    expect(changed.status, changed.output).toBe(0);
    expect(changed.output).toContain("warehouse updated in place: 1 new or changed file(s) read");
    const published = builtData(changed.dist);
    expect(published, "dist/ holds the page data prepare() wrote, named as cachedData() names it").toEqual(
      cachedData()
    );
    expect(JSON.parse(dataText(first.data, "overview")).totals.rows_accepted).toBe(2);
    expect(JSON.parse(dataFile(changed.dist, "overview")).totals.rows_accepted).toBe(3);
    // The Explore page's Parquet copy of the table is never stale either (its name carries its content's hash).
    const evalParquet = (files: Record<string, string>) =>
      Object.keys(files).find((name) => name.startsWith(join("explore", "eval_results.")));
    expect(evalParquet(published)).toBeDefined();
    expect(evalParquet(published)).not.toBe(evalParquet(first.data));
  });

  test("a changed gate threshold re-ingests nothing and shows the new threshold; other pages keep their data", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    writeFileSync(join(ws, "evals.jsonl"), evalLine("a", true) + evalLine("b", false));
    const launch = (min: number) => ({
      launches: [{feature: "chat", suite: "golden", candidate: {model: "gpt-4.1"}, gates: [{metric: "pass_rate", min}]}]
    });
    writeFileSync(join(ws, "workbench.config.json"), JSON.stringify(launch(0.4)));
    const first = prepareData({WORKBENCH_WORKSPACE: ws});
    expect(first.status, first.output).toBe(0);
    const warehouse = warehousePath(resolveWorkspace({WORKBENCH_WORKSPACE: ws}));
    const before = statSync(warehouse);
    writeFileSync(join(ws, "workbench.config.json"), JSON.stringify(launch(0.9)));
    const changed = build({WORKBENCH_WORKSPACE: ws});
    expect(changed.status, changed.output).toBe(0);
    expect(changed.output).toContain("warehouse current");
    expect(changed.output).toMatch(/page data: \d+ computed \([^)]*launch-gate[^)]*\)/);
    const after = statSync(warehouse);
    expect({ino: after.ino, mtimeMs: after.mtimeMs}).toEqual({ino: before.ino, mtimeMs: before.mtimeMs});
    expect(builtData(changed.dist), "dist/ holds the page data prepare() wrote").toEqual(cachedData());
    const threshold = (json: string) => JSON.parse(json).launches[0].gates[0].threshold;
    expect([threshold(dataText(first.data, "launch-gate")), threshold(dataFile(changed.dist, "launch-gate"))]).toEqual([
      0.4, 0.9
    ]);
    expect(dataFile(changed.dist, "overview")).toBe(dataText(first.data, "overview"));
    removeWarehouse(ws);
  });

  test("a malformed file still builds, with its rows in the quarantine; --strict fails naming them", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    cpSync(join(projectRoot, "test", "fixtures", "malformed"), ws, {recursive: true});
    const lenient = build({WORKBENCH_WORKSPACE: ws});
    expect(lenient.status, lenient.output).toBe(0);
    const quarantine = JSON.parse(dataFile(lenient.dist, "quarantine"));
    expect(
      quarantine.rows.map((r: {source_file: string; line: number; field: string}) => [r.source_file, r.line, r.field])
    ).toEqual([
      ["evals.jsonl", 2, null],
      ["evals.jsonl", 3, "passed"],
      ["evals.jsonl", 4, "model"]
    ]);
    const strict = build({WORKBENCH_WORKSPACE: ws}, ["--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.output).toContain("--strict: 3 input problems");
    expect(strict.output).toContain('evals.jsonl:3 passed: passed: expected true or false, got "sometimes"');
    const listFile = /every problem, one a line: (.+)$/m.exec(strict.output)?.[1];
    expect(listFile, strict.output).toBeDefined();
    expect(readFileSync(listFile!, "utf8").trimEnd().split("\n")).toHaveLength(3);
  });

  test("an output folder that cannot be written fails the build at once, naming it", () => {
    const blocker = join(mkdtempSync(join(tmpdir(), "workbench-out-")), "a-file");
    writeFileSync(blocker, "");
    const output = join(blocker, "dist");
    const result = build({}, [], output);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`cannot write the output folder ${output}: ENOTDIR`);
  });
});

// A workspace whose every free-text field, and a quarantined row, hold secrets and personal data:
// dist/ is read both with the scanner and byte by byte for the planted strings. An identifier is kept
// exact (it joins), so a secret planted there is the scan's to catch.
const leak = `Customer ${plantedSecrets.join(" ; ")} end`;

/** Every free-text field of a row set to the leak. */
const leaky = (table: string, row: Record<string, unknown>) => {
  const spec = canonicalTables.find((t) => t.name === table)!;
  return {...row, ...Object.fromEntries(spec.fields.filter((f) => f.freeText).map((f) => [f.name, leak]))};
};
const jsonLines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

function leakyWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
  const evals = [];
  for (const [run, day, model] of [
    ["r1", "01", "gpt-4.1"],
    ["r2", "08", "gpt-4.1-mini"]
  ]) {
    for (let i = 0; i < 30; i++) {
      evals.push(
        leaky("eval_results", {
          run_id: run,
          case_id: `c${i}`,
          suite: "golden",
          feature: "support-chat",
          started_at: `2026-11-${day}T09:00:00Z`,
          model,
          category: i % 2 ? "billing" : "refunds",
          passed: run === "r1" || i % 3 !== 0,
          score: run === "r1" ? 1 : 0.5
        })
      );
    }
  }
  // A bad row: its reason quotes the bad value, and the Data quality page shows its raw line.
  evals.push({...evals[0], case_id: "bad", started_at: "jane.doe@example.com"});
  const spans = [];
  for (let i = 0; i < 20; i++) {
    spans.push(
      leaky("spans", {
        trace_id: `t${i}`,
        span_id: "s1",
        name: "support-chat",
        kind: "llm",
        start_time: `2026-11-0${1 + (i % 9)}T10:00:00Z`,
        duration_ms: 900 + i,
        feature: "support-chat",
        model: "gpt-4.1",
        status: i % 5 ? "ok" : "error",
        input_tokens: 100,
        output_tokens: 20
      })
    );
  }
  const corrections = [];
  for (let i = 0; i < 20; i++) {
    corrections.push(
      leaky("corrections", {
        event_id: `e${i}`,
        at: `2026-11-0${1 + (i % 9)}T11:00:00Z`,
        feature: "support-chat",
        model: "gpt-4.1",
        action: i % 2 ? "edited" : "accepted",
        original_text: `Reply ${i}`
      })
    );
  }
  const flags = [];
  for (let i = 0; i < 10; i++) {
    flags.push(
      leaky("flags", {
        flag_id: `f${i}`,
        at: `2026-11-0${1 + (i % 9)}T12:00:00Z`,
        feature: "support-chat",
        category: "pii-leak",
        severity: "high",
        status: i % 2 ? "open" : "resolved"
      })
    );
  }
  writeFileSync(join(ws, "evals.jsonl"), jsonLines(evals));
  writeFileSync(join(ws, "spans.jsonl"), jsonLines(spans));
  writeFileSync(join(ws, "corrections.jsonl"), jsonLines(corrections));
  writeFileSync(join(ws, "flags.jsonl"), jsonLines(flags));
  return ws;
}

describe("secrets and personal data in the built site (docs/privacy.md)", {timeout: 900_000}, () => {
  test("holds none of the secrets planted in every free-text field and in a quarantined row, and the scan agrees", () => {
    const result = build({WORKBENCH_WORKSPACE: leakyWorkspace()});
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("for secrets and personal data: none found");
    expect(scanDist(result.dist)).toEqual([]);
    for (const secret of plantedNeedles) expect(filesContaining(result.dist, secret), secret).toEqual([]);
    // The leak was shown, redacted: the pages are not empty of it.
    expect(filesContaining(result.dist, "[email]").length).toBeGreaterThan(0);

    // A secret written into the built site afterwards is found, with its file and detector.
    const page = join(result.dist, "safety.html");
    writeFileSync(page, readFileSync(page, "utf8").replace("</body>", "<p>ops@example.org</p></body>"));
    expect(scanDist(result.dist)).toEqual([{file: "safety.html", detector: "email", masked: "op***********rg"}]);
  });

  test("a secret in an identifier, which is kept exact, fails a --strict build naming the file and detector but not the secret", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    const row = (case_id: string) => ({
      run_id: "r1",
      case_id,
      suite: "golden",
      started_at: "2026-11-01T09:00:00Z",
      model: "gpt-4.1",
      category: "jane.doe@example.com",
      passed: true
    });
    writeFileSync(join(ws, "evals.jsonl"), jsonLines([row("a"), row("b")]));
    const strict = build({WORKBENCH_WORKSPACE: ws}, ["--strict"]);
    expect(strict.status, strict.output).toBe(1);
    expect(strict.output).toMatch(/--strict: \d+ possible secrets or personal data in /);
    expect(strict.output).toMatch(/_file\/data\/[\w.-]+\.json: email \(ja\*+om\)/);
    expect(strict.output).not.toContain("jane.doe@example.com");
    const lenient = build({WORKBENCH_WORKSPACE: ws});
    expect(lenient.status, lenient.output).toBe(0);
    expect(lenient.output).toMatch(/warning: \d+ possible secrets or personal data/);
  });
});

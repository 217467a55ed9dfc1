// Builds the site from a workspace whose every free-text field, and whose quarantined rows, hold
// secrets and personal data, and reads dist/ both with the scanner and byte by byte for the planted
// strings. An identifier is kept exact (it joins), so a secret planted there is the scan's to catch.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {scanDist} from "../../loaders/hermetic/scanDist.js";
import {canonicalTables} from "../../loaders/schema/tables.js";
import {projectRoot} from "../../loaders/workspace/config.js";

function build(workspace: string, args: string[] = []): {status: number | null; output: string; dist: string} {
  const dist = mkdtempSync(join(tmpdir(), "workbench-dist-"));
  const result = spawnSync(join(projectRoot, "node_modules", ".bin", "tsx"), ["scripts/build.ts", ...args], {
    cwd: projectRoot,
    env: {...process.env, OPENAI_API_KEY: "", WORKBENCH_WORKSPACE: workspace, WORKBENCH_OUTPUT: dist},
    encoding: "utf8",
    timeout: 600_000,
  });
  return {status: result.status, output: `${result.stdout}\n${result.stderr}`, dist};
}

/** What a leak would look like, one per detector kind; each string is searched for verbatim in dist/. */
const planted = [
  "AKIAIOSFODNN7EXAMPLE",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "xoxb-1234567890-abcdefghij",
  "sk-proj-abcdefghijklmnop1234",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "abc123def456ghi789jkl",
  "MIIEpAIBAAKCAQEA",
  "GB82 WEST 1234 5698 7654 32",
  "3782 822463 10005",
  "+44 20 7946 0958",
  "jane.doe@example.com",
  "192.168.1.20",
];
const leak = `Customer jane.doe@example.com (+44 20 7946 0958, 192.168.1.20) paid by 3782 822463 10005 / GB82 WEST 1234 5698 7654 32; Bearer abc123def456ghi789jkl AKIAIOSFODNN7EXAMPLE ghp_abcdefghijklmnopqrstuvwxyz0123456789 xoxb-1234567890-abcdefghij sk-proj-abcdefghijklmnop1234 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----`;

/** Every free-text field of a row set to the leak. */
const leaky = (table: string, row: Record<string, unknown>) => {
  const spec = canonicalTables.find((t) => t.name === table)!;
  return {...row, ...Object.fromEntries(spec.fields.filter((f) => f.freeText).map((f) => [f.name, leak]))};
};
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

function leakyWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
  const evals = [];
  for (const [run, day, model] of [["r1", "01", "gpt-4.1"], ["r2", "08", "gpt-4.1-mini"]]) {
    for (let i = 0; i < 30; i++) {
      evals.push(leaky("eval_results", {run_id: run, case_id: `c${i}`, suite: "golden", feature: "support-chat", started_at: `2026-11-${day}T09:00:00Z`, model, category: i % 2 ? "billing" : "refunds", passed: run === "r1" || i % 3 !== 0, score: run === "r1" ? 1 : 0.5}));
    }
  }
  // A bad row: its reason quotes the bad value, and the Data quality page shows its raw line.
  evals.push({...evals[0], case_id: "bad", started_at: "jane.doe@example.com"});
  const spans = [];
  for (let i = 0; i < 20; i++) {
    spans.push(leaky("spans", {trace_id: `t${i}`, span_id: "s1", name: "support-chat", kind: "llm", start_time: `2026-11-0${1 + (i % 9)}T10:00:00Z`, duration_ms: 900 + i, feature: "support-chat", model: "gpt-4.1", status: i % 5 ? "ok" : "error", input_tokens: 100, output_tokens: 20}));
  }
  const corrections = [];
  for (let i = 0; i < 20; i++) {
    corrections.push(leaky("corrections", {event_id: `e${i}`, at: `2026-11-0${1 + (i % 9)}T11:00:00Z`, feature: "support-chat", model: "gpt-4.1", action: i % 2 ? "edited" : "accepted", original_text: `Reply ${i}`}));
  }
  const flags = [];
  for (let i = 0; i < 10; i++) {
    flags.push(leaky("flags", {flag_id: `f${i}`, at: `2026-11-0${1 + i % 9}T12:00:00Z`, feature: "support-chat", category: "pii-leak", severity: "high", status: i % 2 ? "open" : "resolved"}));
  }
  writeFileSync(join(ws, "evals.jsonl"), jsonl(evals));
  writeFileSync(join(ws, "spans.jsonl"), jsonl(spans));
  writeFileSync(join(ws, "corrections.jsonl"), jsonl(corrections));
  writeFileSync(join(ws, "flags.jsonl"), jsonl(flags));
  return ws;
}

/** Files under dir whose bytes contain needle. */
function filesContaining(dir: string, needle: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && readFileSync(join(entry.parentPath, entry.name)).includes(needle))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("the built site", {timeout: 900_000}, () => {
  test("holds none of the secrets planted in every free-text field and in a quarantined row, and the scan agrees", () => {
    const result = build(leakyWorkspace());
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("for secrets and personal data: none found");
    expect(scanDist(result.dist)).toEqual([]);
    for (const secret of planted) expect(filesContaining(result.dist, secret), secret).toEqual([]);
    // The leak was shown, redacted: the pages are not empty of it.
    expect(filesContaining(result.dist, "[email]").length).toBeGreaterThan(0);

    // A secret written into the built site afterwards is found, with its file and detector.
    const page = join(result.dist, "safety.html");
    writeFileSync(page, readFileSync(page, "utf8").replace("</body>", "<p>ops@example.org</p></body>"));
    expect(scanDist(result.dist)).toEqual([{file: "safety.html", detector: "email", masked: "op***********rg"}]);
  });

  test("a secret in an identifier, which is kept exact, fails a --strict build naming the file and detector but not the secret", () => {
    const ws = mkdtempSync(join(tmpdir(), "workbench-ws-"));
    const row = (case_id: string) => ({run_id: "r1", case_id, suite: "golden", started_at: "2026-11-01T09:00:00Z", model: "gpt-4.1", category: "jane.doe@example.com", passed: true});
    writeFileSync(join(ws, "evals.jsonl"), jsonl([row("a"), row("b")]));
    const strict = build(ws, ["--strict"]);
    expect(strict.status, strict.output).toBe(1);
    expect(strict.output).toMatch(/--strict: \d+ possible secrets or personal data in /);
    expect(strict.output).toMatch(/_file\/data\/[\w.-]+\.json: email \(ja\*+om\)/);
    expect(strict.output).not.toContain("jane.doe@example.com");
    const lenient = build(ws);
    expect(lenient.status, lenient.output).toBe(0);
    expect(lenient.output).toMatch(/warning: \d+ possible secrets or personal data/);
  });
});

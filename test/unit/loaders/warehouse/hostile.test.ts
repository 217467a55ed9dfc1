// The hostile workspace (test/hostile/workspace.ts) ingested in memory: every file is accounted for,
// rows in = accepted + quarantined = the records the file holds, and nothing it does throws.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {SourceFile} from "../../../../loaders/queries/overview.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../../../loaders/warehouse/ingest.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {payloads, prototypeNames, writeHostileWorkspace, type Expected} from "../../../hostile/workspace.js";

let db: Database;
let expected: Expected[];
let root: string;

beforeAll(async () => {
  const hostile = writeHostileWorkspace();
  expected = hostile.expected;
  root = hostile.root;
  db = await openDatabase();
  const workspace = resolveWorkspace({WORKBENCH_WORKSPACE: hostile.root});
  await ingestWorkspace(db, workspace.root, workspace.config);
});
afterAll(() => db?.close());

describe("the hostile workspace", () => {
  test("lists every file once, with the status its content calls for", async () => {
    const sources = await db.query<SourceFile>(`SELECT * FROM sources ORDER BY file`);
    expect(sources.map((s) => [s.file, s.status])).toEqual(
      expected.map((e) => [e.file, e.status]).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    );
  });

  test.each(Array.from({length: 20}, (_, i) => i))(
    "file %i: rows in = accepted + quarantined = the records it holds",
    async (i) => {
      const e = expected[i];
      const [s] = await db.query<SourceFile>(`SELECT * FROM sources WHERE file = $file`, {file: e.file});
      expect({
        file: s.file,
        table: s.table_name ?? undefined,
        rowsIn: s.rows_in,
        accepted: s.rows_accepted,
        quarantined: s.rows_quarantined
      }).toEqual({
        file: e.file,
        table: e.table,
        rowsIn: e.rowsIn,
        accepted: e.accepted,
        quarantined: e.quarantined
      });
      expect(s.rows_in).toBe(s.rows_accepted + s.rows_quarantined);
      if (e.reason) {
        const reasons = await db.query<{reason: string}>(
          `SELECT reason FROM quarantine WHERE source_file = $file UNION ALL SELECT message FROM sources WHERE file = $file AND message IS NOT NULL`,
          {file: e.file}
        );
        expect(reasons.map((r) => r.reason).join("\n")).toContain(e.reason);
      }
    }
  );

  test("covers every expected file", () => {
    expect(expected).toHaveLength(21);
  });

  test("keeps prototype member names as features and models", async () => {
    const rows = await db.query<{name: string}>(
      `SELECT feature AS name FROM eval_results UNION SELECT model FROM eval_results ORDER BY name`
    );
    expect(rows.map((r) => r.name)).toEqual([...prototypeNames].sort());
  });

  test("quarantines the nightly run of three suites whole, with one reason quoting its suites as text", async () => {
    const rows = await db.query<{field: string; reason: string}>(
      `SELECT DISTINCT field, reason FROM quarantine WHERE source_file = 'nightly.jsonl'`
    );
    const suites = [...payloads.slice(0, 3)].sort().join(", ");
    expect(rows).toEqual([
      {
        field: "suite",
        reason: `run nightly-${payloads[0]} names 3 suites (${suites}): one run_id is one suite's run; give each suite's run its own run_id`
      }
    ]);
  });

  test("quarantines an absurd value naming its field, line and bound", async () => {
    const rows = await db.query(
      `SELECT line, field, reason FROM quarantine WHERE source_file = 'evals.jsonl' ORDER BY line`
    );
    expect(rows).toEqual([
      {line: 7, field: "input_tokens", reason: 'input_tokens: expected ≤ 1000000000, got "1000000000000"'},
      {line: 8, field: "latency_ms", reason: 'latency_ms: expected ≤ 86400000, got "172800000"'},
      {
        line: 9,
        field: "started_at",
        reason: 'started_at: expected at or after 1990-01-01T00:00:00.000Z, got "1985-06-01T00:00:00Z"'
      },
      {
        line: 10,
        field: "started_at",
        reason:
          'started_at: expected at or before 2026-12-02T00:00:00.000Z (the build day plus the future tolerance in workbench.config.json checks), got "2100-01-01T00:00:00Z"'
      },
      {
        line: 11,
        field: "input_chars",
        reason: 'input_chars: too large for a whole-number column (beyond 2^53), got "1e+30"'
      },
      {
        line: 12,
        field: "epoch",
        reason: 'epoch: too large for a whole-number column (beyond 2^53), got "99999999999999999999999"'
      },
      {
        line: 13,
        field: "output_tokens",
        reason: 'output_tokens: too large for a whole-number column (beyond 2^53), got "9300000000000000000"'
      }
    ]);
  });

  test("names the line of the bad UTF-8 record and of the stray quote", async () => {
    const rows = await db.query(
      `SELECT source_file, line, reason FROM quarantine WHERE source_file IN ('invalid-utf8.jsonl', 'corrections.csv') ORDER BY ALL`
    );
    expect(rows).toEqual([
      {
        source_file: "corrections.csv",
        line: 3,
        reason: 'unreadable CSV record: Invalid Opening Quote: a quote is found on field 4 at line 3, value is "a "'
      },
      {
        source_file: "invalid-utf8.jsonl",
        line: 3,
        reason: "invalid UTF-8: this line holds bytes that are not UTF-8 text"
      }
    ]);
  });

  test("the record after the stray quote is read whole", async () => {
    const rows = await db.query(
      `SELECT event_id, original_text FROM corrections WHERE source_file = 'corrections.csv' ORDER BY event_id`
    );
    expect(rows.map((r) => r.event_id)).toEqual(["c-1", "c-3", "c-4"]);
    // An independent reading of the raw file: the data lines that carry no quote character.
    const lines = readFileSync(join(root, "corrections.csv"), "utf8")
      .split("\n")
      .slice(1)
      .filter((l) => l !== "");
    expect(lines.filter((l) => !l.includes('"')).map((l) => l.split(",")[0])).toEqual(["c-1", "c-3", "c-4"]);
  });
});

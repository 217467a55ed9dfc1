// Every string field of every canonical table, planted with secrets and personal data, ingested
// through both paths (DuckDB's reader for a clean file, staging for a file with a bad row) and the
// duplicate check: free text keeps none of it, identifiers keep it exactly (they join; the scan of
// dist/ is their backstop), and the quarantine's reasons and excerpts keep none.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {FieldSpec, TableSpec} from "../../../../loaders/schema/fields.js";
import {canonicalTables} from "../../../../loaders/schema/tables.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl} from "../../../helpers.js";
import {plantedSecrets} from "../../../plantedSecrets.js";

const planted = plantedSecrets;
const leakText = `see ${planted.join(" ; ")} end`;
const leakId = (field: string, n: number) => `${field}-${n}-jane.doe@example.com`;

const isText = (f: FieldSpec) => f.type === "string" && !f.values;

/** A row every check accepts, with a leak in every string field that is not a closed vocabulary. */
function row(spec: TableSpec, n: number): Record<string, unknown> {
  return Object.fromEntries(
    spec.fields.map((f) => {
      if (f.values) return [f.name, f.values[0]];
      if (f.type === "string") return [f.name, f.freeText ? leakText : leakId(f.name, n)];
      if (f.type === "timestamp") return [f.name, "2026-11-01T09:00:00Z"];
      if (f.type === "boolean") return [f.name, true];
      return [f.name, f.max !== undefined ? f.max : Math.max(f.min ?? 0, 1)];
    })
  );
}

let db: Database;
beforeAll(async () => {
  const files: Record<string, string> = {};
  for (const spec of canonicalTables) {
    const time = spec.fields.find((f) => f.type === "timestamp")!.name;
    files[`${spec.name}-clean.jsonl`] = jsonl(row(spec, 1));
    // A bad timestamp that is itself an email: the reason quotes it.
    files[`${spec.name}-staged.jsonl`] = jsonl(row(spec, 2), {...row(spec, 3), [time]: "jane.doe@example.com"});
    files[`${spec.name}-repeat.jsonl`] = jsonl(row(spec, 1));
  }
  // An assignment to a variant the config does not define: the experiment check's reason quotes it.
  files["assignments-unknown-variant.jsonl"] = jsonl({
    ...row(
      canonicalTables.find((t) => t.name === "assignments")!,
      1
    ),
    unit_id: leakId("unit_id", 7),
    variant: leakId("variant", 7)
  });
  // Assignments and outcomes are kept only for experiments the config defines: define the planted ones.
  const experiments = [1, 2].map((n) => ({
    name: leakId("experiment", n),
    variants: {[leakId("variant", n)]: 1, control: 1},
    control: "control",
    primary: {name: leakId("metric", n), kind: "sum"},
    start: "2026-10-01T00:00:00Z",
    end: "2026-12-01T00:00:00Z",
    minimum_effect: 0.02
  }));
  db = await ingest(files, {privacy: {redact_free_text: true, excerpt_chars: 2000}, experiments});
}, 60_000);
afterAll(() => db.close());

const leaks = (value: unknown) =>
  planted.filter((s) => String(value).includes(s) || String(value).includes(s.replace(/\n/g, "\\n")));

describe("every string field of every table", () => {
  for (const spec of canonicalTables) {
    test(`${spec.name}: free text keeps no planted secret, identifiers keep their value exactly`, async () => {
      const rows = await db.query(`SELECT * FROM ${spec.name} ORDER BY source_file`);
      expect(rows.map((r) => r.source_file)).toEqual([`${spec.name}-clean.jsonl`, `${spec.name}-staged.jsonl`]);
      for (const [i, r] of rows.entries()) {
        for (const f of spec.fields.filter(isText)) {
          if (f.freeText) {
            expect(leaks(r[f.name]), `${spec.name}.${f.name}`).toEqual([]);
            expect(r[f.name], `${spec.name}.${f.name}`).toMatch(/^see \[/);
          } else {
            expect(r[f.name], `${spec.name}.${f.name}`).toBe(leakId(f.name, i + 1));
          }
        }
      }
    });
  }

  test("the fields flagged as free text are the ones that hold prose", () => {
    const free = canonicalTables.flatMap((t) => t.fields.filter((f) => f.freeText).map((f) => `${t.name}.${f.name}`));
    expect(free).toEqual([
      "eval_results.input_excerpt",
      "eval_results.expected_excerpt",
      "eval_results.error",
      "eval_results.output_excerpt",
      "eval_results.reason",
      "spans.error_message",
      "spans.output_excerpt",
      "corrections.original_text",
      "corrections.edited_text",
      "corrections.reason",
      "flags.decision",
      "flags.reviewer",
      "flags.excerpt"
    ]);
  });
});

describe("the quarantine", () => {
  test("quotes no planted secret in any reason or raw excerpt, for bad rows and duplicates of every table", async () => {
    const rows = await db.query<{source_file: string; reason: string; raw_excerpt: string}>(
      `SELECT source_file, reason, raw_excerpt FROM quarantine ORDER BY source_file`
    );
    expect(rows.map((r) => r.source_file).sort()).toEqual(
      [
        ...canonicalTables.flatMap((t) => [`${t.name}-repeat.jsonl`, `${t.name}-staged.jsonl`]),
        "assignments-unknown-variant.jsonl"
      ].sort()
    );
    for (const r of rows) {
      expect(leaks(r.reason), r.reason).toEqual([]);
      expect(leaks(r.raw_excerpt), r.raw_excerpt).toEqual([]);
    }
    const bad = rows.filter((r) => r.source_file.endsWith("-staged.jsonl"));
    expect(bad.every((r) => r.reason.includes('expected an ISO 8601 timestamp, got "[email]"'))).toBe(true);
    expect(rows.find((r) => r.source_file === "assignments-unknown-variant.jsonl")?.reason).toContain(
      'unknown variant "[email]"'
    );
  });

  test("rows in = accepted + quarantined for every file", async () => {
    const books = await db.query(
      `SELECT count(*)::INTEGER AS n FROM sources WHERE rows_in <> rows_accepted + rows_quarantined`
    );
    expect(books).toEqual([{n: 0}]);
  });
});

describe("free text longer than the excerpt", () => {
  test("is redacted where the cut falls inside a secret, and a private key is found however far it runs", async () => {
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${"MIIEpAIBAAKCAQEA".repeat(200)}\n-----END RSA PRIVATE KEY-----`;
    const rows = [
      {
        run_id: "r",
        case_id: "a",
        suite: "s",
        started_at: "2026-11-01T09:00:00Z",
        model: "m",
        passed: true,
        output_excerpt: "0123456789012 jane.doe@example.com",
        input_excerpt: "0123456789012 jane.doe@example.com",
        expected_excerpt: "0123456789012 jane.doe@example.com"
      },
      {
        run_id: "r",
        case_id: "b",
        suite: "s",
        started_at: "2026-11-01T09:00:00Z",
        model: "m",
        passed: true,
        output_excerpt: `see ${key} after`
      }
    ];
    const small = await ingest({"e.jsonl": jsonl(...rows)}, {privacy: {redact_free_text: true, excerpt_chars: 20}});
    const stored = await small.query<{output_excerpt: string; input_excerpt: string; expected_excerpt: string}>(
      `SELECT output_excerpt, input_excerpt, expected_excerpt FROM eval_results ORDER BY case_id`
    );
    small.close();
    expect(stored.map((r) => r.output_excerpt)).toEqual(["0123456789012 [email…", "see [private key]"]);
    // The case's input and expected output are cut and redacted exactly like its output.
    expect(stored[0]).toEqual({
      output_excerpt: "0123456789012 [email…",
      input_excerpt: "0123456789012 [email…",
      expected_excerpt: "0123456789012 [email…"
    });
  });
});

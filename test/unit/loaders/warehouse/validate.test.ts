import {afterEach, describe, expect, test, vi} from "vitest";
import {configSchema} from "../../../../loaders/schema/config.js";
import {evalResults} from "../../../../loaders/schema/tables.js";
import {openDatabase, quotedString, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../../../loaders/warehouse/ingest.js";
import {candidatePattern} from "../../../../loaders/warehouse/redact.js";
import {evalRow, jsonl, tempWorkspace} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

/** How many times `sql` holds the detectors' pattern: DuckDB compiles the RE2 pattern once per copy. */
const patterns = (sql: string) => sql.split(quotedString(candidatePattern("all"))).length - 1;

describe("the redaction pattern in the statements of an ingest", () => {
  test("each redacted value names the pattern once: a quarantined row's reason and excerpt, an accepted row's free-text fields", async () => {
    db = await openDatabase();
    const run = vi.spyOn(db, "run");
    const root = tempWorkspace({
      // An invalid row (the per-row check), a repeated key (the duplicate check) and an assignment to an
      // experiment the config does not define (the experiments' check): the three writers of the quarantine.
      "evals.jsonl": jsonl(evalRow(), evalRow(), evalRow({case_id: "c2", passed: "maybe"})),
      "assignments.jsonl": jsonl({
        experiment: "x",
        unit_id: "u1",
        variant: "treatment",
        assigned_at: "2026-11-02T10:00:00Z"
      })
    });
    await ingestWorkspace(db, root, configSchema.parse({}));

    const statements = run.mock.calls.map(([sql]) => sql);
    const quarantined = statements.filter((sql) => sql.includes("INSERT INTO quarantine"));
    // The per-row check, the duplicates and the experiments' check each wrote a row.
    expect(await db.query(`SELECT table_name, field FROM quarantine ORDER BY ALL`)).toEqual([
      {table_name: "assignments", field: "experiment"},
      {table_name: "eval_results", field: "passed"},
      {table_name: "eval_results", field: "run_id, case_id, epoch"}
    ]);
    expect(quarantined.length).toBeGreaterThanOrEqual(3);
    for (const sql of quarantined) expect(patterns(sql)).toBe(2);
    // The reader's direct insert (taken back: the file has rows to quarantine), then the staged rows'.
    const accepted = statements.filter((sql) => sql.startsWith(`INSERT INTO "eval_results"`));
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    const freeText = evalResults.fields.filter((f) => f.freeText).length;
    for (const sql of accepted) expect(patterns(sql)).toBe(freeText);
  });
});

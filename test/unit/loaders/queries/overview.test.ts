import {afterEach, describe, expect, test, vi} from "vitest";
import {gatherInputs} from "../../../../loaders/brief/inputs.js";
import {SharedResults} from "../../../../loaders/pages/shared.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import {canonicalTables} from "../../../../loaders/schema/tables.js";
import {overview, tableSummaries} from "../../../../loaders/queries/overview.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import type {Workspace} from "../../../../loaders/workspace/config.js";
import {evalRow, ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

describe("overview(db, workspace, shared)", () => {
  test("in a build, the table summaries are computed once for home and the brief, and are the same as computed alone", async () => {
    db = await ingest({"evals.jsonl": jsonl(evalRow(), evalRow({case_id: "c2"}), evalRow({passed: "maybe"}))});
    const workspace: Workspace = {root: "/ws", config: configSchema.parse({}), configFiles: []};
    const alone = await tableSummaries(db);
    const query = vi.spyOn(db, "query");
    const shared = new SharedResults(workspace);
    const page = await shared.of(overview, db, workspace);
    const inputs = await gatherInputs(db, workspace, shared);
    // One count of the quarantine per canonical table: tableSummaries ran once. The build plans each
    // statement first to see whether it reads a cost (loaders/pages/priceReads.ts): plans are not runs.
    const counts = query.mock.calls.filter(([sql]) => sql.includes("AS quarantined") && !sql.startsWith("EXPLAIN"));
    expect(counts).toHaveLength(canonicalTables.length);
    expect(inputs.tables).toBe(page.tables);
    expect(page.tables).toEqual(alone);
    expect(alone.find((t) => t.table === "eval_results")).toMatchObject({rows: 2, quarantined: 1});
  });
});

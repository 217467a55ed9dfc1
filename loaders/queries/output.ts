// A data loader writes exactly one thing to stdout; everything else goes to stderr.
import {openWarehouse} from "../warehouse/warehouse.js";
import type {Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";

/** Runs a query function against the current warehouse and writes its result as JSON to stdout. */
export async function writeJson(compute: (db: Database, workspace: Workspace) => Promise<unknown>): Promise<void> {
  const db = await openWarehouse();
  try {
    const value = await compute(db, db.workspace);
    process.stdout.write(JSON.stringify(value));
  } finally {
    db.close();
  }
}

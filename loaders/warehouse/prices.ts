// Cost is computed from tokens and the config's price table only where the source did not report
// it, and every figure keeps its provenance (reported | computed), so a page can say which it shows.
// A reported cost of 0 for a call that used tokens is not a price: promptfoo and others write 0 for a
// provider they have no price for. It is priced from the table like a missing cost, and where the
// table has no price it is unknown (NULL, cost_source 'reported-zero'), never free.
import type {WorkbenchConfig} from "../schema/config.js";
import {SNAPSHOT_SUFFIX} from "../schema/modelName.js";
import {quotedIdentifier, quotedString, type Database} from "./duckdb.js";

// A snapshot name (the model's name plus its release date, see modelName.ts) costs what the model
// does; only a date suffix matches, so gpt-4.1-mini never takes gpt-4.1's price.

/** cost_source of a call whose source reported cost 0 despite its tokens, and that no price covers: cost unknown. */
export const REPORTED_ZERO = "reported-zero";

/**
 * The rows whose source reported cost 0 despite their tokens: a price change (repriceCosts) must know
 * them, since once priced they read 'computed' like a row whose source reported no cost.
 */
export const createZeroCostRowsSql = `CREATE TABLE IF NOT EXISTS zero_cost_rows (table_name VARCHAR, source_file VARCHAR, source_line INTEGER)`;

const pricedTables = ["eval_results", "spans"] as const;

/**
 * What a price change alone rewrites in the warehouse (repriceCosts, then repriceRequests in
 * requests.ts for `requests`, which sums its spans' costs; ingest.ts records the prices in `ingest_state`): these columns,
 * or every column of the tables listed with "*". Every other value stays as it was, so page data that
 * reads none of them need not be computed again (loaders/pages/priceReads.ts).
 */
export const repricedColumns: Readonly<Record<string, readonly string[] | "*">> = {
  ...Object.fromEntries(pricedTables.map((table) => [table, ["cost_usd", "cost_source"]])),
  requests: ["cost_usd", "cost_source"],
  prices: "*",
  zero_cost_rows: "*",
  ingest_state: "*"
};

/**
 * Costs computed again from a new price table, in place, with no re-ingest: every computed cost is
 * forgotten (a reported zero becomes unknown again), then priced by applyPrices, the one definition.
 */
export async function repriceCosts(db: Database, prices: WorkbenchConfig["prices"]): Promise<void> {
  await db.run(createZeroCostRowsSql);
  for (const table of pricedTables) {
    const name = quotedIdentifier(table);
    await db.run(`UPDATE ${name}
      SET cost_usd = NULL, cost_source = NULL
      WHERE cost_source = 'computed'`);
    await db.run(`UPDATE ${name} AS t
      SET cost_source = '${REPORTED_ZERO}'
      FROM zero_cost_rows z
      WHERE z.table_name = ${quotedString(table)}
        AND z.source_file = t.source_file
        AND z.source_line = t.source_line
        AND t.cost_usd IS NULL`);
  }
  await applyPrices(db, prices);
}

/**
 * `newFiles`: a temp table (`file`) of the files whose rows are priced; the others' rows were priced
 * by the same price table already (an incremental ingest with the prices unchanged). Every row when absent.
 */
export async function applyPrices(db: Database, prices: WorkbenchConfig["prices"], newFiles?: string): Promise<void> {
  const ofNewFiles = newFiles ? `AND source_file IN (SELECT file FROM ${quotedIdentifier(newFiles)})` : "";
  await db.run(createZeroCostRowsSql);
  await db.run(`CREATE OR REPLACE TABLE prices (
    model VARCHAR,
    provider VARCHAR,
    input_per_mtok DOUBLE,
    output_per_mtok DOUBLE
  )`);
  for (const p of prices) {
    await db.run(`INSERT INTO prices VALUES ($model, $provider, $input, $output)`, {
      model: p.model,
      provider: p.provider ?? null,
      input: p.input_per_mtok,
      output: p.output_per_mtok
    });
  }
  for (const table of pricedTables) {
    const name = quotedIdentifier(table);
    const reportedZero = `cost_usd = 0
      AND cost_source = 'reported'
      AND (coalesce(input_tokens, 0) > 0 OR coalesce(output_tokens, 0) > 0)`;
    await db.run(`INSERT INTO zero_cost_rows
      SELECT ${quotedString(table)}, source_file, source_line
      FROM ${name}
      WHERE ${reportedZero}
        ${ofNewFiles}`);
    await db.run(`UPDATE ${name}
      SET cost_usd = NULL, cost_source = '${REPORTED_ZERO}'
      WHERE ${reportedZero}
        ${ofNewFiles}`);
    // One price per (model, provider) that needs one: the exact name before a snapshot's base name,
    // then the entry naming the provider, so the choice never depends on row order.
    await db.run(`CREATE OR REPLACE TEMP TABLE matched_prices AS
      SELECT DISTINCT ON (m.model, m.provider) m.model,
        m.provider,
        p.input_per_mtok,
        p.output_per_mtok
      FROM (
        SELECT DISTINCT model, provider
        FROM ${name}
        WHERE cost_usd IS NULL
          AND input_tokens IS NOT NULL
          AND output_tokens IS NOT NULL
          AND model IS NOT NULL
          ${ofNewFiles}
      ) m
      JOIN prices p ON (p.model = m.model OR (starts_with(m.model, p.model) AND regexp_full_match(m.model[length(p.model) + 1:], '${SNAPSHOT_SUFFIX}')))
        AND (p.provider IS NULL OR m.provider IS NULL OR p.provider = m.provider)
      ORDER BY m.model, m.provider, p.model = m.model DESC, p.provider IS NULL, p.provider, p.input_per_mtok, p.output_per_mtok`);
    await db.run(`UPDATE ${name} AS t
      SET cost_usd = (t.input_tokens * p.input_per_mtok + t.output_tokens * p.output_per_mtok) / 1e6,
        cost_source = 'computed'
      FROM matched_prices p
      WHERE t.cost_usd IS NULL
        AND t.input_tokens IS NOT NULL
        AND t.output_tokens IS NOT NULL
        AND p.model = t.model
        AND p.provider IS NOT DISTINCT FROM t.provider
        ${newFiles ? `AND t.source_file IN (SELECT file FROM ${quotedIdentifier(newFiles)})` : ""}`);
    await db.run(`DROP TABLE matched_prices`);
  }
}

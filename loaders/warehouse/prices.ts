// Cost is computed from tokens and the config's price table only where the source did not report
// it, and every figure keeps its provenance (reported | computed), so a page can say which it shows.
import type {WorkbenchConfig} from "../schema/config.js";
import type {Database} from "./duckdb.js";

export async function applyPrices(db: Database, prices: WorkbenchConfig["prices"]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE prices (model VARCHAR, provider VARCHAR, input_per_mtok DOUBLE, output_per_mtok DOUBLE)`);
  for (const p of prices) {
    await db.run(`INSERT INTO prices VALUES ($model, $provider, $input, $output)`, {
      model: p.model, provider: p.provider ?? null, input: p.input_per_mtok, output: p.output_per_mtok,
    });
  }
  for (const table of ["eval_results", "spans"]) {
    await db.run(`UPDATE ${table} AS t SET
        cost_usd = (t.input_tokens * p.input_per_mtok + t.output_tokens * p.output_per_mtok) / 1e6,
        cost_source = 'computed'
      FROM prices p
      WHERE t.cost_usd IS NULL AND t.input_tokens IS NOT NULL AND t.output_tokens IS NOT NULL
        AND p.model = t.model AND (p.provider IS NULL OR t.provider IS NULL OR p.provider = t.provider)`);
  }
}

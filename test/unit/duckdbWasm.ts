// DuckDB-wasm as the pages run it, in the test process: its blocking Node build over the same
// WebAssembly, for unit tests of what the browser hands it (parquetPlain's vectors, exploreData's loads).
import {createRequire} from "node:module";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";

/** A new DuckDB-wasm instance, instantiated. Compiling it took 5 s here idle and up to 29 s with the machine loaded. */
export async function nodeDuckDBWasm(): Promise<duckdb.DuckDBBindings> {
  const require = createRequire(import.meta.url);
  const eh = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
  const mvp = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm");
  const wasm = await duckdb.createDuckDB(
    {mvp: {mainModule: mvp, mainWorker: ""}, eh: {mainModule: eh, mainWorker: ""}},
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME
  );
  await wasm.instantiate(() => undefined);
  return wasm;
}

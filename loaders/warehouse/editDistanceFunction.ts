// The normalized edit distance as a DuckDB function, so that a correction's distance is computed in
// the same INSERT that checks and redacts its row, from the texts before redaction and truncation.
// DuckDB's own levenshtein counts UTF-8 bytes (an accent would be two edits); this counts code
// points, with the metric's JavaScript. DuckDB calls it on the JS thread, a chunk of rows at a time,
// and only for the rows whose source left the distance out.
import {normalizedEditDistance} from "../metrics/editDistance.js";
import {duckdbApi, type Database} from "./duckdb.js";

export const EDIT_DISTANCE_FUNCTION = "workbench_edit_distance";

const registered = new WeakSet<object>();

/** Makes workbench_edit_distance(original, edited) available to `db`'s connection (once per connection). */
export function registerEditDistance(db: Database): void {
  if (registered.has(db.connection)) return;
  const {DOUBLE, DuckDBScalarFunction, VARCHAR} = duckdbApi();
  db.connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: EDIT_DISTANCE_FUNCTION,
      returnType: DOUBLE,
      parameterTypes: [VARCHAR, VARCHAR],
      mainFunction: (_info, input, output) => {
        const originals = input.getColumnVector(0);
        const edits = input.getColumnVector(1);
        for (let row = 0; row < input.rowCount; row++) {
          const original = originals.getItem(row) as string | null;
          const edited = edits.getItem(row) as string | null;
          output.setItem(row, original === null || edited === null ? null : normalizedEditDistance(original, edited));
        }
        output.flush();
      }
    })
  );
  registered.add(db.connection);
}

// DuckDB-wasm's first large insert and group-by of a page run cold: its worker runs DuckDB's WebAssembly
// unoptimized while V8 compiles the hot functions on other threads (docs/explore.md, "Where a cold
// group-by-model-and-day query's time goes"). The warm-up runs those paths once on generated rows, with
// the column types the exported tables arrive in, before the reader's first query needs them.
import {
  Bool,
  Dictionary,
  Float64,
  Int32,
  Int8,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray
} from "apache-arrow";

/** The warm-up's table: a name no exported table can have (they are lower-case words). */
export const WARM_UP_TABLE = "explore$warm-up";

/** Rows in the warm-up's table: enough for DuckDB's insert and hash aggregate to run many vectors. */
export const WARM_UP_ROWS = 200_000;

const MODELS = ["model-a", "model-b", "model-c", "model-d", "model-e", "model-f"];
const DAY_MS = 86_400_000;

/**
 * Generated rows shaped like an exported table (spans): a millisecond timestamp, a low-cardinality text
 * as the Dictionary the page's Parquet reader builds, a text of many values, a double, an integer and a
 * boolean. The values are arithmetic, so the same rows every time and no reader's data.
 */
export function warmUpTable(rows: number = WARM_UP_ROWS): Table {
  const start = Date.UTC(2026, 0, 1);
  const times = new BigInt64Array(rows);
  const codes = new Int8Array(rows);
  const latency = new Float64Array(rows);
  const tokens = new Int32Array(rows);
  const ok = new Uint8Array(Math.ceil(rows / 8));
  const names = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    times[i] = BigInt(start + Math.floor((i * 30 * DAY_MS) / rows) + (i % 1000));
    codes[i] = (i * 7) % MODELS.length;
    latency[i] = ((i * 37) % 5000) / 7;
    tokens[i] = (i * 13) % 4000;
    if (i % 10 !== 0) ok[i >> 3] |= 1 << (i & 7);
    names[i] = `step-${i % 5000}`;
  }
  // Codes in a byte each, as the page's reader gives a model column (parquetPlain.ts).
  const dictionary = vectorFromArray(MODELS, new Utf8());
  return new Table({
    start_time: makeVector(makeData({type: new TimestampMillisecond(), length: rows, data: times})),
    model: makeVector(makeData({type: new Dictionary(new Utf8(), new Int8()), length: rows, data: codes, dictionary})),
    name: vectorFromArray(names, new Utf8()),
    latency_ms: makeVector(makeData({type: new Float64(), length: rows, data: latency})),
    tokens: makeVector(makeData({type: new Int32(), length: rows, data: tokens})),
    ok: makeVector(makeData({type: new Bool(), length: rows, data: ok}))
  });
}

/** The group-by the warm-up runs: the shape of Explore's queries (by model and day, a count, a quantile). */
export const WARM_UP_QUERY = `SELECT date_trunc('day', start_time) AS day, model, count(*) AS n,
  count(*) FILTER (WHERE ok) AS ok, avg(latency_ms) AS mean_ms, quantile_cont(latency_ms, 0.95) AS p95_ms,
  sum(tokens) AS tokens, count(DISTINCT name) AS names
FROM "${WARM_UP_TABLE}" GROUP BY ALL ORDER BY day, model`;

/** The part of DuckDB-wasm's AsyncDuckDB the warm-up uses. */
export interface WarmUpDatabase {
  connect(): Promise<{
    query(sql: string): Promise<unknown>;
    insertArrowFromIPCStream(bytes: Uint8Array, options: {name: string; create: boolean}): Promise<unknown>;
    close(): Promise<unknown>;
  }>;
}

/**
 * Inserts the generated table, runs the group-by and drops the table, on a connection of its own;
 * resolves with each step's time (ms). The table is dropped even when the query fails.
 */
export async function warmUp(
  db: WarmUpDatabase,
  rows: number = WARM_UP_ROWS
): Promise<{insertMs: number; queryMs: number}> {
  const bytes = tableToIPC(warmUpTable(rows), "stream");
  const connection = await db.connect();
  try {
    const started = performance.now();
    await connection.insertArrowFromIPCStream(bytes, {name: WARM_UP_TABLE, create: true});
    const inserted = performance.now();
    try {
      await connection.query(WARM_UP_QUERY);
    } finally {
      await connection.query(`DROP TABLE IF EXISTS "${WARM_UP_TABLE}"`);
    }
    return {insertMs: inserted - started, queryMs: performance.now() - inserted};
  } finally {
    await connection.close();
  }
}

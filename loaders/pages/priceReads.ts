// Which page data depends on the prices. A price change reprices the warehouse in place
// (loaders/warehouse/prices.ts) and touches only the cost columns (repricedColumns); a page that
// reads none of them computes the same data, so it need not be computed again. Whether a page reads
// them is not declared by hand (a forgotten declaration would leave a stale page): each statement a
// page runs is planned by DuckDB first, and the plan names the columns the statement reads from each
// table. A statement reading a repriced column, or a temporary table filled from one, charges the
// page with the `prices` config key, as if it had read config.prices (loaders/pages/shared.ts).
import {repricedColumns} from "../warehouse/prices.js";
import {quotedString, type Database, type Params} from "../warehouse/duckdb.js";

interface PlanNode {
  name?: string;
  children?: PlanNode[];
  extra_info?: Record<string, unknown>;
}

/** Per open database: the temporary tables filled with priced data, and the queue of its plannings. */
interface DatabaseState {
  priced: Set<string>;
  queue: Promise<unknown>;
}

const states = new WeakMap<Database, DatabaseState>();
const RECORDER = Symbol("the recorder a database wrapper belongs to");

interface Recorder {
  raw: Database;
  /** Whether the computation depends on the prices already: then its statements need no planning, bar writes. */
  priced(): boolean;
  note(): void;
}

/** A statement that writes a table, and the table: what it writes holds priced data if it read any. */
const WRITE =
  /^\s*(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP|TEMPORARY)\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?|INSERT\s+(?:OR\s+\w+\s+)?INTO\s+|UPDATE\s+|DELETE\s+FROM\s+)("(?:[^"]|"")+"|[\w.]+)/i;

/**
 * `db` as a computation sees it. `priced` says whether the computation depends on the prices already
 * (it read config.prices, or reused a result that read a cost); `note` charges it with them, called
 * once a statement of its reads a cost. A table the computation writes while it depends on the prices
 * holds priced data, whatever the statement (values may have gone through JavaScript): statements,
 * and appenders taken from `connection`, are watched for that. Wrapping a wrapped database (a shared
 * query run inside a page) notes both computations and plans once.
 */
export function recordPriceReads(db: Database, priced: () => boolean, note: () => void): Database {
  const outer = (db as Database & {[RECORDER]?: Recorder})[RECORDER];
  const raw = outer?.raw ?? db;
  const recorder: Recorder = {
    raw,
    priced,
    note() {
      if (!priced()) note();
      outer?.note();
    }
  };
  const state = stateOf(raw);
  const watch = async (sql: string, params: Params | undefined) => {
    await oneStatement(raw, sql);
    const target = WRITE.exec(sql)?.[1];
    if (priced() && !target) return;
    const reads = priced() || (await readsPriced(raw, state, sql, params));
    if (reads) recorder.note();
    if (reads && target) state.priced.add(tableName(target));
  };
  // An appender's rows come from JavaScript: priced if the computation is by the time they are closed in.
  let connection: Database["connection"] | undefined;
  return {
    // Taken on first use: a database opened lazily has no connection before its first statement.
    get connection() {
      return (connection ??= db.connection && watchAppenders(db.connection, priced, state));
    },
    [RECORDER]: recorder,
    async run(sql, params) {
      await watch(sql, params);
      return raw.run(sql, params);
    },
    async query(sql, params) {
      await watch(sql, params);
      return raw.query(sql, params);
    },
    async columns(sql, params) {
      await watch(sql, params);
      return raw.columns(sql, params);
    },
    async intColumns(sql, params) {
      await watch(sql, params);
      return raw.intColumns(sql, params);
    },
    close() {
      raw.close();
    }
  } as Database;
}

function watchAppenders(
  db: Database["connection"],
  priced: () => boolean,
  state: DatabaseState
): Database["connection"] {
  return new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key !== "createAppender") return typeof value === "function" ? value.bind(target) : value;
      return async (table: string, ...rest: unknown[]) => {
        const appender = await (value as (...args: unknown[]) => Promise<object>).call(target, table, ...rest);
        const taint = () => priced() && state.priced.add(tableName(table));
        taint();
        return new Proxy(appender, {
          get(a, k) {
            const v = Reflect.get(a, k, a);
            if (typeof v !== "function") return v;
            return (...args: unknown[]) => {
              if (k === "closeSync" || k === "flushSync" || k === "close" || k === "flush") taint();
              return v.apply(a, args);
            };
          }
        });
      };
    }
  });
}

/**
 * Refuses several statements in one call. The plan is taken with EXPLAIN, which plans the first and
 * runs the rest, so they would run twice (an INSERT inserting its rows twice), and the table a write
 * fills is read from the first alone. Every call, planned or not, so that a page fails the same way
 * whether or not it has read the prices yet. The parse costs far less than the plan.
 */
async function oneStatement(raw: Database, sql: string): Promise<void> {
  // A database opened on first use (computePages) has no connection before its first statement.
  let connection: Database["connection"] | undefined;
  try {
    connection = raw.connection;
  } catch {
    await raw.query("SELECT 1");
    connection = raw.connection;
  }
  const {count} = await connection.extractStatements(sql);
  if (count > 1) throw new Error(`page data: one statement per call, got ${count}: ${sql.slice(0, 120)}`);
}

function stateOf(raw: Database): DatabaseState {
  let state = states.get(raw);
  if (!state) states.set(raw, (state = {priced: new Set(), queue: Promise.resolve()}));
  return state;
}

/** The optimizers the page has turned off, comma-separated (empty by default). */
type DisabledRow = {before: string};

/** DuckDB's plan of a statement, as one JSON text (EXPLAIN (FORMAT json)). */
type PlanRow = {explain_value: string};

/**
 * Whether the statement reads a repriced column or a temporary table filled from one, by its plan.
 * The statistics optimizer is off while planning: it drops a scan whose filter the current values
 * cannot pass (every cost NULL before prices exist), and new prices would then change the result
 * of a statement its plan said reads no cost. A statement DuckDB cannot plan counts as reading
 * prices. Plannings on one database run one at a time, so no statement of the page runs planned
 * with the optimizer off... except one started meanwhile, which then runs slower, with the same result.
 */
async function readsPriced(raw: Database, state: DatabaseState, sql: string, params?: Params): Promise<boolean> {
  const planned = state.queue.then(async () => {
    // The page's own setting is put back afterwards, not reset: the experiments page turns an
    // optimizer off around its statement (armMoments), and a reset in between would plan that
    // statement otherwise than when the page runs alone.
    let before = "";
    try {
      [{before}] = await raw.query<DisabledRow>(`SELECT current_setting('disabled_optimizers') AS before`);
      const disabled = [before, "statistics_propagation"].filter(Boolean).join(",");
      await raw.run(`SET disabled_optimizers = ${quotedString(disabled)}`);
      const [row] = await raw.query<PlanRow>(`EXPLAIN (FORMAT json) ${sql}`, params);
      return planReadsPriced(JSON.parse(row.explain_value) as PlanNode[], state.priced);
    } catch {
      return true;
    } finally {
      await raw
        .run(before ? `SET disabled_optimizers = ${quotedString(before)}` : `RESET disabled_optimizers`)
        .catch(() => undefined);
    }
  });
  state.queue = planned.catch(() => undefined);
  return planned;
}

/** Whether a plan scans a repriced column, or any column of a table in `pricedTemp`. */
export function planReadsPriced(plan: PlanNode[], pricedTemp: ReadonlySet<string> = new Set()): boolean {
  const nodes = [...plan];
  while (nodes.length) {
    const node = nodes.pop()!;
    nodes.push(...(node.children ?? []));
    const table = node.extra_info?.Table;
    if (typeof table !== "string") continue;
    const name = tableName(table);
    if (pricedTemp.has(name)) return true;
    const columns = repricedColumns[name];
    if (!columns) continue;
    // The columns read are listed under Projections (a scan without the list reads them all); a
    // filter pushed into the scan names its own.
    if (columns === "*" || !("Projections" in node.extra_info!)) return true;
    const read = [node.extra_info?.Projections, node.extra_info?.Filters].flat().join("\n");
    if (columns.some((column) => new RegExp(`(?<![\\w"])"?${column}"?(?![\\w"])`).test(read))) return true;
  }
  return false;
}

/** The table's own name from a plan's or a statement's (catalog.schema.table, maybe quoted), lower-cased. */
function tableName(qualified: string): string {
  const parts = qualified.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [qualified];
  const last = parts[parts.length - 1];
  return (last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last).toLowerCase();
}

// One computation per query per build. The home page's "what needs attention" and the capability brief
// are composed from other pages' query results (loaders/brief/inputs.ts); computed page by page, each
// query ran up to four times a build (its page, attention, brief, the brief's draft), and at 20k spans
// attention and brief took 70% of the page time. A SharedResults lives for one pass of the build over
// one warehouse and one config (loaders/pages/computePages.ts): the first page that needs a query's
// result computes it, the others reuse it. Outside a build (a data loader run alone, a test) there is
// none, and every call computes, exactly as before.
import type {Database} from "../warehouse/duckdb.js";
import {recordPriceReads} from "./priceReads.js";
import type {Workspace} from "../workspace/config.js";
import type {WorkbenchConfig} from "../schema/config.js";

/**
 * A page's query: a function of the warehouse and the workspace (its config) alone. A query composed
 * of other queries (the brief) takes the SharedResults to reuse theirs.
 */
export type Query<W, T> = (db: Database, workspace: W, shared?: SharedResults) => Promise<T>;

interface Entry {
  result: Promise<unknown>;
  /** The config keys the computation read: a page that reuses the result depends on them as well. */
  reads: Set<string>;
}

export class SharedResults {
  private readonly entries = new Map<Query<never, unknown>, Entry>();
  private readonly recalled = new Map<Query<never, unknown>, {load: () => unknown; reads: Set<string>}>();

  /**
   * @param workspace the workspace every page of this pass is computed for; a caller passing another
   *   workspace's config would be handed results computed from a different config, so it is refused.
   */
  constructor(private readonly workspace: Workspace) {}

  /**
   * The query's result for this pass, computed on first use. Whoever asks is charged with the config
   * keys the computation read (by reading them again through the caller's config), so a page that
   * reuses a result is recomputed when those keys change, as if it had run the query itself: "a
   * changed config key always shows" holds whatever page happened to compute the result first.
   *
   * The result is frozen, deeply: several pages hold the same object, and a page that changed it would
   * change another page's data. A mutation throws instead of leaking.
   */
  async of<W extends Pick<Workspace, "config">, T>(query: Query<W, T>, db: Database, workspace: W): Promise<T> {
    if (unwrap(workspace.config) !== this.workspace.config)
      throw new Error(`SharedResults: ${query.name} asked for with another workspace's config than this build's`);
    const key = query as Query<never, unknown>;
    let entry = this.entries.get(key);
    const recalled = this.recalled.get(key);
    if (!entry && recalled) {
      entry = {result: Promise.resolve().then(() => deepFreeze(recalled.load())), reads: recalled.reads};
      this.entries.set(key, entry);
    } else if (!entry) {
      const reads = new Set<string>();
      const recorded = {...workspace, config: recordReads(workspace.config, reads)};
      // A result that read a cost depends on the prices: every page reusing it is charged with them.
      const pricedDb = recordPriceReads(
        db,
        () => reads.has("prices"),
        () => void recorded.config.prices
      );
      entry = {result: query(pricedDb, recorded, this).then(deepFreeze), reads};
      this.entries.set(key, entry);
      // Computed here, through the caller's config: the caller has noted every key as it was read.
      return (await entry.result) as T;
    }
    const result = await entry.result;
    for (const read of entry.reads) void workspace.config[read as keyof WorkbenchConfig];
    return result as T;
  }

  /**
   * A result this build need not compute: the page that is this query alone is current (computed by
   * the same code from the same warehouse, with the same values of the config keys it read), so its
   * data file holds the result, as the page shows it. `load` reads it only if another page asks; a
   * page recomputed for a config change (the brief after a gate threshold) then computes only what
   * the change touched.
   */
  recall<W, T>(query: Query<W, T>, load: () => T, reads: Iterable<string>): void {
    this.recalled.set(query as Query<never, unknown>, {load, reads: new Set(reads)});
  }
}

/** The query's result from `shared` when the build shares results, else computed here. */
export function sharedOr<W extends Pick<Workspace, "config">, T>(
  shared: SharedResults | undefined,
  query: Query<W, T>,
  db: Database,
  workspace: W
): Promise<T> {
  return shared ? shared.of(query, db, workspace) : query(db, workspace);
}

const RAW = Symbol("the config a recording proxy wraps");

/** The config under any recording proxies. */
function unwrap(config: WorkbenchConfig): WorkbenchConfig {
  let c = config as WorkbenchConfig & {[RAW]?: WorkbenchConfig};
  while (c[RAW]) c = c[RAW] as WorkbenchConfig & {[RAW]?: WorkbenchConfig};
  return c;
}

/** The config as a page sees it, noting each top-level key it reads (spreading or listing it reads them all). */
export function recordReads(config: WorkbenchConfig, read: Set<string>): WorkbenchConfig {
  const note = (key: string | symbol) => typeof key === "string" && read.add(key);
  return new Proxy(config, {
    get(target, key, receiver) {
      if (key === RAW) return target;
      note(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      keys.forEach(note);
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      note(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    }
  });
}

function deepFreeze<T>(value: T): T {
  // Typed arrays cannot be frozen while they hold elements; no page result shared today holds one.
  if (value === null || typeof value !== "object" || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key]);
  return value;
}

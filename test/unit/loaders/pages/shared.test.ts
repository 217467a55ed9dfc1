// Query results shared by the pages of one build (loaders/pages/shared.ts): computed once, and a page
// that reuses a result depends on the config keys that result was computed from, as if it had run the
// query itself, so a changed key still recomputes every page that shows it.
import {describe, expect, test} from "vitest";
import {recallCurrent} from "../../../../loaders/pages/computePages.js";
import type {PageCompute} from "../../../../loaders/pages/registry.js";
import {recordReads, sharedOr, SharedResults} from "../../../../loaders/pages/shared.js";
import type {WorkbenchConfig} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import type {Workspace} from "../../../../loaders/workspace/config.js";

// The queries here never touch the database: they are counted and read the config only.
const db = {} as Database;
const config = {product: {name: "p"}, launches: [], prices: []} as unknown as WorkbenchConfig;
const workspace = {root: "/nowhere", config} as unknown as Workspace;

/** A page's view of the workspace, as computePages gives it: a config that notes each key read. */
function pageView(): {workspace: Workspace; reads: Set<string>} {
  const reads = new Set<string>();
  return {workspace: {...workspace, config: recordReads(config, reads)}, reads};
}

function counted<T>(result: () => T, keys: (keyof WorkbenchConfig)[]) {
  const query = async (_db: Database, w: Pick<Workspace, "config">) => {
    query.calls++;
    for (const key of keys) void w.config[key];
    return result();
  };
  query.calls = 0;
  return query;
}

describe("SharedResults", () => {
  test("computes a query once for all the pages of a build", async () => {
    const shared = new SharedResults(workspace);
    const gates = counted(() => ({launches: ["a"]}), ["launches"]);
    const first = await shared.of(gates, db, pageView().workspace);
    const second = await shared.of(gates, db, pageView().workspace);
    expect(gates.calls).toBe(1);
    expect(second).toBe(first);
    expect(second).toEqual({launches: ["a"]});
  });

  test("a page that reuses a result depends on the config keys it was computed from", async () => {
    const shared = new SharedResults(workspace);
    const gates = counted(() => 1, ["launches"]);
    const costs = counted(() => 2, ["prices"]);
    const first = pageView();
    await shared.of(gates, db, first.workspace);
    expect([...first.reads]).toEqual(["launches"]);
    // A composed query (the brief) reuses one result and computes another: its reads are both.
    const brief = async (d: Database, w: Workspace, s?: SharedResults) =>
      (await sharedOr(s, gates, d, w)) + (await sharedOr(s, costs, d, w));
    const briefPage = pageView();
    expect(await shared.of(brief, db, briefPage.workspace)).toBe(3);
    expect([...briefPage.reads].sort()).toEqual(["launches", "prices"]);
    // The home page reuses the brief: it depends on what the brief read, none of which it read itself.
    const home = pageView();
    expect(await shared.of(brief, db, home.workspace)).toBe(3);
    expect([...home.reads].sort()).toEqual(["launches", "prices"]);
    expect([gates.calls, costs.calls]).toEqual([1, 1]);
  });

  test("a page changing a shared result fails instead of changing another page's data", async () => {
    const shared = new SharedResults(workspace);
    const rows = counted(() => ({rows: [{n: 2}, {n: 1}], at: new Date(0)}), []);
    const result = await shared.of(rows, db, workspace);
    expect(() => result.rows.sort((a, b) => a.n - b.n)).toThrow(TypeError);
    expect(() => {
      result.rows[0].n = 5;
    }).toThrow(TypeError);
    expect(result.rows).toEqual([{n: 2}, {n: 1}]);
  });

  test("refuses a workspace other than the build's, whose config the results were not computed from", async () => {
    const shared = new SharedResults(workspace);
    const other = {...workspace, config: {...config}} as Workspace;
    await expect(
      shared.of(
        counted(() => 1, []),
        db,
        other
      )
    ).rejects.toThrow(/another workspace's config/);
  });

  test("a recalled result is read, not computed, and charges the keys its page read", async () => {
    const shared = new SharedResults(workspace);
    const gates = counted(() => ({n: 1}), ["launches"]);
    let loads = 0;
    shared.recall(gates, () => {
      loads++;
      return {n: 2};
    }, ["launches", "prices"]);
    const page = pageView();
    expect(await shared.of(gates, db, page.workspace)).toEqual({n: 2});
    expect(await shared.of(gates, db, pageView().workspace)).toEqual({n: 2});
    expect([gates.calls, loads]).toEqual([0, 1]);
    expect([...page.reads].sort()).toEqual(["launches", "prices"]);
    // A query nothing recalled is computed.
    const costs = counted(() => 3, []);
    expect(await shared.of(costs, db, workspace)).toBe(3);
    expect(costs.calls).toBe(1);
  });

  test("without a build's SharedResults every call computes", async () => {
    const gates = counted(() => 1, []);
    await sharedOr(undefined, gates, db, workspace);
    await sharedOr(undefined, gates, db, workspace);
    expect(gates.calls).toBe(2);
  });

  test("a result two pages' files hold together is read from both when both are current, and computed otherwise", async () => {
    const whole = counted(() => ({a: [1], b: [2]}), ["launches"]);
    const recalls: PageCompute["recalls"] = {
      query: whole,
      files: ["part-a", "part-b"],
      join: ([a, b]) => ({a, b})
    };
    const part = (key: "a" | "b") =>
      Object.assign(
        async (d: Database, w: Workspace, shared?: SharedResults) => (await sharedOr(shared, whole, d, w))[key],
        {
          recalls
        }
      );
    const pages = {"part-a": part("a"), "part-b": part("b")};
    const files: Record<string, unknown> = {"part-a": [10], "part-b": [20]};
    const read: string[] = [];
    const current = new Map<string, {config: Record<string, string>}>([
      ["part-a", {config: {launches: "h"}}],
      ["part-b", {config: {prices: "h"}}]
    ]);
    const shared = new SharedResults(workspace);
    recallCurrent(pages, current, shared, (name) => (read.push(name), files[name]));
    const page = pageView();
    expect(await shared.of(whole, db, page.workspace)).toEqual({a: [10], b: [20]});
    expect([whole.calls, read]).toEqual([0, ["part-a", "part-b"]]);
    // Charged with the keys either page read.
    expect([...page.reads].sort()).toEqual(["launches", "prices"]);
    // One of the two files not current: the result is computed, not half read.
    const fresh = new SharedResults(workspace);
    recallCurrent(
      pages,
      new Map<string, {config: Record<string, string>}>([["part-a", {config: {}}]]),
      fresh,
      (name) => files[name]
    );
    expect(await fresh.of(whole, db, workspace)).toEqual({a: [1], b: [2]});
    expect(whole.calls).toBe(1);
  });
});

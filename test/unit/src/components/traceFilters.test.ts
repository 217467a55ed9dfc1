// The traces page's filters recompute, in the browser, what the build computes for a warehouse holding
// only the filtered requests: from the build's cells of the full warehouse (loaders/queries/traceCells.ts,
// the values file read by byte ranges as the page reads it), or, for a slice of two days or less, by
// the browser's SQL on the full warehouse (DuckDB in Node, as DuckDB-wasm runs it over the exported
// table); the shaping runs as in the page, and the result must equal tracesPage over a workspace of the
// slice's spans alone.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {tracesPage} from "../../../../loaders/queries/traces.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";
import {isFiltered, noFilter, type PageFilter} from "../../../../src/components/pageFilters.js";
import {traceFilterOptions} from "../../../../src/components/traceFilters.js";
import {sampleNoteText} from "../../../../src/components/traceSampleNote.js";
import {SLICE_COLUMNS, slicedTraces, traceIdsByQuery} from "../../../../src/components/traceSlice.js";
import {traceCells} from "../../../../loaders/queries/traceCells.js";
import {blockMask, slicedFromCells, type TraceCells} from "../../../../src/lib/traceCells.js";
import {exportPlan, exportSql} from "../../../../loaders/explore/export.js";
import {columnsUsed} from "../../../../src/components/exploreColumns.js";
import {ingest, jsonl, tempWorkspace} from "../../../helpers.js";

type Span = Record<string, unknown>;

/**
 * 400 seeded traces over five weeks: a root span carrying feature, segment (missing on some),
 * category (one with a quote) and prompt version, a retrieval span, and one or two model calls with a
 * reported cost, no cost, an error, a refusal or a truncation. Enterprise support-chat is slow.
 */
function traces(): {root: Span; spans: Span[]}[] {
  let seed = 11;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const out: {root: Span; spans: Span[]}[] = [];
  const start = Date.parse("2026-10-05T00:00:00Z");
  for (let i = 0; i < 400; i++) {
    const trace_id = `t${String(i).padStart(4, "0")}`;
    const feature = i % 3 === 0 ? "autocomplete" : "support-chat";
    const segment = [null, "enterprise", "smb"][i % 3 === 0 ? (i >> 2) % 3 : i % 3];
    const at = start + Math.floor(next() * 35 * 86_400_000);
    const slow = feature === "support-chat" && segment === "enterprise" ? 3 : 1;
    const duration = Math.round((200 + next() * 1800) * slow);
    const root: Span = {
      trace_id,
      span_id: `${trace_id}-r`,
      name: feature,
      kind: "chain",
      start_time: new Date(at).toISOString(),
      duration_ms: duration,
      feature,
      ...(segment ? {segment} : {}),
      category: i % 7 ? "billing" : "o'brien",
      prompt_version: i % 4 ? "v2" : "v1",
      status: "ok"
    };
    const model = i % 5 === 0 ? "gemini-2.5-flash" : "gpt-4.1";
    // Some calls are answered by a dated snapshot, more often for enterprise: the snapshot counts differ by slice.
    const snapshot =
      model === "gpt-4.1" && (segment === "enterprise" ? i % 2 : i % 6 === 1) ? "gpt-4.1-2025-04-14" : null;
    const r = next();
    const call: Span = {
      trace_id,
      span_id: `${trace_id}-c`,
      parent_span_id: `${trace_id}-r`,
      name: "generate",
      kind: "llm",
      start_time: new Date(at + 5).toISOString(),
      duration_ms: duration - 10,
      model,
      ...(snapshot ? {response_model: snapshot} : {}),
      input_tokens: 100 + (i % 50),
      output_tokens: 20 + (i % 9),
      ...(i % 11 ? {cost_usd: Math.round(next() * 1e6) / 1e9} : {}),
      status: r < 0.05 ? "error" : "ok",
      finish_reason: r < 0.1 ? "content_filter" : r < 0.15 ? "length" : "stop"
    };
    const retrieval: Span = {
      trace_id,
      span_id: `${trace_id}-k`,
      parent_span_id: `${trace_id}-r`,
      name: "kb.search",
      kind: "retrieval",
      start_time: new Date(at + 1).toISOString(),
      duration_ms: 3 + (i % 40),
      status: "ok"
    };
    // Every fourth request calls again (a retry), answered by the snapshot on every other one; every
    // thirteenth has a guard call that names no model (not counted among the snapshots).
    const retry: Span[] =
      i % 4 === 1
        ? [
            {
              ...call,
              span_id: `${trace_id}-c2`,
              start_time: new Date(at + 7).toISOString(),
              duration_ms: 50 + (i % 30),
              ...(i % 8 === 1 ? {response_model: `${model}-2025-04-14`} : {response_model: undefined})
            }
          ]
        : [];
    const guard: Span[] =
      i % 13 === 0
        ? [
            {
              trace_id,
              span_id: `${trace_id}-g`,
              parent_span_id: `${trace_id}-r`,
              name: "guard",
              kind: "llm",
              start_time: new Date(at + 2).toISOString(),
              duration_ms: 4,
              status: "ok"
            }
          ]
        : [];
    out.push({root, spans: [root, retrieval, call, ...retry, ...guard]});
  }
  return out;
}

/**
 * The exported requests and spans (the export's own SELECT, request_key included) as tables of schema
 * `exported`, which the browser's statements read as DuckDB-wasm reads the Parquet files.
 */
async function exportTables(db: Database): Promise<void> {
  await db.run("CREATE SCHEMA exported");
  for (const name of ["requests", "spans"])
    await db.run(`CREATE TABLE exported.${name} AS ${exportSql(await exportPlan(db, name))}`);
}

/** Statements one after another: slicedTraces sends several at once, and each sets the search path. */
let queue: Promise<unknown> = Promise.resolve();

/** A query over the exported tables (exportTables), as the page's DuckDB-wasm runs it. */
const overExport =
  (db: Database, schema = "exported") =>
  <R>(sql: string): Promise<R[]> => {
    const result = queue.then(async () => {
      await db.run(`SET search_path = '${schema}'`);
      try {
        return (await db.query(sql)) as unknown as R[];
      } finally {
        await db.run("SET search_path = 'main'");
      }
    });
    queue = result.catch(() => undefined);
    return result;
  };

/** The two cell files as the page fetches them (JSON), with a reader of the values file's bytes that records each range. */
async function cellFiles(db: Database) {
  const {cells, values} = await traceCells(db);
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  const reads: [number, number][] = [];
  return {
    cells: JSON.parse(JSON.stringify(cells)) as TraceCells,
    size: bytes.length,
    reads,
    read: async (start: number, end: number) => (reads.push([start, end]), bytes.slice(start, end))
  };
}

const all = traces();
let db: Database;
let files: Awaited<ReturnType<typeof cellFiles>>;
beforeAll(async () => {
  db = await ingest({"spans.jsonl": jsonl(...all.flatMap((t) => t.spans))});
  await exportTables(db);
  files = await cellFiles(db);
});
afterAll(() => db?.close());

const PAGE_KEYS = [
  "totals",
  "granularity",
  "volume",
  "latency",
  "spanLatency",
  "kinds",
  "summary",
  "rates",
  "slowest",
  "costliest"
] as const;

type PageKey = (typeof PAGE_KEYS)[number];
const pick = <T extends Record<PageKey, unknown>>(page: T) =>
  Object.fromEntries(PAGE_KEYS.map((k) => [k, page[k]])) as Pick<T, PageKey>;

/** What the build writes for a workspace holding only the kept traces. */
async function buildOf(kept: {spans: Span[]}[]) {
  const root = tempWorkspace({"spans.jsonl": jsonl(...kept.flatMap((t) => t.spans))});
  const slice = await ingest({"spans.jsonl": jsonl(...kept.flatMap((t) => t.spans))});
  try {
    const page = await tracesPage(slice, resolveWorkspace({WORKBENCH_WORKSPACE: root}));
    return pick(page);
  } finally {
    slice.close();
  }
}

/**
 * The browser's computation, as filteredTraces chooses it: from the cells, or (a slice of two days or
 * less) its queries on the whole export, as DuckDB-wasm runs them over the Parquet files.
 */
async function browserOf(filter: PageFilter, over = {db, files}) {
  const cells = await slicedFromCells(over.files.cells, over.files.read, filter);
  return pick(cells ?? (await slicedTraces(overExport(over.db), filter)));
}

const filterOf = (set: Record<string, string>): PageFilter => ({
  ...noFilter(["segment", "category", "prompt_version", "from", "to"]),
  ...set
});

describe("slicedTraces(query, filter)", () => {
  test("loads each table's SLICE_COLUMNS before the first statement that reads the table, and every statement reads only those: over tables holding just them, the figures are the same", async () => {
    const plans = [await exportPlan(db, "requests"), await exportPlan(db, "spans")];
    const manifest = {textChars: 300, maxRows: 2_000_000, rowGroupRows: 100_000, tables: plans};
    // The same tables with only the loaded columns, in a schema of their own, each created when it is
    // loaded: a statement that ran before its table's load would find no table.
    await db.run("CREATE SCHEMA slim");
    try {
      for (const filter of [
        filterOf({}),
        filterOf({segment: "enterprise", category: "o'brien", prompt_version: "v2", from: "2026-10-12"})
      ]) {
        const whole = await browserOf(filter);
        const loads: unknown[] = [];
        const ran: string[] = [];
        const slimQuery = overExport(db, "slim");
        for (const table of Object.keys(SLICE_COLUMNS)) await db.run(`DROP TABLE IF EXISTS slim.${table}`);
        const slim = pick(
          await slicedTraces(
            <R>(sql: string) => (ran.push(sql), slimQuery<R>(sql)),
            filter,
            async (columns) => {
              loads.push(columns);
              for (const [table, names] of Object.entries(columns))
                await db.run(`CREATE TABLE slim.${table} AS SELECT ${names.join(", ")} FROM exported.${table}`);
            },
            // The top lists' trace ids, which the page reads apart for their rows alone.
            traceIdsByQuery(overExport(db), "requests")
          )
        );
        // The requests first: their statements run while the spans' columns load.
        expect(loads).toEqual([{requests: SLICE_COLUMNS.requests}, {spans: SLICE_COLUMNS.spans}]);
        expect(slim).toEqual(whole);
        // Neither table's trace_id is loaded for every row: the joins and the ranking use request_key.
        expect(Object.values(SLICE_COLUMNS).flat()).not.toContain("trace_id");
        // What reading the columns off the SQL's words (columnsUsed) would load from spans besides: columns of requests.
        const worded = new Set(ran.flatMap((sql) => columnsUsed(sql, manifest).get("spans") ?? []));
        expect([...worded].filter((c) => !(SLICE_COLUMNS.spans as readonly string[]).includes(c)).sort()).toEqual(
          expect.arrayContaining(["cost_source", "cost_usd", "feature", ...(isFiltered(filter) ? ["segment"] : [])])
        );
      }
    } finally {
      await db.run("DROP SCHEMA slim CASCADE");
    }
  });

  test("unfiltered, equals the build's page", async () => {
    expect(await browserOf(filterOf({}))).toEqual(await buildOf(all));
  });

  test("filtered to enterprise, equals the build over a workspace of enterprise traces only, and shows them slower", async () => {
    const got = await browserOf(filterOf({segment: "enterprise"}));
    expect(got).toEqual(await buildOf(all.filter((t) => t.root.segment === "enterprise")));
    const whole = await browserOf(filterOf({}));
    const p95 = (s: typeof got) =>
      s.summary.find((r) => r.feature === "support-chat" && r.model === "(all)")!.latency.p95!;
    expect(p95(got)).toBeGreaterThan(p95(whole));
    // The span sections are the slice's too: its model calls are slower, and more of them answered by the snapshot.
    const llm = (s: typeof got) =>
      s.kinds.find((k) => k.kind === "llm" && k.feature === "support-chat" && k.model === "(all)")!;
    expect(llm(got).n).toBeLessThan(llm(whole).n);
    expect(llm(got).p95!).toBeGreaterThan(llm(whole).p95!);
    const snapshotShare = (s: typeof got) => {
      const calls = s.summary.find((r) => r.feature === "(all)" && r.model === "gpt-4.1")!.snapshots;
      const dated = calls.find((c) => c.name === "gpt-4.1-2025-04-14")?.calls ?? 0;
      return dated / calls.reduce((a, c) => a + c.calls, 0);
    };
    expect(snapshotShare(got)).toBeGreaterThan(snapshotShare(whole));
  });

  test("counts each model call of the slice under the name it was answered by (response_model, else model), as its spans do, calls without a model left out", async () => {
    const kept = all.filter((t) => t.root.segment === "enterprise");
    // The spans' own count, here in JavaScript: by feature and over every feature, each list by calls, then name.
    const expected = new Map<string, Map<string, number>>();
    for (const t of kept)
      for (const s of t.spans.filter((s) => s.kind === "llm" && s.model !== undefined))
        for (const feature of [String(t.root.feature), "(all)"]) {
          const names = expected.get(feature) ?? new Map<string, number>();
          const name = String(s.response_model ?? s.model);
          expected.set(feature, names.set(name, (names.get(name) ?? 0) + 1));
        }
    const got = await browserOf(filterOf({segment: "enterprise"}));
    for (const [feature, names] of expected) {
      const want = [...names]
        .map(([name, calls]) => ({name, calls}))
        .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : 1));
      expect(got.summary.find((r) => r.feature === feature && r.model === "(all)")!.snapshots, feature).toEqual(want);
    }
    // The fixture has requests with two calls, with a dated and an undated answer, and a call without a model.
    expect(kept.some((t) => t.spans.filter((s) => s.kind === "llm" && s.model).length === 2)).toBe(true);
    expect(expected.get("(all)")!.size).toBeGreaterThan(2);
    expect(kept.some((t) => t.spans.some((s) => s.kind === "llm" && !s.model))).toBe(true);
  });

  test("the missing segment, a quoted category with a prompt version, and a window of weeks each select what the build would count", async () => {
    const week = (t: {root: Span}) => {
      const at = Date.parse(String(t.root.start_time));
      return at >= Date.parse("2026-10-12T00:00:00Z") && at < Date.parse("2026-10-26T00:00:00Z");
    };
    const cases: [Record<string, string>, (t: {root: Span}) => boolean][] = [
      [{segment: "(none)"}, (t) => t.root.segment === undefined],
      [
        {category: "o'brien", prompt_version: "v2"},
        (t) => t.root.category === "o'brien" && t.root.prompt_version === "v2"
      ],
      // Two weeks: a span of days under 28, so the trend turns daily, as the build's would.
      [{from: "2026-10-12", to: "2026-10-19"}, week]
    ];
    for (const [filter, keep] of cases) {
      const kept = all.filter(keep);
      expect(kept.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(await browserOf(filterOf(filter)), JSON.stringify(filter)).toEqual(await buildOf(kept));
    }
    expect((await browserOf(filterOf({from: "2026-10-12", to: "2026-10-19"}))).granularity.trend).toBe("day");
    // Three slice warehouses are ingested and built: 18 s on a quiet machine, over 30 s at load 40+.
  }, 120_000);

  test("ranks tied requests as the build's max_by does, by the trace id's bytes (UTF-8), not JavaScript's UTF-16 order", async () => {
    // U+FFFD sorts after U+1F600 in UTF-16 (0xFFFD > 0xD83D) and before it in UTF-8 (0xEF < 0xF0).
    const tied = ["tie-\u{1F600}", "tie-\uFFFD", "tie-a"].map((trace_id, i) => {
      const root: Span = {
        trace_id,
        span_id: `${trace_id}-r`,
        name: "support-chat",
        kind: "llm",
        start_time: `2026-10-0${5 + i}T10:00:00.000Z`,
        duration_ms: 9_000,
        feature: "support-chat",
        segment: "enterprise",
        model: "gpt-4.1",
        input_tokens: 10,
        output_tokens: 10,
        cost_usd: 0.5,
        status: "ok"
      };
      return {root, spans: [root]};
    });
    const kept = [...all, ...tied].filter((t) => t.root.segment === "enterprise");
    const both = await ingest({"spans.jsonl": jsonl(...[...all, ...tied].flatMap((t) => t.spans))});
    try {
      await exportTables(both);
      const got = await browserOf(filterOf({segment: "enterprise"}), {db: both, files: await cellFiles(both)});
      const top = (list: typeof got.slowest) =>
        list.filter((r) => r.feature === "support-chat" && r.model === "gpt-4.1").map((r) => r.trace_id);
      expect(top(got.slowest).slice(0, 3)).toEqual(["tie-\u{1F600}", "tie-\uFFFD", "tie-a"]);
      expect(top(got.costliest).slice(0, 3)).toEqual(["tie-\u{1F600}", "tie-\uFFFD", "tie-a"]);
      expect(got).toEqual(await buildOf(kept));
    } finally {
      both.close();
    }
  }, 60_000);

  test("a slice without requests gives empty figures, not an error", async () => {
    const got = await browserOf(filterOf({from: "2026-10-05", to: "2026-10-05", category: "nope"}));
    expect(got.totals).toEqual({requests: 0, spans: 0, first_at: null, last_at: null});
    expect(got.summary).toEqual([]);
    expect(got.spanLatency).toEqual([]);
    expect(got.kinds).toEqual([]);
  });
});

describe("slicedFromCells(cells, read, filter)", () => {
  test("computes every slice above two days from the cells (no SQL), reading only the kept blocks of the values file", async () => {
    for (const filter of [
      filterOf({}),
      filterOf({segment: "enterprise"}),
      filterOf({category: "o'brien", prompt_version: "v2"}),
      filterOf({from: "2026-10-12", to: "2026-10-19"})
    ])
      expect(await slicedFromCells(files.cells, files.read, filter), JSON.stringify(filter)).not.toBeNull();
    for (const filter of [filterOf({segment: "smb", from: "2026-10-19"}), filterOf({category: "o'brien"})]) {
      files.reads.length = 0;
      await slicedFromCells(files.cells, files.read, filter);
      const keep = blockMask(files.cells, filter);
      expect(keep.some((k) => !k) && keep.some(Boolean)).toBe(true);
      // Each block's byte range in the values file (a JSON array: after "[" and each block's comma).
      const at: number[] = [];
      files.cells.blocks.bytes.reduce((offset, n) => (at.push(offset), offset + n + 1), 1);
      const wasRead = (b: number) =>
        files.reads.some(([start, end]) => start <= at[b] && at[b] + files.cells.blocks.bytes[b] <= end);
      const overlaps = (b: number) =>
        files.reads.some(([start, end]) => start < at[b] + files.cells.blocks.bytes[b] && at[b] < end);
      keep.forEach((k, b) => k && expect(wasRead(b), `kept block ${b}`).toBe(true));
      // A dropped block is read only inside a short run of them between two kept ones (one request instead of two).
      let run = 0;
      keep.forEach((k, b) => {
        run = k || !overlaps(b) ? 0 : run + files.cells.blocks.bytes[b] + 1;
        expect(run, `dropped blocks read up to block ${b}`).toBeLessThanOrEqual(4096);
      });
      expect(files.reads.reduce((sum, [start, end]) => sum + end - start, 0)).toBeLessThan(files.size);
    }
  });

  test("a slice of two days or less gives null (its hours are not in the cells), and the SQL path gives the build's page", async () => {
    const short = all.filter((t) => String(t.root.start_time) < "2026-10-06T12:00:00Z");
    expect(short.length).toBeGreaterThan(3);
    const two = await ingest({"spans.jsonl": jsonl(...short.flatMap((t) => t.spans))});
    try {
      await exportTables(two);
      const twoFiles = await cellFiles(two);
      expect(await slicedFromCells(twoFiles.cells, twoFiles.read, filterOf({segment: "smb"}))).toBeNull();
      const got = await browserOf(filterOf({segment: "smb"}), {db: two, files: twoFiles});
      expect(got.granularity).toEqual({volume: "hour", trend: "hour"});
      expect(got).toEqual(await buildOf(short.filter((t) => t.root.segment === "smb")));
    } finally {
      two.close();
    }
  }, 60_000);

  test("refuses a window that does not start on a Monday: blocks are whole UTC weeks", () => {
    expect(() => blockMask(files.cells, filterOf({from: "2026-10-13"}))).toThrow(
      "traces: the filter's week 2026-10-13 is not a Monday (blocks are whole UTC weeks)"
    );
  });
});

describe("sampleNoteText", () => {
  test("names the sampled n and the total of an export the size policy sampled, and nothing when whole", async () => {
    // The size policy with a cap of 150 requests: the export keeps whole traces by a hash of their id.
    const plan = await exportPlan(db, "requests", {maxRows: 150});
    expect(plan.sampled).toBe(true);
    expect(plan.rows).toBe(all.length);
    // The rows the Parquet file would hold, counted here from the export's own SELECT.
    const [{n}] = await db.query<{n: number}>(
      `SELECT count(*)::INTEGER AS n FROM (${exportSql(plan, {maxRows: 150})})`
    );
    expect(plan.exported).toBe(n);
    expect(n).toBeLessThan(all.length);
    const text = sampleNoteText({requests: {exported: plan.exported, rows: plan.rows}, spans: null})!;
    expect(text).toContain(`${plan.exported} of ${all.length} requests`);
    expect(text).not.toContain("spans");
    expect(sampleNoteText({requests: null, spans: {exported: 1_234, rows: 5_000}})).toContain("1,234 of 5,000 spans");
    expect(sampleNoteText({requests: null, spans: null})).toBeNull();
  });
});

describe("traceFilterOptions", () => {
  test("offers the build's segments, categories, prompt versions and weeks", async () => {
    const page = await tracesPage(db, resolveWorkspace({WORKBENCH_WORKSPACE: tempWorkspace({})}));
    const options = traceFilterOptions(page.filters);
    expect(options.segment).toEqual(["(none)", "enterprise", "smb"]);
    expect(options.category).toEqual(["billing", "o'brien"]);
    expect(options.from).toEqual(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"]);
    expect(options.to).toEqual(options.from);
  });
});

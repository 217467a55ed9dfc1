// The drift page's filters recompute, in the browser, what the build computes for a warehouse holding
// the whole eval set and only the filtered production requests and corrections: the browser's queries
// run here on the full warehouse (DuckDB in Node, as DuckDB-wasm runs them over the exported tables),
// against the eval counts the full build wrote, and must equal driftPage over the slice's workspace.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {driftPage} from "../../../../loaders/queries/drift.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {driftFilterOptions} from "../../../../src/components/driftFilters.js";
import {slicedDrift} from "../../../../src/components/driftSlice.js";
import {noFilter, type PageFilter} from "../../../../src/components/pageFilters.js";
import {ingest, jsonl} from "../../../helpers.js";

type Row = Record<string, unknown>;
const CATEGORIES = ["billing", "refunds", "o'brien", "export"];

/** A seeded workspace: eval cases of two features (none of category "export"), traces and corrections over six weeks. */
function workspace() {
  let seed = 5;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const evals: Row[] = [];
  for (let i = 0; i < 120; i++)
    evals.push({
      // One run per suite: a run's rows name one suite (loaders/warehouse/evalRuns.ts).
      run_id: i % 2 ? "chat-r1" : "ac-r1",
      case_id: `c${i}`,
      suite: i % 2 ? "chat-golden" : "ac-golden",
      feature: i % 2 ? "support-chat" : "autocomplete",
      started_at: "2026-10-01T09:00:00Z",
      model: "gpt-4.1",
      category: CATEGORIES[i % 3],
      input_chars: 100 + Math.floor(next() * 900),
      passed: next() < 0.8
    });
  const traces: {root: Row; spans: Row[]}[] = [];
  const corrections: Row[] = [];
  const start = Date.parse("2026-10-05T00:00:00Z");
  for (let i = 0; i < 500; i++) {
    const trace_id = `t${i}`;
    const segment = ["enterprise", "smb", null][i % 3];
    const feature = i % 2 ? "support-chat" : "autocomplete";
    // Enterprise asks for exports, a category no eval covers, far more often.
    const category = segment === "enterprise" && next() < 0.3 ? "export" : CATEGORIES[Math.floor(next() * 3)];
    const at = new Date(start + Math.floor(next() * 42 * 86_400_000)).toISOString();
    const model = i % 5 ? "gpt-4.1" : "gemini-2.5-flash";
    const root: Row = {
      trace_id,
      span_id: `${trace_id}r`,
      name: feature,
      kind: "chain",
      start_time: at,
      duration_ms: 500,
      feature,
      ...(segment ? {segment} : {}),
      category,
      input_chars: 80 + Math.floor(next() * (segment === "enterprise" ? 2000 : 900)),
      status: next() < 0.05 ? "error" : "ok"
    };
    const call: Row = {
      trace_id,
      span_id: `${trace_id}c`,
      parent_span_id: `${trace_id}r`,
      name: "generate",
      kind: "llm",
      start_time: at,
      duration_ms: 400,
      model,
      status: "ok"
    };
    traces.push({root: {...root, model}, spans: [root, call]});
    if (i % 2 === 0)
      corrections.push({
        event_id: `e${i}`,
        at,
        feature,
        model,
        ...(segment ? {segment} : {}),
        category,
        trace_id,
        action: next() < (category === "export" ? 0.4 : 0.7) ? "accepted" : "escalated"
      });
  }
  return {evals, traces, corrections};
}

const w = workspace();
const files = (keep: (r: Row) => boolean) => ({
  "evals.jsonl": jsonl(...w.evals),
  "spans.jsonl": jsonl(...w.traces.filter((t) => keep(t.root)).flatMap((t) => t.spans)),
  "corrections.jsonl": jsonl(...w.corrections.filter(keep))
});

let db: Database;
beforeAll(async () => {
  db = await ingest(files(() => true));
});
afterAll(() => db?.close());

const KEYS = ["quality", "deployments", "categoryShift", "lengthShift", "newCategories"] as const;
const pick = (p: Record<(typeof KEYS)[number], unknown>) => Object.fromEntries(KEYS.map((k) => [k, p[k]]));

async function buildOf(keep: (r: Row) => boolean) {
  const slice = await ingest(files(keep));
  try {
    return pick(await driftPage(slice));
  } finally {
    slice.close();
  }
}

const filterOf = (set: Record<string, string>): PageFilter => ({
  ...noFilter(["model", "segment", "from", "to"]),
  ...set
});
const query = <R>(sql: string) => db.query(sql) as unknown as Promise<R[]>;

describe("slicedDrift(query, filter, page)", () => {
  test("unfiltered, equals the build's shift and untested categories", async () => {
    const page = await driftPage(db);
    expect(pick(await slicedDrift(query, filterOf({}), page))).toEqual(pick(page));
  });

  test("filtered to enterprise, equals the build over the enterprise requests and corrections, and shows the export category", async () => {
    const page = await driftPage(db);
    const got = await slicedDrift(query, filterOf({segment: "enterprise"}), page);
    expect(pick(got)).toEqual(await buildOf((r) => r.segment === "enterprise"));
    const psi = (p: {categoryShift: {feature: string; psi: number | null}[]}) =>
      p.categoryShift.find((s) => s.feature === "support-chat")!.psi!;
    expect(psi(got)).toBeGreaterThan(psi(page));
    expect(got.newCategories.map((c) => c.category)).toContain("export");
    // Quality since launch is the slice's own: fewer corrections, measured against its own first weeks.
    const baseline = (p: typeof got) => p.quality.baseline.find((b) => b.feature === "autocomplete")!;
    expect(baseline(got).n).toBeLessThan(baseline(page).n);
    expect(got.quality.weekly.length).toBeGreaterThan(0);
  });

  test("a model, the missing segment and a window of weeks each select what the build would count", async () => {
    const page = await driftPage(db);
    const inWindow = (r: Row) =>
      String(r.start_time ?? r.at) >= "2026-10-12" && String(r.start_time ?? r.at) < "2026-10-26";
    const cases: [Record<string, string>, (r: Row) => boolean][] = [
      [{model: "gemini-2.5-flash"}, (r) => r.model === "gemini-2.5-flash"],
      [{segment: "(none)"}, (r) => r.segment === undefined],
      [{from: "2026-10-12", to: "2026-10-19"}, inWindow]
    ];
    for (const [filter, keep] of cases)
      expect(pick(await slicedDrift(query, filterOf(filter), page)), JSON.stringify(filter)).toEqual(
        await buildOf(keep)
      );
  });

  test("driftFilterOptions offers the build's models, segments and weeks", async () => {
    const options = driftFilterOptions((await driftPage(db)).filters);
    expect(options.model).toEqual(["gemini-2.5-flash", "gpt-4.1"]);
    expect(options.segment).toEqual(["(none)", "enterprise", "smb"]);
    expect(options.from).toEqual(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]);
  });
});

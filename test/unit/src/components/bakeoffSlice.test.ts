// The bake-off recomputed on a filtered slice in the browser (bakeoffSlice.ts, over bakeoff-cases.json)
// equals the build's bake-off over a warehouse that holds only that slice: pass rates and intervals,
// the best option, paired differences, McNemar p, margin verdicts, mean cost and p95 latency, the
// recommendation (with the feature's budgets) and every category's rows and recommendation; and the
// table of each option's quality, cost and latency: the mean score's seeded bootstrap interval, p50 and
// p99, errors, refusals, passes per result, tokens and the cost's source.
import {afterEach, describe, expect, test} from "vitest";
import {bakeoff} from "../../../../loaders/queries/bakeoff.js";
import {bakeoffCases} from "../../../../loaders/queries/bakeoffCases.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import {ALL} from "../../../../src/lib/all.js";
import {bakeoffMask, sliceBakeoff} from "../../../../src/components/bakeoffSlice.js";
import type {BakeoffFilter} from "../../../../src/components/bakeoffFilters.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest, jsonl, sharedIngest} from "../../../helpers.js";

const opened: Database[] = [];
afterEach(() => Promise.all(opened.splice(0).map((db) => db.close())));
// A cost budget the dearest option breaks, so the recommendation has a budget to weigh.
const config = {bakeoff: {margin: {chat: 0.05}}, budgets: {cost_per_request_usd: {chat: 0.004}}};
const open = async (rows: readonly object[], spans: readonly object[]) => {
  const db = await ingest({"eval_results.jsonl": jsonl(...rows), "spans.jsonl": jsonl(...spans)}, config);
  opened.push(db);
  return db;
};

type Row = {
  run_id: string;
  case_id: string;
  epoch: number;
  category: string;
  tags?: string;
  passed: boolean;
  latency_ms?: number;
  cost_usd?: number;
  score?: number;
  error?: string;
  refused?: boolean;
  input_tokens?: number;
  output_tokens?: number;
};

/**
 * Three options graded on the same 180 cases: "large" passes most, "small" loses on refunds and long
 * inputs, "mid" ran every case twice (so its verdict is the majority of two, and both epochs are
 * requests) and has no reported cost on billing cases.
 */
function rows(): Row[] {
  const out: Row[] = [];
  const options = [
    ["large", 0.92, 1200, 0.004, 1],
    ["mid", 0.85, 800, 0.002, 2],
    ["small", 0.8, 400, 0.0005, 1]
  ] as const;
  for (const [model, p, ms, usd, epochs] of options)
    for (let i = 0; i < 180; i++)
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const category = ["billing", "login", "refund"][i % 3];
        const long = i % 5 === 0;
        const weak = model === "small" && (category === "refund" || long);
        const draw = ((i * 37 + epoch * 11 + model.length * 7) % 100) / 100;
        out.push({
          run_id: `r-${model}`,
          case_id: `c${String(i).padStart(3, "0")}`,
          epoch,
          category,
          // A second tag on every fourth case, so some cases carry two and a tag's cells are several.
          ...(long || i % 4 === 1
            ? {tags: [long && "long-input", i % 4 === 1 && "vip"].filter(Boolean).join(",")}
            : {}),
          passed: draw < (weak ? p - 0.3 : p),
          // Errored requests have no latency (as Inspect's logs leave it out), so the packed latencies hold nulls.
          ...(i % 13 === 7 ? {} : {latency_ms: ms + ((i * 53 + epoch * 29) % 700)}),
          ...(model === "mid" && category === "billing" ? {} : {cost_usd: usd * (1 + (i % 7) / 10)}),
          // Scores in [0, 1] (none on every eleventh case), tokens, a few errors and refusals, so the
          // table's bootstrap, errors, refusals and tokens have something to differ by slice.
          ...(i % 11 === 4 ? {} : {score: ((i * 29 + epoch * 17 + model.length * 3) % 97) / 96}),
          ...(i % 13 === 7 ? {error: "timeout"} : {}),
          refused: (i * 7 + epoch) % 17 === 0,
          input_tokens: 300 + ((i * 41) % 900) * (long ? 10 : 1),
          output_tokens: 40 + ((i * 23 + epoch * 5) % 160)
        });
      }
  return out.map((r) => ({
    ...r,
    suite: "s",
    feature: "chat",
    started_at: "2026-11-10T09:00:00Z",
    model: r.run_id.slice(2),
    prompt_version: "v1"
  })) as Row[];
}

type Span = {trace_id: string; span_id: string; category?: string; [key: string]: unknown};

/**
 * Traced "chat" requests, one model call each, 90 of them: each model in each category, slower than
 * on the eval; small costs $0.005 a request on refunds (over the $0.004 budget its eval keeps) and
 * $0.0004 elsewhere, so only a refund slice puts small over the budget in production.
 */
function spans(): Span[] {
  return Array.from({length: 90}, (_, i) => {
    const model = ["large", "mid", "small"][i % 3];
    const category = ["billing", "login", "refund"][Math.floor(i / 3) % 3];
    const start_time = `2026-11-${String(1 + (i % 20)).padStart(2, "0")}T10:00:00Z`;
    const duration_ms = 900 + ((i * 137) % 1600);
    const cost_usd = model === "small" ? (category === "refund" ? 0.005 : 0.0004) : 0.003;
    return [
      {
        trace_id: `t${i}`,
        span_id: "root",
        name: "chat",
        kind: "chain",
        start_time,
        duration_ms,
        feature: "chat",
        category
      },
      {
        trace_id: `t${i}`,
        span_id: "call",
        parent_span_id: "root",
        name: "call",
        kind: "llm",
        start_time,
        duration_ms: duration_ms - 10,
        model,
        cost_usd
      }
    ];
  }).flat();
}

/** The spans of the traces whose root is in the category. */
const spansIn = (category: string) => {
  const kept = new Set(spans().flatMap((x) => (x.category === category ? [x.trace_id] : [])));
  return spans().filter((x) => kept.has(x.trace_id));
};

const filter = (over: Partial<BakeoffFilter>): BakeoffFilter => ({category: ALL, tag: ALL, ...over});
const tagged = (r: Row, tag: string) => (r.tags ?? "").split(",").includes(tag);

describe("sliceBakeoff(suite, keep, margin)", () => {
  // Every test reads the whole suite unchanged: one ingest for the four.
  const wholeSuite = sharedIngest(
    () => ({"eval_results.jsonl": jsonl(...rows()), "spans.jsonl": jsonl(...spans())}),
    config
  );
  const slices: [string, Partial<BakeoffFilter>, (r: Row) => boolean][] = [
    ["category refund", {category: "refund"}, (r) => r.category === "refund"],
    ["tag long-input", {tag: "long-input"}, (r) => tagged(r, "long-input")],
    ["tag vip", {tag: "vip"}, (r) => tagged(r, "vip")],
    [
      "category billing and tag long-input",
      {category: "billing", tag: "long-input"},
      (r) => r.category === "billing" && tagged(r, "long-input")
    ]
  ];
  test.each(slices)("of %s equals the build over a warehouse holding only that slice", async (_, over, inSlice) => {
    const all = rows();
    const [cases] = (await bakeoffCases(await wholeSuite())).suites;
    // Production on a category is that category's traced requests; a tag alone keeps all of them.
    const traced = over.category ? spansIn(over.category) : spans();
    const [build] = (await bakeoff(await open(all.filter(inSlice), traced), {config: configSchema.parse(config)}))
      .suites;
    const browser = sliceBakeoff(cases, bakeoffMask(cases, filter(over)), 0.05, build.budget, over.category ?? null);
    expect(browser.recommendation).toEqual(build.recommendation);
    // The category grid and the per-category recommendations: each category of the slice, as the build has it.
    const cells = (c: (typeof build.categories)[number]) => ({
      ...c,
      rows: c.rows.map(({latency_p95: _, ...r}) => r)
    });
    expect(browser.categories.map(cells)).toEqual(build.categories.map(cells));
    expect(browser.cases).toBe(new Set(all.filter(inSlice).map((r) => r.case_id)).size);
    const shape = (o: {option: string; pass: unknown; cost: {mean: number | null}; vs_best: unknown}) => ({
      option: o.option,
      pass: o.pass,
      cost: o.cost.mean,
      vs_best: o.vs_best
    });
    expect(browser.options.map(shape)).toEqual(build.options.map(shape));
    // The table of each option's quality, cost and latency, row for row as the build has it (the
    // percentiles to one rounding step, below): the mean score's seeded bootstrap on the slice's scores
    // in case order, errors, refusals, passes per result, tokens and the cost's source (p95 is checked below).
    const row = ({latency, requests: _, production: __, ...o}: Record<string, unknown> & {latency: object}) => ({
      ...o,
      latency: {...latency, p50: null, p95: null, p99: null}
    });
    expect(browser.options.map(row)).toEqual(build.options.map(row));
    for (const p of ["p50", "p99"] as const)
      browser.options.forEach((o, i) =>
        expect(Math.abs(o.latency[p]! - build.options[i].latency[p]!)).toBeLessThanOrEqual(0.1 + 1e-9)
      );
    // Something to compare: a bootstrap interval (not Student t), errors, and mid's two epochs per case.
    expect(browser.options.every((o) => o.score?.method === "bootstrap" && o.score.low! < o.score.high!)).toBe(true);
    expect(browser.options.some((o) => o.errors!.rate! > 0)).toBe(true);
    expect(browser.options.find((o) => o.model === "mid")!.result_pass).not.toBeNull();
    // The same type-7 interpolation; DuckDB's arithmetic may land a half-way value (1423.65) on the other
    // side of the page's rounding to 0.1 ms, so p95 agrees to one rounding step.
    browser.options.forEach((o, i) =>
      expect(Math.abs(o.latency.p95! - build.options[i].latency.p95!)).toBeLessThanOrEqual(0.1 + 1e-9)
    );
    browser.categories.forEach((c, k) =>
      c.rows.forEach((r, i) =>
        expect(Math.abs(r.latency_p95! - build.categories[k].rows[i].latency_p95!)).toBeLessThanOrEqual(0.1 + 1e-9)
      )
    );
    // Routing: the slice's per-category recommendations replayed as a plan, against the best single
    // option, as the build replays them on a warehouse holding only the slice (p95s to one rounding step).
    const routing = (r: typeof build.routing) =>
      r && {...r, latency_p95: null, versus: {...r.versus, latency_p95: null}};
    expect(build.routing).not.toBeNull();
    expect(routing(browser.routing)).toEqual(routing(build.routing));
    expect(Math.abs(browser.routing!.latency_p95! - build.routing!.latency_p95!)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs(browser.routing!.versus.latency_p95! - build.routing!.versus.latency_p95!)).toBeLessThanOrEqual(
      0.1 + 1e-9
    );
    // Eval against production: the slice's eval p95 and cost beside the model's traced requests in the
    // filter's category (all of them for a tag), and the budgets kept on the eval but broken in production.
    expect(browser.options.map((o) => [o.option, o.production])).toEqual(
      build.options.map((o) => [o.option, o.production])
    );
    expect(browser.options.every((o) => o.production && o.production.requests > 0)).toBe(true);
    const smallOver = browser.options.find((o) => o.model === "small")!.production!.over_in_production;
    expect(smallOver).toEqual(over.category === "refund" ? ["cost per request"] : []);
    // Something to compare: the budget leaves the dearest option out, with its reason.
    expect(browser.recommendation.excluded.map((e) => e.why).join()).toMatch(/cost budget|cost unknown/);
    // Something to compare: a verdict against the margin and an unknown-free cost where the slice has one.
    expect(browser.options.filter((o) => o.vs_best?.within_margin).length).toBe(2);
  });

  test("refuses a slice that keeps part of a category and tag set, whose figures the file sums whole", async () => {
    const [cases] = (await bakeoffCases(await wholeSuite())).suites;
    const keep = bakeoffMask(cases, filter({category: "refund"}));
    keep[keep.indexOf(true)] = false;
    expect(() => sliceBakeoff(cases, keep, 0.05)).toThrow(/splits the cases of one category and tag set/);
  });

  test("bakeoffCases lists each suite's distinct scores and latencies once and sums the requests per category and tag set", async () => {
    const [cases] = (await bakeoffCases(await wholeSuite())).suites;
    const all = rows();
    // Three categories, each with no tag, long-input, vip, and both.
    expect(cases.cells).toHaveLength(12);
    expect(cases.cells.filter((c) => c.tags.length === 2)).toHaveLength(3);
    expect(new Set(cases.scores.values).size).toBe(cases.scores.values.length);
    expect(cases.latencies).toEqual([...new Set(all.flatMap((r) => r.latency_ms ?? []))].sort((a, b) => a - b));
    // Each cell's latencies are its requests' with one (errored ones have none).
    expect(cases.options.map((o) => o.requests.cells.latency_n.reduce((a, b) => a + b))).toEqual(
      ["large", "mid", "small"].map(
        (m) => all.filter((r) => r.run_id === `r-${m}` && r.latency_ms !== undefined).length
      )
    );
    // Every request is in one cell: 180 cases once, twice (mid's two epochs) and once.
    expect(cases.options.map((o) => o.requests.cells.requests.reduce((a, b) => a + b))).toEqual([180, 360, 180]);
    expect(cases.options.map((o) => o.requests.cells.cases.reduce((a, b) => a + b))).toEqual([180, 180, 180]);
  });

  test("shows the small model's loss on long inputs that the whole suite dilutes", async () => {
    const [cases] = (await bakeoffCases(await wholeSuite())).suites;
    const whole = sliceBakeoff(cases, bakeoffMask(cases, filter({})), 0.05);
    const long = sliceBakeoff(cases, bakeoffMask(cases, filter({tag: "long-input"})), 0.05);
    // With a margin, the recommendation on the long inputs leaves small out for failing it.
    expect(long.recommendation.excluded.find((e) => e.key === "small · v1")?.why).toMatch(/worse than the best/);
    const small = (s: typeof whole) => s.options.find((o) => o.option === "small · v1")!.vs_best!;
    expect(small(long).difference.estimate!).toBeLessThan(small(whole).difference.estimate!);
    expect(small(long).within_margin).toBe("fail");
  });
});

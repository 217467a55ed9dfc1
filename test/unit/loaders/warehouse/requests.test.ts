// The requests table against a plain JavaScript reading of its definition (docs/production.md, "A
// request"), over random traces of every shape the fast path must hand on to the exact one: several
// roots, no root (with and without attributes), a lost middle span, attributes only on children, two
// models in one request.
import {afterAll, beforeAll, expect, test} from "vitest";
import {seededRandom} from "../../../../src/lib/metrics/seededRandom.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {repriceCosts} from "../../../../loaders/warehouse/prices.js";
import {repriceRequests} from "../../../../loaders/warehouse/requests.js";
import {ingest, jsonl} from "../../../helpers.js";

type Span = {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind: string;
  start_ms: number;
  duration_ms: number;
  feature?: string;
  segment?: string;
  category?: string;
  prompt_version?: string;
  input_chars?: number;
  model?: string;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  status?: string;
  finish_reason?: string;
};

const random = seededRandom(1129);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const maybe = <T>(p: number, value: T): T | undefined => (random() < p ? value : undefined);
const T0 = Date.UTC(2026, 10, 2, 10);

function randomTrace(t: number): Span[] {
  const trace_id = `t${String(t).padStart(3, "0")}`;
  const n = 1 + Math.floor(random() * 5);
  const spans: Span[] = [];
  const shape = pick([
    "usual",
    "usual",
    "usual",
    "two-roots",
    "headless",
    "headless-bare",
    "lost-middle",
    "attributes-on-children",
    "two-models"
  ]);
  for (let i = 0; i < n; i++) {
    const root = i === 0 || (shape === "two-roots" && i === 1);
    let parent = root ? undefined : `s${Math.floor(random() * i)}`;
    if (shape.startsWith("headless") && i === 0) parent = "never-exported";
    if (shape === "lost-middle" && i === n - 1 && i > 0) parent = "lost";
    const call = random() < 0.5 || (shape === "two-models" && i > 0);
    const onRoot = root && shape !== "attributes-on-children";
    const bare = shape === "headless-bare";
    spans.push({
      trace_id,
      span_id: `s${i}`,
      parent_span_id: parent,
      name: `op${i}`,
      kind: call ? pick(["llm", "embedding"]) : pick(["chain", "tool", "retrieval"]),
      start_ms: T0 + t * 60_000 + Math.floor(random() * 2000),
      duration_ms: 10 + Math.floor(random() * 3000),
      feature:
        !bare && (onRoot || random() < 0.2) ? maybe(0.9, pick(["support-chat", "autocomplete", "search"])) : undefined,
      segment: !bare && (onRoot || random() < 0.2) ? maybe(0.8, pick(["smb", "enterprise"])) : undefined,
      category: !bare && (onRoot || random() < 0.2) ? maybe(0.8, pick(["billing", "refunds", "shipping"])) : undefined,
      prompt_version: !bare && onRoot ? maybe(0.7, pick(["v1", "v2"])) : undefined,
      input_chars: !bare && (onRoot || random() < 0.2) ? maybe(0.8, Math.floor(random() * 5000)) : undefined,
      model: call
        ? maybe(0.9, shape === "two-models" ? pick(["gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4"]) : "gpt-4.1")
        : undefined,
      input_tokens: call ? maybe(0.9, Math.floor(random() * 2000)) : undefined,
      output_tokens: call ? maybe(0.9, Math.floor(random() * 400)) : undefined,
      cost_usd: call ? maybe(0.7, Math.floor(random() * 1000) / 1e5) : undefined,
      status: maybe(0.9, random() < 0.1 ? "error" : "ok"),
      finish_reason: call ? maybe(0.9, pick(["stop", "stop", "length", "content_filter"])) : undefined
    });
  }
  return spans;
}

const spans = Array.from({length: 400}, (_, t) => randomTrace(t)).flat();

const defined = <T>(xs: T[]): NonNullable<T>[] => xs.filter((x): x is NonNullable<T> => x !== undefined && x !== null);
const max = <T extends string | number>(xs: T[]): T | null => (xs.length ? xs.reduce((a, b) => (b > a ? b : a)) : null);
const sum = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) : null);

/** The definition, read literally. */
function expectedRequest(trace: Span[]) {
  const ids = new Set(trace.map((s) => s.span_id));
  const parentless = trace.filter((s) => s.parent_span_id === undefined);
  const roots = parentless.length ? parentless : trace.filter((s) => !ids.has(s.parent_span_id!));
  const calls = trace.filter((s) => s.kind === "llm" || s.kind === "embedding");
  const start = Math.min(...trace.map((s) => s.start_ms));
  const attribute = <K extends "feature" | "segment" | "category" | "prompt_version" | "input_chars">(k: K) =>
    max(defined(roots.map((s) => s[k]))) ?? max(defined(trace.map((s) => s[k])));
  const models = [...new Set(defined(calls.map((s) => s.model)))].sort();
  const costed = calls.every((s) => s.cost_usd !== undefined);
  const source = !calls.length ? null : !costed ? "missing" : "reported";
  return {
    trace_id: trace[0].trace_id,
    start_time: new Date(start).toISOString(),
    duration_ms:
      roots.length === 1 ? roots[0].duration_ms : Math.max(...trace.map((s) => s.start_ms + s.duration_ms)) - start,
    feature: attribute("feature"),
    segment: attribute("segment"),
    category: attribute("category"),
    prompt_version: attribute("prompt_version"),
    input_chars: attribute("input_chars"),
    model: models.length ? models.join(" + ") : null,
    spans: trace.length,
    roots: roots.length,
    calls: calls.length,
    input_tokens: sum(defined(calls.map((s) => s.input_tokens))),
    output_tokens: sum(defined(calls.map((s) => s.output_tokens))),
    cost_usd: costed && calls.length ? Math.round(sum(calls.map((s) => s.cost_usd!))! * 1e8) / 1e8 : null,
    cost_source: source,
    failed: trace.some((s) => s.status === "error"),
    refused: trace.some((s) => s.finish_reason === "content_filter"),
    truncated: trace.some((s) => s.finish_reason === "length")
  };
}

let db: Database;
beforeAll(async () => {
  const rows = spans.map(({start_ms, ...s}) => ({...s, start_time: new Date(start_ms).toISOString()}));
  db = await ingest({"spans.jsonl": jsonl(...rows)});
});
afterAll(() => db.close());

test("requests equal the definition read literally, for random traces of every shape", async () => {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s]);
  const expected = [...byTrace.values()].map(expectedRequest);
  // Every shape the fast path hands on occurs, so both paths are compared.
  expect(expected.filter((r) => r.roots !== 1).length).toBeGreaterThan(20);
  expect(expected.filter((r) => r.model?.includes(" + ")).length).toBeGreaterThan(10);
  expect(
    expected.filter(
      (r) =>
        r.roots === 1 &&
        r.feature !== null &&
        byTrace.get(r.trace_id)!.every((s) => s.parent_span_id !== undefined || s.feature === undefined)
    ).length
  ).toBeGreaterThan(5);
  const actual =
    await db.query(`SELECT trace_id, start_time, duration_ms, feature, segment, category, prompt_version, input_chars::INTEGER AS input_chars, model,
      spans, roots, calls, input_tokens, output_tokens, round(cost_usd, 8) AS cost_usd, cost_source, failed, refused, truncated
    FROM requests ORDER BY trace_id`);
  expect(actual).toEqual(expected);
});

test("after a price change, requests repriced in place carry the cost of their model calls at the new prices", async () => {
  const before = [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}];
  const after = [
    {model: "gpt-4.1", input_per_mtok: 3, output_per_mtok: 12},
    {model: "claude-sonnet-4", input_per_mtok: 1, output_per_mtok: 5}
  ];
  const rows = spans.map(({start_ms, ...s}) => ({...s, start_time: new Date(start_ms).toISOString()}));
  const priced = await ingest({"spans.jsonl": jsonl(...rows)}, {prices: before});
  try {
    await repriceCosts(priced, after);
    await repriceRequests(priced);
    // Each call's cost read from the span as written: reported, unless a reported 0 with tokens (not a
    // price); else computed when both token counts and a price exist; else unknown.
    const callCost = (s: Span): {cost: number | null; source: string} => {
      const zero = s.cost_usd === 0 && ((s.input_tokens ?? 0) > 0 || (s.output_tokens ?? 0) > 0);
      if (s.cost_usd !== undefined && !zero) return {cost: s.cost_usd, source: "reported"};
      const price = after.find((p) => p.model === s.model);
      if (price && s.input_tokens !== undefined && s.output_tokens !== undefined)
        return {
          cost: (s.input_tokens * price.input_per_mtok + s.output_tokens * price.output_per_mtok) / 1e6,
          source: "computed"
        };
      return {cost: null, source: "missing"};
    };
    const byTrace = new Map<string, Span[]>();
    for (const s of spans) byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s]);
    const expected = [...byTrace.values()].map((trace) => {
      const calls = trace.filter((s) => s.kind === "llm" || s.kind === "embedding").map(callCost);
      const known = calls.every((c) => c.cost !== null);
      const sources = new Set(calls.map((c) => c.source));
      return {
        trace_id: trace[0].trace_id,
        cost_usd: calls.length && known ? Math.round(sum(calls.map((c) => c.cost!))! * 1e8) / 1e8 : null,
        cost_source: !calls.length ? null : !known ? "missing" : sources.size === 1 ? [...sources][0] : "mixed"
      };
    });
    // Every kind of request occurs, so a request left at the old prices would show.
    for (const source of ["computed", "mixed", "reported", "missing"])
      expect(expected.filter((r) => r.cost_source === source).length).toBeGreaterThan(5);
    const actual = await priced.query(`SELECT trace_id, round(cost_usd, 8) AS cost_usd, cost_source
      FROM requests ORDER BY trace_id`);
    expect(actual).toEqual(expected);
  } finally {
    priced.close();
  }
});

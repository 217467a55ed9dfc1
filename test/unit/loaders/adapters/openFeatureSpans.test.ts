// Real spans that carry an experiment's variant the way a flag SDK writes it: OpenFeature's SpanHook
// (@openfeature/open-telemetry-hooks) records each evaluation of the flag "draft-tone" as a span with
// feature_flag.key and feature_flag.result.variant, and its SpanEventHook as an event with the same
// attributes on the request span; beside them, the openai client's span from
// @opentelemetry/instrumentation-openai (test/fixtures/real/openfeature-otel/generate.mjs). Ingest must
// give each trace its arm, and the page's per-arm model guardrails must equal a plain reading of the file.
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {experimentsPage} from "../../../../loaders/queries/experiments.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {binaryExperiment, ingest, jsonl} from "../../../helpers.js";
import {realFixture} from "../../../realFixtures.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const price = {model: "gpt-4.1-mini", input_per_mtok: 0.4, output_per_mtok: 1.6};

const flat = (attributes: Json[]) => Object.fromEntries(attributes.map((a) => [a.key, Object.values(a.value)[0]]));

/** The test's own reading of the OTLP JSON: every span with flat attributes, its events, duration and status. */
function rawSpans(file: string): Json[] {
  return JSON.parse(realFixture(file)).resourceSpans.flatMap((rs: Json) =>
    rs.scopeSpans.flatMap((ss: Json) =>
      ss.spans.map((s: Json) => ({
        ...s,
        scope: ss.scope.name,
        attrs: flat(s.attributes),
        flagEvents: s.events
          .filter((e: Json) => e.name === "feature_flag.evaluation")
          .map((e: Json) => flat(e.attributes)),
        ms: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6
      }))
    )
  );
}

/** Each evaluation of the flag, from a span (SpanHook) or a span's event (SpanEventHook): its trace and attributes. */
function flagEvaluations(spans: Json[]): {traceId: string; at: string; attrs: Json}[] {
  return spans.flatMap((s) =>
    [s.attrs, ...s.flagEvents]
      .filter((attrs) => attrs["feature_flag.key"] === "draft-tone")
      .map((attrs) => ({traceId: s.traceId, at: s.startTimeUnixNano, attrs}))
  );
}

const config = {
  prices: [price],
  experiments: [
    binaryExperiment({
      name: "draft-tone",
      metric: "draft_sent",
      start: "2026-01-01T00:00:00Z",
      end: "2027-01-01T00:00:00Z",
      minimumEffect: 0.05
    })
  ]
};

describe.each([
  ["spans.otlp.json", "SpanHook: an evaluation span"],
  ["spans-events.otlp.json", "SpanEventHook: an evaluation event on the request span"]
])("OpenFeature %s (%s) with the openai client's spans", (name) => {
  const file = `openfeature-otel/${name}`;
  const spans = rawSpans(file);
  const evaluations = flagEvaluations(spans);
  const armOf = new Map(evaluations.map((e) => [e.traceId, e.attrs["feature_flag.result.variant"] as string]));
  const calls = spans.filter((s) => s.scope === "@opentelemetry/instrumentation-openai");

  let db: Database;
  let page: Awaited<ReturnType<typeof experimentsPage>>;
  beforeAll(async () => {
    // The flag's evaluations are the experiment's assignments: one per user, at the evaluating span's start.
    const assignments = evaluations.map((e) => ({
      experiment: "draft-tone",
      unit_id: e.attrs["feature_flag.context.id"],
      variant: e.attrs["feature_flag.result.variant"],
      assigned_at: new Date(Number(BigInt(e.at) / 1_000_000n)).toISOString()
    }));
    db = await ingest({[name]: realFixture(file), "assignments.jsonl": jsonl(...assignments)}, config);
    page = await experimentsPage(db, {config: configSchema.parse(config)});
  }, 60_000);
  afterAll(() => db?.close());

  test("the file holds one flag evaluation per request, in both arms, and the openai call of each", () => {
    expect(evaluations).toHaveLength(60);
    expect(new Set(evaluations.map((e) => e.traceId)).size).toBe(60);
    expect(new Set(armOf.values())).toEqual(new Set(["control", "treatment"]));
    expect(calls).toHaveLength(60);
  });

  test("ingest gives each trace its flag's arm, on the span that evaluated the flag, and nothing else", async () => {
    const rows = await db.query<{trace_id: string; experiment: string; variant: string}>(
      `SELECT trace_id, experiment, variant FROM spans WHERE variant IS NOT NULL ORDER BY trace_id`
    );
    expect(rows).toHaveLength(60);
    for (const r of rows)
      expect(r).toEqual({trace_id: r.trace_id, experiment: "draft-tone", variant: armOf.get(r.trace_id)});
    const [{n}] = await db.query<{n: number}>(`SELECT count(*)::INTEGER AS n FROM quarantine`);
    expect(n).toBe(0);
  });

  test("per-arm model guardrails equal the raw file's: p95 latency, failure rate and cost per request of the openai calls", () => {
    const readout = page.experiments.find((e) => e.name === "draft-tone")!;
    const g = Object.fromEntries(readout.comparisons[0].modelGuardrails!.map((x) => [x.name, x]));
    for (const variant of ["control", "treatment"] as const) {
      const arm = calls.filter((s) => armOf.get(s.traceId) === variant);
      const sorted = arm.map((s) => s.ms).sort((a, b) => a - b);
      const h = (sorted.length - 1) * 0.95;
      const p95 = sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
      expect(g["p95 latency"][variant]).toMatchObject({n: arm.length, value: expect.closeTo(p95, 3)});
      // Status code 2 is OTLP's STATUS_CODE_ERROR.
      const failed = arm.filter((s) => s.status.code === 2).length;
      expect(g["failure rate"][variant]).toMatchObject({n: arm.length, value: expect.closeTo(failed / arm.length, 12)});
      // A failed call reports no tokens; its cost is unknown, never free, so it is left out.
      const costs = arm
        .filter((s) => s.attrs["gen_ai.usage.input_tokens"] !== undefined)
        .map(
          (s) =>
            (Number(s.attrs["gen_ai.usage.input_tokens"]) * price.input_per_mtok +
              Number(s.attrs["gen_ai.usage.output_tokens"]) * price.output_per_mtok) /
            1e6
        );
      expect(g["cost per request"][variant]).toMatchObject({
        n: costs.length,
        value: expect.closeTo(costs.reduce((a, b) => a + b, 0) / costs.length, 12)
      });
    }
    // The treatment's friendlier prompt is slower and costlier in these files.
    expect(g["p95 latency"].treatment.value!).toBeGreaterThan(g["p95 latency"].control.value!);
    expect(g["cost per request"].breached).toBe(true);
  });
});

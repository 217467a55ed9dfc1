// The traces page: request volume, end-to-end and per-span-kind latency percentiles over time, tokens
// and cost per request with their provenance, error/refusal/truncation rates with intervals, and the
// slowest and most expensive traces with their spans. Every slice comes for each feature × model,
// each alone and all together, so the page's filters only pick rows.
import {fillHint} from "../adapters/index.js";
import {quotedIdentifier, type Database} from "../warehouse/duckdb.js";
import type {Workspace} from "../workspace/config.js";
import {round, spanDays, trendGranularity, volumeGranularity} from "./production.js";
import {NONE} from "../../src/lib/all.js";
import {setDepths} from "../../src/lib/spanTree.js";
import {
  modelSnapshotsOf,
  modelSnapshotsSql,
  requestsWithAnsweredBySql,
  spanLatenciesOf,
  spanLatencySql,
  type SnapshotRow,
  type SpanLatencyRow
} from "../../src/lib/traceSpans.js";
import {
  latencyOf,
  latencySql,
  ratesOf,
  ratesSql,
  summaryOf,
  summarySql,
  topTracesOf,
  topTracesSql,
  totalsOf,
  totalsSql,
  volumeOf,
  volumeSql,
  type LatencyRow,
  type OutcomeCountsRow,
  type SummaryRow,
  type TopTraceRow,
  type TotalsRow,
  type VolumeRow
} from "../../src/lib/traceRequests.js";
import {utcWeekDateSql} from "./utcBuckets.js";

export type {TopTrace} from "../../src/lib/traceRequests.js";

const MAX_WATERFALL_SPANS = 60;

export type WaterfallSpan = {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  model: string | null;
  status: string | null;
  offset_ms: number;
  duration_ms: number;
  depth: number;
};

/** src/data/traces.json (inferred from the query: the components import it, never restate it). */
export type TracesPage = Awaited<ReturnType<typeof tracesPage>>;

/** One bucket of a feature × model cell's end-to-end latency percentiles (traces.json `latency`). */
export type PercentileRow = TracesPage["latency"][number];

/** One bucket of one span kind's latency percentiles (traces.json `spanLatency`). */
export type KindPercentileRow = TracesPage["spanLatency"][number];

/** One span kind's latency percentiles over the whole period, in one cell (traces.json `kinds`). */
export type KindSummary = TracesPage["kinds"][number];

/** One bucket of a cell's error, refusal and truncation rates (traces.json `rates`). */
export type RateRow = TracesPage["rates"][number];

export async function tracesPage(db: Database, workspace: Workspace) {
  const [totals] = await db.query<TotalsRow>(totalsSql());
  const days = await spanDays(db, "requests", "start_time");
  const granularity = {volume: volumeGranularity(days), trend: trendGranularity(days)};
  return {
    hint: fillHint("spans"),
    totals: totalsOf(totals),
    granularity,
    features: await distinct(db, "feature"),
    models: await distinct(db, "model"),
    filters: await filterValues(db),
    budgets: {
      cost_per_request_usd: workspace.config.budgets?.cost_per_request_usd ?? {},
      latency_p95_ms: workspace.config.budgets?.latency_p95_ms ?? {}
    },
    volume: volumeOf(await db.query<VolumeRow>(volumeSql(granularity.volume))),
    latency: latencyOf(await db.query<LatencyRow>(latencySql(granularity.trend))),
    ...spanLatenciesOf(await db.query<SpanLatencyRow>(spanLatencySql(granularity.trend))),
    summary: summaryOf(
      await db.query<SummaryRow>(summarySql()),
      modelSnapshotsOf(await db.query<SnapshotRow>(modelSnapshotsSql([], requestsWithAnsweredBySql)))
    ),
    rates: ratesOf(await db.query<OutcomeCountsRow>(ratesSql(granularity.trend))),
    ...(await topTraces(db))
  };
}

type ValueRow = {v: string};

async function distinct(db: Database, column: string): Promise<string[]> {
  const rows = await db.query<ValueRow>(`SELECT DISTINCT coalesce(${quotedIdentifier(column)}, '(none)') AS v
    FROM requests
    ORDER BY v`);
  return rows.map((r) => r.v);
}

/** One week of requests, its Monday in UTC as YYYY-MM-DD. */
type WeekRow = {week: string};

/**
 * What the page's filters offer (src/components/traceFilters.ts): the values of each request attribute
 * (none where no request has one) and the weeks, Mondays in UTC, for a window.
 */
async function filterValues(db: Database) {
  const offered = async (column: string) => {
    const values = await distinct(db, column);
    return values.length === 1 && values[0] === NONE ? [] : values;
  };
  const weeks = await db.query<WeekRow>(
    `SELECT DISTINCT ${utcWeekDateSql("start_time")}::VARCHAR AS week
    FROM requests
    ORDER BY week`
  );
  return {
    segment: await offered("segment"),
    category: await offered("category"),
    prompt_version: await offered("prompt_version"),
    weeks: weeks.map((w) => w.week)
  };
}

/** The slowest and the most expensive requests of every feature × model cell, with their spans for a waterfall. */
async function topTraces(db: Database) {
  const top = topTracesOf(await db.query<TopTraceRow>(topTracesSql()));
  const ids = [...new Set([...top.slowest, ...top.costliest].map((t) => t.trace_id))].sort();
  return {...top, waterfalls: await waterfalls(db, ids)};
}

/** A span of a picked trace, with the trace's span count (the waterfall keeps the longest ones). */
type WaterfallRow = WaterfallSpan & {trace_id: string; total: number};

async function waterfalls(
  db: Database,
  traceIds: string[]
): Promise<Record<string, {spans: WaterfallSpan[]; omitted: number}>> {
  if (!traceIds.length) return {};
  const rows = await db.query<WaterfallRow>(
    `WITH picked AS (
      SELECT unnest(string_split($ids, chr(31))) AS trace_id
    ),
    s AS (
      SELECT s.*,
        count(*) OVER (PARTITION BY s.trace_id)::INTEGER AS total,
        (epoch_us(s.start_time) - min(epoch_us(s.start_time)) OVER (PARTITION BY s.trace_id)) / 1000 AS offset_ms,
        row_number() OVER (PARTITION BY s.trace_id ORDER BY s.duration_ms DESC, s.span_id) AS by_duration
      FROM spans s
      JOIN picked USING (trace_id)
    )
    SELECT trace_id,
      span_id,
      parent_span_id,
      name,
      kind,
      model,
      status,
      offset_ms,
      duration_ms,
      total
    FROM s
    WHERE by_duration <= ${MAX_WATERFALL_SPANS}
    ORDER BY trace_id, offset_ms, span_id`,
    {ids: traceIds.join("\x1f")}
  );
  // No prototype: a trace id such as "__proto__" or "constructor" is a key like any other.
  const out: Record<string, {spans: WaterfallSpan[]; omitted: number}> = Object.create(null);
  for (const {trace_id, total, ...span} of rows) {
    const entry = (out[trace_id] ??= {spans: [], omitted: total});
    entry.spans.push({
      ...span,
      offset_ms: round(span.offset_ms, 3)!,
      duration_ms: round(span.duration_ms, 3)!,
      depth: 0
    });
    entry.omitted = total - entry.spans.length;
  }
  for (const entry of Object.values(out)) setDepths(entry.spans);
  return out;
}

// The traces page's figures for any filter of segment, category, prompt version and a window of weeks,
// from cells the build computed (loaders/queries/traceCells.ts) instead of the requests and spans
// themselves. A filter keeps or drops whole *blocks*: the requests of one segment × category × prompt
// version × feature × model in one UTC week (the filter's own resolution). Per block, what merges by
// addition (tokens, costs and their sources, the names model calls were answered under) and its slowest
// and costliest requests (a union's top few are among its blocks' top few); per day of a block
// (the finest bucket the page picks above hours, utcBuckets.ts) the request counts and outcome counts
// and the requests' latencies; per day and kind of span the spans' latencies. Latencies and costs are
// exact value sets: each sorted and written as exponential-Golomb gaps between ranks into the warehouse's
// sorted distinct values (packedBits.ts packSortedGaps, as the bake-off's latencies), so percentiles
// are quantile_cont's own (metrics/quantile.ts, type 7). The merged figures come out as the rows of
// the build's SQL (traceRequests.ts, traceSpans.ts) and are shaped by the same functions.
//
// The value sets are the bulk (at 2M spans several MB), so they live in a second file read by HTTP
// range requests, block by block (blocks are ordered segment, category, prompt version, week, so a
// filter's blocks lie in a few runs): the cells file holds everything else and where each block is.
import {ALL} from "./all.js";
import {byText} from "./all.js";
import {quantileSorted} from "./metrics/quantile.js";
import {unpackSortedGaps} from "./packedBits.js";
import {
  latencyOf,
  ratesOf,
  summaryOf,
  TOP_TRACES,
  topTracesOf,
  totalsOf,
  volumeOf,
  type LatencyRow,
  type OutcomeCountsRow,
  type SummaryRow,
  type TopTraceRow,
  type TotalsRow,
  type VolumeRow
} from "./traceRequests.js";
import {modelSnapshotsOf, spanLatenciesOf, type SnapshotRow, type SpanLatencyRow} from "./traceSpans.js";
import {blockStarts, parseJsonBytes, type ReadBytes} from "./blocksFile.js";
import {trendGranularity, volumeGranularity, type Granularity} from "./utcBuckets.js";

/** The filter dimensions, in the order of a block's sort, and the page's own two. */
export const BLOCK_FILTERS = ["segment", "category", "prompt_version"] as const;
export const BLOCK_DIMENSIONS = [...BLOCK_FILTERS, "feature", "model"] as const;
export type BlockDimension = (typeof BLOCK_DIMENSIONS)[number];

/** One of a block's slowest or costliest requests: [request key, trace id, start (epoch ms), duration, cost, cost source, failed, spans]. */
export type TopRequest = [
  key: number,
  trace_id: string,
  start_ms: number,
  duration_ms: number,
  cost_usd: number | null,
  cost_source: string | null,
  failed: boolean,
  spans: number
];

/** A block of the values file: its day cells' latencies, its span cells' latencies, its costs, its top requests. */
export type ValuesBlock = [
  latency: string[],
  spans: string[],
  costs: string,
  slowest: TopRequest[],
  costliest: TopRequest[]
];

/** src/data/trace-cells.json: everything but the value sets, and where each block is in the values file. */
export interface TraceCells {
  /** Each dimension's labels (NONE for a missing value), ascending; a block holds indexes into them. */
  dims: Record<BlockDimension, string[]>;
  /** The span kinds, ascending. */
  kinds: string[];
  /** The names model calls were answered under (traceSpans.ts ANSWERED_BY), indexed by the blocks' snapshots. */
  answered_by: string[];
  /** The warehouse's distinct request latencies, span latencies and costs, ascending: the packed ranks index them. */
  values: {latency: number[]; span: number[]; cost: number[]};
  /** Per block (columns): its dimensions, its week's Monday (days since 1970), and its sums. */
  blocks: Record<BlockDimension, number[]> & {
    week: number[];
    /** Byte length of the block in the values file (laid out as src/lib/blocksFile.ts says). */
    bytes: number[];
    /** How many day cells and span cells the block has (they follow one another in block order). */
    day_cells: number[];
    span_cells: number[];
    input_sum: number[];
    input_n: number[];
    output_sum: number[];
    output_n: number[];
    cost_n: number[];
    cost_sum: number[];
    reported: number[];
    computed: number[];
    mixed: number[];
    missing: number[];
    no_calls: number[];
    /** Per block, [answered_by index, calls] pairs. */
    snapshots: [number, number][][];
  };
  /** Per day of a block (columns, in block order then day): the requests that started that UTC day. */
  days: {
    /** Days after the block's week's Monday (0–6). */
    day: number[];
    /** Requests, each with a latency (the packed list's length). */
    requests: number[];
    spans: number[];
    /** The first and last request's start, in ms after the day's start. */
    first_ms: number[];
    last_ms: number[];
    failed: number[];
    refused: number[];
    truncated: number[];
  };
  /**
   * Per span cell (columns, in block order, then day, then kind): the spans of the block's requests that
   * started that UTC day (days after the block's Monday: a span may start after its request's week).
   */
  spans: {day: number[]; kind: number[]; n: number[]};
}

/** Which blocks a filter keeps: each of segment, category and prompt version (ALL: any) and the window of weeks. */
export function blockMask(cells: TraceCells, filter: Readonly<Record<string, string>>): boolean[] {
  // null: any value; -1 (a value no request has): none.
  const wanted = BLOCK_FILTERS.map((d) =>
    filter[d] === undefined || filter[d] === ALL ? null : cells.dims[d].indexOf(filter[d])
  );
  const from = weekBound(filter.from);
  const to = weekBound(filter.to);
  return cells.blocks.week.map(
    (week, b) =>
      BLOCK_FILTERS.every((d, k) => wanted[k] === null || cells.blocks[d][b] === wanted[k]) &&
      (from === null || week >= from) &&
      (to === null || week <= to)
  );
}

/** A window's bound (a week's Monday, YYYY-MM-DD) as days since 1970, null when unset; a filter's weeks start on Mondays. */
function weekBound(value: string | undefined): number | null {
  if (value === undefined || value === ALL) return null;
  const days = Date.parse(`${value}T00:00:00Z`) / 86_400_000;
  if (!Number.isInteger(days) || (days - 4) % 7 !== 0)
    throw new Error(`traces: the filter's week ${value} is not a Monday (blocks are whole UTC weeks)`);
  return days;
}

/** Where the kept blocks' cells are: each block's first day cell and first span cell. */
function cellStarts(cells: TraceCells) {
  const day: number[] = [];
  const span: number[] = [];
  let d = 0;
  let s = 0;
  cells.blocks.week.forEach((_, b) => {
    day.push(d);
    span.push(s);
    d += cells.blocks.day_cells[b];
    s += cells.blocks.span_cells[b];
  });
  return {day, span};
}

/** The kept blocks' totals (requests, spans, first and last start), as totalsSql gives them. */
export function blockTotals(cells: TraceCells, keep: readonly boolean[]): TotalsRow {
  const starts = cellStarts(cells);
  const t: TotalsRow = {requests: 0, spans: 0, first_ms: null, last_ms: null};
  keep.forEach((k, b) => {
    if (!k) return;
    for (let c = starts.day[b]; c < starts.day[b] + cells.blocks.day_cells[b]; c++) {
      const dayMs = (cells.blocks.week[b] + cells.days.day[c]) * 86_400_000;
      t.requests += cells.days.requests[c];
      t.spans += cells.days.spans[c];
      t.first_ms = Math.min(t.first_ms ?? Infinity, dayMs + cells.days.first_ms[c]);
      t.last_ms = Math.max(t.last_ms ?? -Infinity, dayMs + cells.days.last_ms[c]);
    }
  });
  return t;
}

/** Blocks closer than this are read in one request: a request costs more than a few kB on any network. */
const GAP_BYTES = 4096;

/** The kept blocks of the values file, each read once, by runs of nearby blocks. */
export async function readBlocks(
  cells: TraceCells,
  keep: readonly boolean[],
  read: ReadBytes
): Promise<Map<number, ValuesBlock>> {
  const at = blockStarts(cells.blocks.bytes);
  const runs: number[][] = [];
  keep.forEach((k, b) => {
    if (!k) return;
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last !== undefined && at[b] - (at[last] + cells.blocks.bytes[last]) <= GAP_BYTES) run.push(b);
    else runs.push([b]);
  });
  const found = new Map<number, ValuesBlock>();
  await Promise.all(
    runs.map(async (run) => {
      const from = at[run[0]];
      const last = run.at(-1)!;
      const bytes = await read(from, at[last] + cells.blocks.bytes[last]);
      for (const b of run)
        found.set(b, parseJsonBytes(bytes.subarray(at[b] - from, at[b] - from + cells.blocks.bytes[b])) as ValuesBlock);
    })
  );
  return found;
}

/** Days since 1970 of a UTC day → the start of its bucket in seconds (utcBucketSecondsSql's, above hours). */
export function bucketOfDay(day: number, granularity: Granularity): number {
  if (granularity === "hour")
    throw new Error("traces: hour buckets are not kept in the cells (a slice of two days or less)");
  return (granularity === "day" ? day : Math.floor((day - 4) / 7) * 7 + 4) * 86_400;
}

/** A count per distinct value, kept zeroed between calls: one per list of distinct values. */
const histograms = new WeakMap<readonly number[], Uint32Array>();

/**
 * Rank lists → the quantile_cont list of their values at `qs` (null when there is none). quantileSorted
 * reads two order statistics per q, so only those are found: by sorting the ranks when they are few
 * against the distinct values, else by counting them per rank (at 2M spans a slice's many large groups
 * took 0.6 s sorted, in the browser's 1 s).
 */
function quantilesOf(ranks: readonly Uint32Array[], values: readonly number[], qs: readonly number[]): number[] | null {
  let n = 0;
  for (const r of ranks) n += r.length;
  if (!n) return null;
  const positions = qs.flatMap((q) => {
    const lo = Math.floor((n - 1) * q);
    return [lo, Math.min(lo + 1, n - 1)];
  });
  const rankAt = n * 8 < values.length ? sortedRanks(ranks, n, positions) : countedRanks(ranks, values, positions);
  const sorted = {length: n} as unknown as number[];
  for (const p of positions) sorted[p] = values[rankAt.get(p)!];
  return qs.map((q) => quantileSorted(sorted, q)!);
}

/** The ranks at the given positions of the lists' ranks in order, by sorting them all. */
function sortedRanks(ranks: readonly Uint32Array[], n: number, positions: readonly number[]): Map<number, number> {
  const all = new Uint32Array(n);
  let at = 0;
  for (const r of ranks) (all.set(r, at), (at += r.length));
  all.sort();
  return new Map(positions.map((p) => [p, all[p]]));
}

/** The ranks at the given positions of the lists' ranks in order, by counting each rank. */
function countedRanks(
  ranks: readonly Uint32Array[],
  values: readonly number[],
  positions: readonly number[]
): Map<number, number> {
  let counts = histograms.get(values);
  if (!counts) histograms.set(values, (counts = new Uint32Array(values.length)));
  for (const r of ranks) for (let i = 0; i < r.length; i++) counts[r[i]]++;
  const wanted = [...new Set(positions)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  for (let v = 0, seen = 0, w = 0; w < wanted.length; v++) {
    seen += counts[v];
    for (; w < wanted.length && wanted[w] < seen; w++) found.set(wanted[w], v);
  }
  for (const r of ranks) for (let i = 0; i < r.length; i++) counts[r[i]] = 0;
  return found;
}

const LATENCY_QS = [0.5, 0.95, 0.99];
/** quantile_cont over no values: percentilesOf shows each as null. */
const NO_QUANTILES = [null, null, null];
const COST_QS = [0.5, 0.95];

/** A feature and model as a group key, and the four groups (the cell, each dimension alone, all) a block adds to. */
const groupKey = (feature: string, model: string) => `${feature}\u0000${model}`;
const groupsOf = (feature: string, model: string) =>
  [groupKey(feature, model), groupKey(feature, ALL), groupKey(ALL, model), groupKey(ALL, ALL)].filter(
    (g, k, all) => all.indexOf(g) === k
  );
const splitKey = (key: string) => key.split("\u0000") as [string, string];
const byGroup = (a: string, b: string) => {
  const [fa, ma] = splitKey(a);
  const [fb, mb] = splitKey(b);
  return byText(fa, fb) || byText(ma, mb);
};

/** A Map's entry, made on first use. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

/** The rows of the build's statements over the kept blocks, in their order (ORDER BY ALL and the like). */
export interface CellRows {
  volume: VolumeRow[];
  latency: LatencyRow[];
  summary: SummaryRow[];
  rates: OutcomeCountsRow[];
  top: TopTraceRow[];
  snapshots: SnapshotRow[];
  spanLatency: SpanLatencyRow[];
}

/**
 * The kept blocks' figures as the rows volumeSql, latencySql, summarySql, ratesSql, topTracesSql,
 * modelSnapshotsSql and spanLatencySql give over the same requests, each feature × model cell, each
 * dimension alone and both together, bucketed at `granularity` (day or week).
 */
export function cellRows(
  cells: TraceCells,
  blocks: ReadonlyMap<number, ValuesBlock>,
  keep: readonly boolean[],
  granularity: {volume: Granularity; trend: Granularity}
): CellRows {
  const starts = cellStarts(cells);
  const B = cells.blocks;
  type Summary = Omit<
    SummaryRow,
    "feature" | "model" | "q" | "cost_q" | "input_tokens" | "output_tokens" | "cost_mean" | "cost_total"
  > & {
    latency: Uint32Array[];
    costs: Uint32Array[];
    input_sum: number;
    input_n: number;
    output_sum: number;
    output_n: number;
    cost_sum: number;
  };
  type Outcomes = {n: number; failed: number; refused: number; truncated: number; latency: Uint32Array[]};
  const volume = new Map<number, Map<string, number>>();
  const trend = new Map<number, Map<string, Outcomes>>();
  const summary = new Map<string, Summary>();
  const top = new Map<string, {slowest: TopRequest[]; costliest: TopRequest[]}>();
  const snapshots = new Map<string, Map<number, number>>();
  const spanTrend = new Map<number, Map<number, Map<string, Uint32Array[]>>>();
  const spanWhole = new Map<number, Map<string, Uint32Array[]>>();
  keep.forEach((k, b) => {
    if (!k) return;
    const block = blocks.get(b);
    if (!block) throw new Error(`traces: block ${b} of the cells was not read from the values file`);
    const [latencies, spanValues, costs, slowest, costliest] = block;
    const groups = groupsOf(cells.dims.feature[B.feature[b]], cells.dims.model[B.model[b]]);
    const costRanks = unpackSortedGaps(costs, B.cost_n[b]);
    for (let i = 0; i < B.day_cells[b]; i++) {
      const c = starts.day[b] + i;
      const D = cells.days;
      const ranks = unpackSortedGaps(latencies[i], D.requests[c]);
      const v = bucketOfDay(B.week[b] + D.day[c], granularity.volume);
      const t = bucketOfDay(B.week[b] + D.day[c], granularity.trend);
      for (const g of groups) {
        const vs = entry(volume, v, () => new Map<string, number>());
        vs.set(g, (vs.get(g) ?? 0) + D.requests[c]);
        const o = entry(
          entry(trend, t, () => new Map<string, Outcomes>()),
          g,
          () => ({
            n: 0,
            failed: 0,
            refused: 0,
            truncated: 0,
            latency: []
          })
        );
        o.n += D.requests[c];
        o.failed += D.failed[c];
        o.refused += D.refused[c];
        o.truncated += D.truncated[c];
        o.latency.push(ranks);
        const s = entry(summary, g, newSummary);
        s.requests += D.requests[c];
        s.failed += D.failed[c];
        s.refused += D.refused[c];
        s.truncated += D.truncated[c];
        s.latency.push(ranks);
      }
    }
    for (const g of groups) {
      const s = entry(summary, g, newSummary);
      s.input_sum += B.input_sum[b];
      s.input_n += B.input_n[b];
      s.output_sum += B.output_sum[b];
      s.output_n += B.output_n[b];
      s.costed += B.cost_n[b];
      s.cost_sum += B.cost_sum[b];
      s.reported += B.reported[b];
      s.computed += B.computed[b];
      s.mixed += B.mixed[b];
      s.missing += B.missing[b];
      s.no_calls += B.no_calls[b];
      s.costs.push(costRanks);
      const tops = entry(top, g, () => ({slowest: [], costliest: []}));
      tops.slowest.push(...slowest);
      tops.costliest.push(...costliest);
      const names = entry(snapshots, g, () => new Map<number, number>());
      for (const [name, calls] of B.snapshots[b]) names.set(name, (names.get(name) ?? 0) + calls);
    }
    for (let i = 0; i < B.span_cells[b]; i++) {
      const c = starts.span[b] + i;
      const S = cells.spans;
      const ranks = unpackSortedGaps(spanValues[i], S.n[c]);
      const t = bucketOfDay(B.week[b] + S.day[c], granularity.trend);
      for (const g of groups) {
        entry(
          entry(
            entry(spanTrend, t, () => new Map()),
            S.kind[c],
            () => new Map()
          ),
          g,
          () => [] as Uint32Array[]
        ).push(ranks);
        entry(
          entry(spanWhole, S.kind[c], () => new Map()),
          g,
          () => [] as Uint32Array[]
        ).push(ranks);
      }
    }
  });
  const V = cells.values;
  const sortedKeys = <K>(map: ReadonlyMap<K, unknown>, compare: (a: K, b: K) => number) =>
    [...map.keys()].sort(compare);
  const byNumber = (a: number, b: number) => a - b;
  const byKind = (a: number, b: number) => byText(cells.kinds[a], cells.kinds[b]);
  const rows: CellRows = {volume: [], latency: [], summary: [], rates: [], top: [], snapshots: [], spanLatency: []};
  for (const bucket of sortedKeys(volume, byNumber))
    for (const g of sortedKeys(volume.get(bucket)!, byGroup)) {
      const [feature, model] = splitKey(g);
      rows.volume.push({bucket, feature, model, requests: volume.get(bucket)!.get(g)!});
    }
  for (const bucket of sortedKeys(trend, byNumber))
    for (const g of sortedKeys(trend.get(bucket)!, byGroup)) {
      const [feature, model] = splitKey(g);
      const o = trend.get(bucket)!.get(g)!;
      rows.latency.push({
        bucket,
        feature,
        model,
        n: o.n,
        q: quantilesOf(o.latency, V.latency, LATENCY_QS) ?? NO_QUANTILES
      });
      rows.rates.push({bucket, feature, model, n: o.n, failed: o.failed, refused: o.refused, truncated: o.truncated});
    }
  for (const g of sortedKeys(summary, byGroup)) {
    const [feature, model] = splitKey(g);
    const {latency, costs, input_sum, input_n, output_sum, output_n, cost_sum, ...counts} = summary.get(g)!;
    rows.summary.push({
      feature,
      model,
      ...counts,
      q: quantilesOf(latency, V.latency, LATENCY_QS) ?? NO_QUANTILES,
      input_tokens: input_n ? input_sum / input_n : null,
      output_tokens: output_n ? output_sum / output_n : null,
      cost_mean: counts.costed ? cost_sum / counts.costed : null,
      cost_q: quantilesOf(costs, V.cost, COST_QS),
      cost_total: counts.costed ? cost_sum : null
    });
    const tops = top.get(g)!;
    for (const list of ["costliest", "slowest"] as const) {
      const value = (r: TopRequest) => (list === "slowest" ? r[3] : r[4]!);
      // max_by over {value, key}: the larger value first, a tie to the larger key.
      [...tops[list]]
        .sort((a, b) => value(b) - value(a) || b[0] - a[0])
        .slice(0, TOP_TRACES)
        .forEach((r, k) =>
          rows.top.push({
            list,
            feature,
            model,
            rank: k + 1,
            key: r[1],
            start_ms: r[2],
            duration_ms: r[3],
            cost_usd: r[4],
            cost_source: r[5],
            failed: r[6],
            spans: r[7]
          })
        );
    }
    const names = snapshots.get(g)!;
    [...names]
      .map(([name, calls]) => ({name: cells.answered_by[name], calls}))
      .sort((a, b) => b.calls - a.calls || byText(a.name, b.name))
      .forEach(({name, calls}) => rows.snapshots.push({feature, model, answered_by: name, calls}));
  }
  for (const bucket of sortedKeys(spanTrend, byNumber))
    for (const kind of sortedKeys(spanTrend.get(bucket)!, byKind))
      for (const g of sortedKeys(spanTrend.get(bucket)!.get(kind)!, byGroup)) {
        const ranks = spanTrend.get(bucket)!.get(kind)!.get(g)!;
        rows.spanLatency.push(spanRow(bucket, cells.kinds[kind], g, ranks, V.span));
      }
  for (const kind of sortedKeys(spanWhole, byKind))
    for (const g of sortedKeys(spanWhole.get(kind)!, byGroup))
      rows.spanLatency.push(spanRow(null, cells.kinds[kind], g, spanWhole.get(kind)!.get(g)!, V.span));
  return rows;
}

function newSummary() {
  return {
    requests: 0,
    costed: 0,
    reported: 0,
    computed: 0,
    mixed: 0,
    missing: 0,
    no_calls: 0,
    failed: 0,
    refused: 0,
    truncated: 0,
    latency: [] as Uint32Array[],
    costs: [] as Uint32Array[],
    input_sum: 0,
    input_n: 0,
    output_sum: 0,
    output_n: 0,
    cost_sum: 0
  };
}

function spanRow(
  bucket: number | null,
  kind: string,
  g: string,
  ranks: Uint32Array[],
  values: readonly number[]
): SpanLatencyRow {
  const [feature, model] = splitKey(g);
  const n = ranks.reduce((sum, r) => sum + r.length, 0);
  return {bucket, whole: bucket === null, kind, feature, model, n, q: quantilesOf(ranks, values, LATENCY_QS)};
}

/** The granularities the build would pick for a warehouse holding only the slice (production.ts spanDays). */
export function sliceGranularity(span: {first_ms: number | null; last_ms: number | null}) {
  const days = span.first_ms === null || span.last_ms === null ? 0 : (span.last_ms - span.first_ms) / 86_400_000;
  return {volume: volumeGranularity(days), trend: trendGranularity(days)};
}

/**
 * The filtered slice's figures in the shape of the page's data (src/data/traces.json), from the cells
 * and the kept blocks of the values file (`read`), shaped by the build's own functions; null when the
 * slice spans two days or less, whose hourly buckets the cells do not keep.
 */
export async function slicedFromCells(cells: TraceCells, read: ReadBytes, filter: Readonly<Record<string, string>>) {
  const keep = blockMask(cells, filter);
  const totals = blockTotals(cells, keep);
  const granularity = sliceGranularity(totals);
  if (totals.requests && (granularity.trend === "hour" || granularity.volume === "hour")) return null;
  const rows = cellRows(cells, await readBlocks(cells, keep, read), keep, granularity);
  return {
    totals: totalsOf(totals),
    granularity,
    volume: volumeOf(rows.volume),
    latency: latencyOf(rows.latency),
    ...spanLatenciesOf(rows.spanLatency),
    // As the build's page: an empty slice has no summary row (the SQL's grand total would give one).
    summary: totals.requests ? summaryOf(rows.summary, modelSnapshotsOf(rows.snapshots)) : [],
    rates: ratesOf(rows.rates),
    ...topTracesOf(rows.top)
  };
}

// What the traces page's filters recompute from (src/lib/traceCells.ts): the requests cut into blocks
// (segment × category × prompt version × feature × model × UTC week), each block's sums, slowest and
// costliest requests, and per day of it the counts and the latencies, and the spans' latencies per
// day and kind; the value sets packed as ranks into the warehouse's distinct values. Two page files:
// src/data/trace-cells.json (fetched whole on the first filter) and src/data/trace-values.json (the
// value sets and top requests, block by block, read by range requests). The definitions are the
// build's: the requests table's own columns (failed, refused, truncated, cost_source), ANSWERED_BY as
// modelSnapshotsSql counts it, request_key (the rank of trace_id) for ties as in the export.
import {ALL, byText, NONE} from "../../src/lib/all.js";
import {jsonByteLength} from "../../src/lib/blocksFile.js";
import {packSortedGaps} from "../../src/lib/packedBits.js";
import {
  BLOCK_DIMENSIONS,
  type BlockDimension,
  type TopRequest,
  type TraceCells,
  type ValuesBlock
} from "../../src/lib/traceCells.js";
import {TOP_TRACES, type TopTraceRow} from "../../src/lib/traceRequests.js";
import {ANSWERED_BY, ANSWERED_BY_SEPARATOR, requestsWithAnsweredBySql} from "../../src/lib/traceSpans.js";
import {requestKeysSql} from "../explore/tables.js";
import type {Database} from "../warehouse/duckdb.js";

const DAY_US = 86_400e6;
const DAY_MS = 86_400_000;
/** Whole UTC days since 1970 of a timestamp column (utcBuckets.ts's day bucket, in days). */
const daySql = (column: string) => `floor(epoch_us(${column}) / ${DAY_US})::INTEGER`;
const label = (column: string) => `coalesce(${column}::VARCHAR, '${NONE}')`;
const DIMS = BLOCK_DIMENSIONS.join(", ");
const BLOCK = `${DIMS}, week`;

type Dims = Record<BlockDimension, string> & {week: number};
type BlockRow = Dims & {
  input_sum: number | null;
  input_n: number;
  output_sum: number | null;
  output_n: number;
  cost_n: number;
  reported: number;
  computed: number;
  mixed: number;
  missing: number;
  no_calls: number;
  costs: number[];
};
type DayRow = Dims & {
  day: number;
  requests: number;
  spans: number;
  first_ms: number;
  last_ms: number;
  failed: number;
  refused: number;
  truncated: number;
  latency: number[];
};
type SpanRow = Dims & {day: number; kind: string; n: number; ranks: number[]};
type SnapshotRow = Dims & {answered_by: string; calls: number};
/** A block's top request: the page's top-list row (its fields as the build's list holds them), unranked. */
type TopRow = Dims &
  Omit<TopTraceRow, "rank" | "key" | keyof Dims> & {
    key: number;
    trace_id: string;
  };

/** Each distinct value of `column` in `table` with its rank (0, 1, … ascending), as a temp table. */
const ranksSql = (name: string, table: string, column: string) => `CREATE OR REPLACE TEMP TABLE ${name} AS
    SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS r
    FROM (SELECT DISTINCT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL)`;

/** The traces page's cells and values files (src/data/trace-cells.json, trace-values.json). */
export async function traceCells(db: Database): Promise<{cells: TraceCells; values: ValuesBlock[]}> {
  await db.run(`CREATE OR REPLACE TEMP TABLE trace_cell_requests AS
    SELECT k.request_key AS key,
      r.trace_id,
      ${BLOCK_DIMENSIONS.map((d) => `${label(`r.${d}`)} AS ${d}`).join(",\n      ")},
      ${daySql("r.start_time")} AS day,
      (floor((${daySql("r.start_time")} - 4) / 7) * 7 + 4)::INTEGER AS week,
      epoch_ms(r.start_time)::DOUBLE AS start_ms,
      r.duration_ms::DOUBLE AS duration_ms,
      r.spans,
      r.input_tokens,
      r.output_tokens,
      r.cost_usd::DOUBLE AS cost_usd,
      r.cost_source,
      r.failed,
      r.refused,
      r.truncated,
      r.${ANSWERED_BY}
    FROM ${requestsWithAnsweredBySql} r
    JOIN (${requestKeysSql}) k USING (trace_id)`);
  const [{missing}] = await db.query<{missing: number}>(
    `SELECT count(*) FILTER (day IS NULL OR duration_ms IS NULL)::INTEGER AS missing FROM trace_cell_requests`
  );
  if (missing) throw new Error(`traces: ${missing} requests have no start time or duration (the requests table)`);
  await db.run(ranksSql("trace_latency_ranks", "trace_cell_requests", "duration_ms"));
  await db.run(ranksSql("trace_cost_ranks", "trace_cell_requests", "cost_usd"));
  await db.run(ranksSql("trace_span_ranks", "spans", "duration_ms"));
  const values = async (table: string) =>
    (await db.query<{v: number}>(`SELECT v FROM ${table} ORDER BY r`)).map((row) => row.v);

  const blockRows = await db.query<BlockRow>(`SELECT ${BLOCK},
      sum(input_tokens)::DOUBLE AS input_sum,
      count(input_tokens)::INTEGER AS input_n,
      sum(output_tokens)::DOUBLE AS output_sum,
      count(output_tokens)::INTEGER AS output_n,
      count(cost_usd)::INTEGER AS cost_n,
      count(*) FILTER (cost_source = 'reported')::INTEGER AS reported,
      count(*) FILTER (cost_source = 'computed')::INTEGER AS computed,
      count(*) FILTER (cost_source = 'mixed')::INTEGER AS mixed,
      count(*) FILTER (cost_source = 'missing')::INTEGER AS missing,
      count(*) FILTER (cost_source IS NULL)::INTEGER AS no_calls,
      coalesce(list(c.r ORDER BY c.r) FILTER (c.r IS NOT NULL), []) AS costs
    FROM trace_cell_requests
    LEFT JOIN trace_cost_ranks c ON c.v = cost_usd
    GROUP BY ALL`);
  const dayRows = await db.query<DayRow>(`SELECT ${BLOCK},
      day,
      count(*)::INTEGER AS requests,
      coalesce(sum(spans), 0)::INTEGER AS spans,
      min(start_ms) AS first_ms,
      max(start_ms) AS last_ms,
      count(*) FILTER (failed)::INTEGER AS failed,
      count(*) FILTER (refused)::INTEGER AS refused,
      count(*) FILTER (truncated)::INTEGER AS truncated,
      list(l.r ORDER BY l.r) AS latency
    FROM trace_cell_requests
    JOIN trace_latency_ranks l ON l.v = duration_ms
    GROUP BY ALL
    ORDER BY day`);
  const spanRows = await db.query<SpanRow>(`SELECT ${BLOCK.split(", ")
    .map((c) => `r.${c}`)
    .join(", ")},
      ${daySql("s.start_time")} AS day,
      s.kind,
      count(*)::INTEGER AS n,
      list(x.r ORDER BY x.r) AS ranks
    FROM spans s
    JOIN trace_cell_requests r USING (trace_id)
    JOIN trace_span_ranks x ON x.v = s.duration_ms
    GROUP BY ALL
    ORDER BY day, kind`);
  const snapshotRows = await db.query<SnapshotRow>(`SELECT ${BLOCK},
      answered_by,
      sum(requests)::INTEGER AS calls
    FROM (
      SELECT ${BLOCK}, unnest(string_split(${ANSWERED_BY}, ${ANSWERED_BY_SEPARATOR})) AS answered_by, requests
      FROM (
        SELECT ${BLOCK}, ${ANSWERED_BY}, count(*) AS requests
        FROM trace_cell_requests
        WHERE ${ANSWERED_BY} IS NOT NULL
        GROUP BY ALL
      )
    )
    GROUP BY ALL`);
  // topTracesSql's ranking (max_by over {value, key}), per block: the larger value, a tie to the larger key.
  // max_by keeps each block's top few as it goes; numbering every request of its block (row_number over
  // the whole table, twice) sorted it all: 8.8 s against 1.3 s at 6.3M requests.
  const topRows = await db.query<TopRow>(`WITH tops AS (
      SELECT list, unnest(keys) AS key, generate_subscripts(keys, 1) AS rank
      FROM (
        SELECT 'slowest' AS list, max_by(key, {'v': duration_ms, 'k': key}, ${TOP_TRACES}) AS keys
        FROM trace_cell_requests
        GROUP BY ${BLOCK}
        UNION ALL
        SELECT 'costliest' AS list, max_by(key, {'v': cost_usd, 'k': key}, ${TOP_TRACES}) AS keys
        FROM trace_cell_requests
        WHERE cost_usd IS NOT NULL
        GROUP BY ${BLOCK}
      )
    )
    SELECT ${BLOCK}, list, key, trace_id, start_ms, duration_ms, cost_usd, cost_source, failed, spans::INTEGER AS spans
    FROM trace_cell_requests
    JOIN tops USING (key)
    ORDER BY list, rank`);
  return shapeCells(
    {blockRows, dayRows, spanRows, snapshotRows, topRows},
    {
      latency: await values("trace_latency_ranks"),
      cost: await values("trace_cost_ranks"),
      span: await values("trace_span_ranks")
    }
  );
}

/**
 * A block's cost: its requests' costs (ranks into `costs`, ascending) added smallest first. Floating-point
 * addition depends on the order, and DuckDB's sum() adds in whatever order its threads and the requests
 * table's rows come in, which differs from one cold build to the next; this order is the values' own.
 */
const costSum = (ranks: readonly number[], costs: readonly number[]) => ranks.reduce((sum, r) => sum + costs[r], 0);

const blockKey = (r: Dims) => JSON.stringify([...BLOCK_DIMENSIONS.map((d) => r[d]), r.week]);

/** Groups rows by their block. */
function byBlock<R extends Dims>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const key = blockKey(r);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

/** The files' shapes from the rows, blocks in the order segment, category, prompt version, week, feature, model. */
function shapeCells(
  rows: {
    blockRows: BlockRow[];
    dayRows: DayRow[];
    spanRows: SpanRow[];
    snapshotRows: SnapshotRow[];
    topRows: TopRow[];
  },
  values: TraceCells["values"]
): {cells: TraceCells; values: ValuesBlock[]} {
  const dims = Object.fromEntries(
    BLOCK_DIMENSIONS.map((d) => [d, [...new Set(rows.blockRows.map((r) => r[d]))].sort(byText)])
  ) as TraceCells["dims"];
  // The merge labels a roll-up over features or models ALL (cube.ts sliceLabel): a feature or model of
  // that name would be summed into the roll-up. The filter's own dimensions are compared by index.
  for (const d of ["feature", "model"] as const)
    if (dims[d].includes(ALL))
      throw new Error(`traces: a request's ${d} is "${ALL}", the name the page gives all of them together; rename it`);
  const kinds = [...new Set(rows.spanRows.map((r) => r.kind))].sort(byText);
  const answeredBy = [...new Set(rows.snapshotRows.map((r) => r.answered_by))].sort(byText);
  const order: (keyof Dims)[] = ["segment", "category", "prompt_version", "week", "feature", "model"];
  const sorted = [...rows.blockRows].sort((a, b) => {
    for (const k of order) {
      const c = k === "week" ? a.week - b.week : byText(a[k], b[k]);
      if (c) return c;
    }
    return 0;
  });
  const days = byBlock(rows.dayRows);
  const spans = byBlock(rows.spanRows);
  const snapshots = byBlock(rows.snapshotRows);
  const tops = byBlock(rows.topRows);
  const index = (labels: readonly string[]) => new Map(labels.map((l, k) => [l, k]));
  const dimIndex = Object.fromEntries(BLOCK_DIMENSIONS.map((d) => [d, index(dims[d])]));
  const kindIndex = index(kinds);
  const nameIndex = index(answeredBy);
  const cells: TraceCells = {
    dims,
    kinds,
    answered_by: answeredBy,
    values,
    blocks: {
      ...(Object.fromEntries(BLOCK_DIMENSIONS.map((d) => [d, [] as number[]])) as Record<BlockDimension, number[]>),
      week: [],
      bytes: [],
      day_cells: [],
      span_cells: [],
      input_sum: [],
      input_n: [],
      output_sum: [],
      output_n: [],
      cost_n: [],
      cost_sum: [],
      reported: [],
      computed: [],
      mixed: [],
      missing: [],
      no_calls: [],
      snapshots: []
    },
    days: {
      day: [],
      requests: [],
      spans: [],
      first_ms: [],
      last_ms: [],
      failed: [],
      refused: [],
      truncated: []
    },
    spans: {day: [], kind: [], n: []}
  };
  const blocks: ValuesBlock[] = [];
  const B = cells.blocks;
  for (const r of sorted) {
    const key = blockKey(r);
    for (const d of BLOCK_DIMENSIONS) B[d].push(dimIndex[d].get(r[d])!);
    B.week.push(r.week);
    B.input_sum.push(r.input_sum ?? 0);
    B.input_n.push(r.input_n);
    B.output_sum.push(r.output_sum ?? 0);
    B.output_n.push(r.output_n);
    B.cost_n.push(r.cost_n);
    B.cost_sum.push(costSum(r.costs, values.cost));
    B.reported.push(r.reported);
    B.computed.push(r.computed);
    B.mixed.push(r.mixed);
    B.missing.push(r.missing);
    B.no_calls.push(r.no_calls);
    B.snapshots.push(
      (snapshots.get(key) ?? [])
        .map((s): [number, number] => [nameIndex.get(s.answered_by)!, s.calls])
        .sort((a, b) => a[0] - b[0])
    );
    const blockDays = days.get(key) ?? [];
    const blockSpans = spans.get(key) ?? [];
    B.day_cells.push(blockDays.length);
    B.span_cells.push(blockSpans.length);
    for (const d of blockDays) {
      if (d.latency.length !== d.requests) throw new Error(`traces: requests without a duration in block ${key}`);
      cells.days.day.push(d.day - r.week);
      cells.days.requests.push(d.requests);
      cells.days.spans.push(d.spans);
      cells.days.first_ms.push(d.first_ms - d.day * DAY_MS);
      cells.days.last_ms.push(d.last_ms - d.day * DAY_MS);
      cells.days.failed.push(d.failed);
      cells.days.refused.push(d.refused);
      cells.days.truncated.push(d.truncated);
    }
    for (const s of blockSpans) {
      if (s.ranks.length !== s.n) throw new Error(`traces: spans without a duration in block ${key}`);
      cells.spans.day.push(s.day - r.week);
      cells.spans.kind.push(kindIndex.get(s.kind)!);
      cells.spans.n.push(s.n);
    }
    const top = (list: TopRow["list"]): TopRequest[] =>
      (tops.get(key) ?? [])
        .filter((t) => t.list === list)
        .map((t) => [t.key, t.trace_id, t.start_ms, t.duration_ms, t.cost_usd, t.cost_source, t.failed, t.spans]);
    const block: ValuesBlock = [
      blockDays.map((d) => packSortedGaps(d.latency)),
      blockSpans.map((s) => packSortedGaps(s.ranks)),
      packSortedGaps(r.costs),
      top("slowest"),
      top("costliest")
    ];
    blocks.push(block);
    B.bytes.push(jsonByteLength(block));
  }
  return {cells, values: blocks};
}

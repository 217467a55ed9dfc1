// The rows of eval triage's listed cases (at most 40 a direction, in the pair's two runs) in the exported
// eval_results Parquet file, found without reading case_id for every row. The export is sorted by
// started_at, run_id, case_id and epoch (loaders/explore/tables.ts), so a run's rows are usually one span
// in case order, and the runs' case figures (eval-triage-cases.json) say how many rows (epochs) each case
// has: a case's row is the span's start plus the rows of the run's earlier cases. Only run_id is read, in
// the row groups whose started_at range holds the runs' start times (dictionary-encoded, a few kB); the
// rows read are checked against their run and case, and a run whose rows are elsewhere (a sampled
// export, rows of one run with several started_at) is searched by its case_id within its spans instead.
import {parquetRead, type AsyncBuffer, type FileMetaData} from "hyparquet";
import {timestampsAsMilliseconds as parsers} from "./exploreColumns.js";
import {groupStarts, rowsAt, type Row} from "./rowRanges.js";

/**
 * One run of the pair: per case of the suite (the suite's case order), its rows (results; 0 when not
 * graded); and when it started (the page data's started_at, the earliest of its rows), which narrows
 * the row groups to look in.
 */
export type RunResults = {run_id: string; results: ArrayLike<number>; started_at?: string | null};

/** Each named run's rows in the file (in the row groups given, else all), as spans [start, end), in file order. */
export async function runSpans(
  file: AsyncBuffer,
  metadata: FileMetaData,
  runs: ReadonlySet<string>,
  groups: readonly number[] = metadata.row_groups.map((_, g) => g)
): Promise<Map<string, [number, number][]>> {
  const spans = new Map<string, [number, number][]>([...runs].map((r) => [r, []]));
  const starts = groupStarts(metadata.row_groups.map((g) => Number(g.num_rows)));
  for (const g of groups)
    await parquetRead({
      file,
      metadata,
      columns: ["run_id"],
      rowStart: starts[g],
      rowEnd: starts[g + 1],
      onChunk({columnData, rowStart}) {
        for (let i = 0; i < columnData.length; i++) {
          const row = rowStart + i;
          const mine = row >= starts[g] && row < starts[g + 1] ? spans.get(columnData[i] as string) : undefined;
          if (!mine) continue;
          const last = mine.at(-1);
          if (last && last[1] === row) last[1]++;
          else mine.push([row, row + 1]);
        }
      }
    });
  return spans;
}

/**
 * The row groups whose started_at statistics hold one of the times (ms): the export is sorted by
 * started_at first, so a run whose rows share its start time is in these alone. Every group when the
 * file has no such statistics.
 */
export function groupsAt(metadata: FileMetaData, times: readonly number[]): number[] {
  const column = metadata.schema.slice(1).findIndex((e) => e.name === "started_at");
  return metadata.row_groups
    .map((g, k) => {
      const stats = column < 0 ? undefined : g.columns[column]?.meta_data?.statistics;
      const [min, max] = [stats?.min_value ?? stats?.min, stats?.max_value ?? stats?.max];
      if (min === undefined || max === undefined) return k;
      // Statistics in microseconds read as Dates (ms); the page data's times carry ms: 1 ms either side.
      return times.some((t) => Number(min) <= t + 1 && Number(max) >= t - 1) ? k : -1;
    })
    .filter((k) => k >= 0);
}

/**
 * Where the listed cases' rows are if the run's rows are one span holding exactly its results, in case
 * order: for each listed case (suite case index), its rows. Null when the span cannot be that.
 */
export function rowsBySpan(
  spans: readonly [number, number][],
  results: ArrayLike<number>,
  listed: readonly number[]
): Map<number, number[]> | null {
  if (spans.length !== 1) return null;
  const starts = new Array<number>(results.length + 1);
  starts[0] = spans[0][0];
  for (let i = 0; i < results.length; i++) starts[i + 1] = starts[i] + results[i];
  if (starts[results.length] !== spans[0][1]) return null;
  return new Map(listed.map((i) => [i, Array.from({length: results[i]}, (_, e) => starts[i] + e)]));
}

/** The rows of the listed cases in the run's spans, found by reading case_id there (the slow way, for a run rowsBySpan cannot place). */
async function rowsBySearch(
  file: AsyncBuffer,
  metadata: FileMetaData,
  spans: readonly [number, number][],
  caseIds: readonly string[],
  listed: readonly number[]
): Promise<Map<number, number[]>> {
  const wanted = new Map(listed.map((i) => [caseIds[i], i]));
  const found = new Map<number, number[]>(listed.map((i) => [i, []]));
  for (const [rowStart, rowEnd] of spans)
    await parquetRead({
      file,
      metadata,
      columns: ["case_id"],
      rowStart,
      rowEnd,
      onChunk({columnData, rowStart: at}) {
        for (let k = 0; k < columnData.length; k++) {
          const row = at + k;
          const i = wanted.get(columnData[k] as string);
          if (i !== undefined && row >= rowStart && row < rowEnd) found.get(i)!.push(row);
        }
      }
    });
  return found;
}

/**
 * The rows of the listed cases (suite case indexes) in each of the runs, with `columns` (plus run_id and
 * case_id, always read to check them), in file order; a case a sampled export left out has none. Text
 * is read as strings and integers as numbers. `searched`: the runs whose rows were found by their case ids.
 */
export async function listedRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  runs: readonly RunResults[],
  caseIds: readonly string[],
  listed: readonly number[],
  columns: readonly string[]
): Promise<{rows: Row[]; searched: string[]}> {
  // First in the row groups of the runs' start times; a run not found whole there (rows with other
  // start times, or a sampled export) is looked for in every group.
  const times = runs.map((r) => Date.parse(r.started_at ?? ""));
  const near = times.every(Number.isFinite) ? groupsAt(metadata, times) : undefined;
  const spans = await runSpans(file, metadata, new Set(runs.map((r) => r.run_id)), near);
  const whole = (r: RunResults) => {
    let total = 0;
    for (let i = 0; i < r.results.length; i++) total += r.results[i];
    return (spans.get(r.run_id) ?? []).reduce((n, [a, b]) => n + b - a, 0) === total;
  };
  const partial = runs.filter((r) => near && !whole(r)).map((r) => r.run_id);
  if (partial.length) for (const [run, at] of await runSpans(file, metadata, new Set(partial))) spans.set(run, at);
  const read = [...new Set([...columns, "run_id", "case_id"])];
  // Each row to read, with the run and case it must hold.
  const expect = new Map<number, {run: string; case_id: string}>();
  const place = (run: string, rows: Map<number, number[]>) => {
    for (const [i, at] of rows) for (const row of at) expect.set(row, {run, case_id: caseIds[i]});
  };
  const placed = runs.map((r) => ({run: r, rows: rowsBySpan(spans.get(r.run_id)!, r.results, listed)}));
  const searched = new Set(placed.filter((p) => !p.rows).map((p) => p.run.run_id));
  for (const {run, rows} of placed)
    place(run.run_id, rows ?? (await rowsBySearch(file, metadata, spans.get(run.run_id)!, caseIds, listed)));
  const at = () => [...expect.keys()].sort((a, b) => a - b);
  let rows = await rowsAt(file, metadata, at(), {columns: read, parsers});
  const astray = new Set(
    at()
      .filter((row, k) => rows[k]?.run_id !== expect.get(row)!.run || rows[k]?.case_id !== expect.get(row)!.case_id)
      .map((row) => expect.get(row)!.run)
  );
  if (astray.size) {
    // A run placed by its span whose rows are not in case order: searched instead, and read again.
    for (const [row, e] of [...expect]) if (astray.has(e.run)) expect.delete(row);
    for (const run of astray) searched.add(run);
    for (const {run} of placed.filter((p) => astray.has(p.run.run_id)))
      place(run.run_id, await rowsBySearch(file, metadata, spans.get(run.run_id)!, caseIds, listed));
    rows = await rowsAt(file, metadata, at(), {columns: read, parsers});
    const wrong = at().findIndex((row, k) => rows[k]?.case_id !== expect.get(row)!.case_id);
    if (wrong >= 0)
      throw new Error(`eval triage: row ${at()[wrong]} of the exported eval_results is not the case it was read for`);
  }
  // Text as strings (hyparquet's default), integers as numbers rather than BigInt.
  return {
    rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, typeof r[c] === "bigint" ? Number(r[c]) : r[c]]))),
    searched: runs.map((r) => r.run_id).filter((r) => searched.has(r))
  };
}

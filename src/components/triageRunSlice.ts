// Eval triage's runs and listed cases on a filtered slice, imported only once the case filter keeps a
// slice. Each run's pass rate, per-result rate and mean score, and which of the pair's cases changed
// verdict, are counted from the runs' case figures packed at build (loaders/queries/triageOutcomes.ts,
// eval-triage-cases.json) by the functions of src/lib/triageRuns.ts, so a slice reads as the build
// would read a warehouse holding only those cases; DuckDB-wasm then reads the listed cases' rows alone
// (their category, length and the later run's text), by the build's SQL over those rows.
import {
  caseTextSql,
  changedCasesOf,
  changedPicks,
  runCountsOn,
  runFigures,
  type CaseFigure,
  type ChangedCaseRow
} from "../lib/triageRuns.js";
import {unpackBits} from "../lib/packedBits.js";
import type {triageCaseFigures} from "../../loaders/queries/triageOutcomes.js";
import {html} from "npm:htl";
import type {RunResults} from "./triageListedRows.js";
import {sqlLiteral} from "./filterSql.js";
import {fmtInt} from "./format.js";
import type {OutcomeSuite} from "./triageCompare.js";

type Query = <R>(sql: string) => Promise<R[]>;

/** The page data eval-triage-cases.json: each suite's runs' case figures. */
export type CaseFigures = Awaited<ReturnType<typeof triageCaseFigures>>;
export type CaseFigureSuite = CaseFigures["suites"][number];

const inList = (values: readonly string[]) => (values.length ? values.map(sqlLiteral).join(", ") : "NULL");

/** The pair's results of the listed cases, every epoch, as a table for the SQL below: its columns and their types. */
export const LISTED_RESULTS = "triage_listed_results";
const LISTED_COLUMNS = {
  run_id: "VARCHAR",
  case_id: "VARCHAR",
  epoch: "BIGINT",
  category: "VARCHAR",
  input_chars: "BIGINT",
  output_excerpt: "VARCHAR",
  reason: "VARCHAR",
  error: "VARCHAR"
} as const;
type ListedColumn = keyof typeof LISTED_COLUMNS;
export const LISTED_COLUMN_NAMES = Object.keys(LISTED_COLUMNS) as ListedColumn[];

const literal = (value: unknown, type: string) =>
  value === null || value === undefined
    ? "NULL"
    : type === "VARCHAR"
      ? sqlLiteral(String(value))
      : String(Number(value));

/**
 * The rows read (at most 80 cases × 2 runs × epochs) as a SELECT of literals, typed as the export's
 * columns: one typed list a column, unnested side by side. DuckDB binds that about five times faster
 * than a VALUES list with a cast per value (15–30 ms against 100–140 ms for 160 rows in Node; 2.1–3.2 s
 * in DuckDB-wasm on the loaded bench machine).
 */
export function listedTable(rows: readonly Record<string, unknown>[]): string {
  const typed = Object.entries(LISTED_COLUMNS);
  if (!rows.length) return `SELECT ${typed.map(([c, type]) => `NULL::${type} AS ${c}`).join(", ")} WHERE false`;
  return `SELECT ${typed
    .map(([c, type]) => `unnest([${rows.map((r) => literal(r[c], type)).join(", ")}]::${type}[]) AS ${c}`)
    .join(",\n      ")}`;
}

/**
 * The listed cases' category and input length (the earlier run's, as eval_case reduces its epochs,
 * the length else the later run's) and the later run's text (caseTextSql), from their rows.
 */
export const listedTextSql = (
  pair: {before: string; after: string},
  rows: readonly Record<string, unknown>[]
) => `WITH ${LISTED_RESULTS} AS (
      ${listedTable(rows)}
    ),
    b AS (
      SELECT case_id,
        coalesce(any_value(category), '(none)') AS category,
        max(input_chars)::INTEGER AS input_chars
      FROM ${LISTED_RESULTS}
      WHERE run_id = ${sqlLiteral(pair.before)}
      GROUP BY case_id
    ),
    a AS (
      SELECT e.case_id,
        max(e.input_chars)::INTEGER AS input_chars,
        ${caseTextSql()}
      FROM ${LISTED_RESULTS} e
      WHERE e.run_id = ${sqlLiteral(pair.after)}
      GROUP BY e.case_id
    )
    SELECT b.case_id,
      b.category,
      coalesce(b.input_chars, a.input_chars) AS input_chars,
      a.excerpt,
      a.reason,
      a.error
    FROM b
    JOIN a USING (case_id)`;

/**
 * Where the listed cases' rows come from: `rows` reads the rows of the listed cases (suite case
 * indexes) in the runs from the exported eval_results, with the named columns (in the browser, those
 * rows alone, src/components/triageListedRows.ts); `query` runs SQL that names no exported table.
 */
export interface SliceSource {
  query: Query;
  rows: (
    runs: readonly RunResults[],
    caseIds: readonly string[],
    listed: readonly number[],
    columns: readonly string[]
  ) => Promise<Record<string, unknown>[]>;
}

/** A run as the page's data holds it (eval-triage.json `runs`): what the slice recomputes and what it keeps. */
export type Run = {
  run_id: string;
  started_at: string;
  n: number;
  errored_results: number;
  errored_cases: number;
} & ReturnType<typeof runFigures>;

/** Each run's cases of the suite, as indexes into the suite's case figures (0: not graded). */
function casesOf(suite: OutcomeSuite, caseFigures: CaseFigureSuite): (run: string) => Uint32Array {
  const packed = new Map(caseFigures.runs.map((r) => [r.run_id, r.cases]));
  return (run) => {
    const found = packed.get(run);
    if (found === undefined) throw new Error(`eval triage: no case figures of run ${run} in suite ${suite.suite}`);
    return unpackBits(found, suite.cases, caseFigures.bits);
  };
}

/**
 * The suite's runs on the kept cases, in the page data's order and shape (a run that graded none of
 * them is left out, as a slice-only warehouse would not hold it).
 */
export function slicedRuns<R extends Run>(
  suite: OutcomeSuite,
  caseFigures: CaseFigureSuite,
  runs: readonly R[],
  keep: readonly boolean[]
): R[] {
  const cases = casesOf(suite, caseFigures);
  return runs.flatMap((r) => {
    const c = runCountsOn(caseFigures.figures, cases(r.run_id), keep);
    if (!c) return [];
    const {n, errored_results, errored_cases} = c;
    return [{...r, n, errored_results, errored_cases, ...runFigures(c)}];
  });
}

/**
 * The pair's changed cases on the kept ones, picked from the case figures, with their category, length
 * and the later run's text read for the listed cases alone. `runs`: the page data's, for their start times.
 */
export async function slicedChanged(
  source: SliceSource,
  suite: OutcomeSuite,
  caseFigures: CaseFigureSuite,
  runs: readonly Pick<Run, "run_id" | "started_at">[],
  keep: readonly boolean[],
  pair: {before: string; after: string}
): Promise<ChangedCases> {
  const {figures} = caseFigures;
  const cases = casesOf(suite, caseFigures);
  const picked = changedPicks(figures, cases(pair.before), cases(pair.after), keep);
  type Listed = Pick<ChangedCaseRow, "case_id" | "category" | "input_chars" | "excerpt" | "reason" | "error">;
  const listed = new Map<string, Listed>();
  if (picked.length) {
    // Each case's rows in a run are its results (epochs), which place them in the export.
    const pairRuns = [pair.before, pair.after].map((run_id) => ({
      run_id,
      results: Array.from(cases(run_id), (k) => (k === 0 ? 0 : figures[k - 1][2])),
      started_at: runs.find((r) => r.run_id === run_id)?.started_at ?? null
    }));
    const indexes = picked.map((p) => p.index);
    const rows = await source.rows(pairRuns, suite.case_ids, indexes, LISTED_COLUMN_NAMES);
    for (const row of await source.query<Listed>(listedTextSql(pair, rows))) listed.set(row.case_id, row);
  }
  const rows = picked.map(({change, index, before_score, after_score}): ChangedCaseRow => {
    const case_id = suite.case_ids[index];
    // A case the size policy left out of the export (it samples whole cases) is listed without its text
    // or length, in the category the case has across the suite's runs.
    const row = listed.get(case_id) ?? {
      case_id,
      category: suite.categories[suite.case_categories[index]],
      input_chars: null,
      excerpt: null,
      reason: null,
      error: null
    };
    return {...row, before_run: pair.before, after_run: pair.after, change, case_id, before_score, after_score};
  });
  return changedCasesOf(rows, pair);
}

/** A pair's listed cases, as the build's pair and the slice's both hold them. */
export type ChangedCases = ReturnType<typeof changedCasesOf>;

/** Above the recomputed runs, when the size policy sampled eval_results (docs/explore.md): which listed cases lack their text. */
export function sampleNote(sample: {exported: number; rows: number} | null): HTMLElement | null {
  if (!sample) return null;
  return html`<div class="note" role="status" id="triage-sample-note">The runs and cases below count every eval result, but the site's export holds ${fmtInt(sample.exported)} of ${fmtInt(sample.rows)} (the size policy samples whole cases): a listed case outside that sample shows no output or input length.</div>`;
}

/** The case figures file, fetched once: every later filter change reuses it. */
let caseFigures: Promise<CaseFigures> | undefined;

/**
 * The runs counted on the kept cases from the runs' case figures (`casesFile`, eval-triage-cases.json),
 * and, later (`listed`), the pair's changed cases, whose rows of the exported eval_results are read
 * alone (triageListedRows.ts) and shaped by the build's SQL in DuckDB-wasm. `note` says when the size
 * policy sampled eval_results, so some listed cases have no text. The runs do not wait for the listed
 * cases: `listed` is a promise, which Framework awaits for the page's blocks that read it.
 */
export async function slicedOnFigures<R extends Run>(
  suite: OutcomeSuite,
  casesFile: {json(): Promise<CaseFigures>},
  runs: readonly R[],
  keep: readonly boolean[],
  pair: {before: string; after: string} | null
): Promise<{runs: readonly R[]; listed: Promise<ChangedCases | null>; note: HTMLElement | null}> {
  const [{sliceQueryLoaded, tableSample}, figures] = await Promise.all([
    import("./sliceDatabase.js"),
    (caseFigures ??= casesFile.json())
  ]);
  // A suite none of whose runs is its own (eval_run names each run's suite once) has no figures, and no runs.
  const caseSuite = figures.suites.find((s) => s.suite === suite.suite) ?? {
    suite: suite.suite,
    figures: [],
    bits: 0,
    runs: []
  };
  const source: SliceSource = {
    // The listed cases' SQL names no exported table: DuckDB-wasm runs it over its literals, loading nothing.
    query: sliceQueryLoaded,
    async rows(pairRuns, caseIds, indexes, columns) {
      const [{openExported}, {listedRows}] = await Promise.all([
        import("./exploreFiles.js"),
        import("./triageListedRows.js")
      ]);
      const {file, metadata} = await openExported("eval_results");
      return (await listedRows(file, metadata, pairRuns, caseIds, indexes, columns)).rows;
    }
  };
  return {
    runs: slicedRuns(suite, caseSuite, runs, keep),
    listed: pair ? slicedChanged(source, suite, caseSuite, runs, keep, pair) : Promise.resolve(null),
    note: sampleNote(await tableSample("eval_results"))
  };
}

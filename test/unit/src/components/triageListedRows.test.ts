// The listed cases' rows of the exported eval_results, found by their place in a run's span (from the
// runs' case figures) and read with the Parquet reader the browser uses, against the rows SQL selects
// from the warehouse: in an export like the build's, in one whose run has two start times (rows out
// of case order), and in a sampled one (a case left out).
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetMetadataAsync, type AsyncBuffer} from "hyparquet";
import {afterEach, describe, expect, test} from "vitest";
import {writeParquet} from "../../../../loaders/explore/export.js";
import {triageCaseFigures, triageOutcomes} from "../../../../loaders/queries/triageOutcomes.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {groupsAt, listedRows, rowsBySpan} from "../../../../src/components/triageListedRows.js";
import {unpackBits} from "../../../../src/lib/packedBits.js";
import {ingest, jsonl} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

/** Three runs of 40 cases, two epochs each; r2 skips every fifth case; `split` starts r2's first 20 cases later than the rest. */
function rows({split = false} = {}) {
  const out: Record<string, unknown>[] = [];
  for (const [k, run] of ["r1", "r2", "r3"].entries())
    for (let i = 0; i < 40; i++) {
      if (run === "r2" && i % 5 === 0) continue;
      for (const epoch of [1, 2])
        out.push({
          run_id: run,
          case_id: `c${String(i).padStart(2, "0")}`,
          epoch,
          suite: "s",
          started_at: `2026-11-0${k + 1}T08:${split && run === "r2" && i < 20 ? "30" : "00"}:00Z`,
          model: "m",
          category: ["a", "b"][i % 2],
          input_chars: 100 * i + epoch,
          passed: (i + epoch + k) % 3 !== 0,
          score: ((i * 7 + k) % 10) / 10,
          output_excerpt: `Output of c${i} in ${run}, epoch ${epoch}.`
        });
    }
  return out;
}

const COLUMNS = ["run_id", "case_id", "epoch", "category", "input_chars", "output_excerpt"];

/** The exported eval_results of the warehouse, written by the build's export, as the browser reads it. */
async function exported(database: Database, options: {maxRows?: number; rowGroupRows?: number} = {}) {
  const path = join(mkdtempSync(join(tmpdir(), "triage-rows-")), "eval_results.parquet");
  await writeParquet(database, "eval_results", path, {rowGroupRows: 50, ...options});
  const bytes = readFileSync(path);
  const file: AsyncBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return {file, metadata: await parquetMetadataAsync(file)};
}

/** The suite's case ids and the two runs' results per case, from the page's files. */
async function pairOf(database: Database, runs: string[]) {
  const [suite] = (await triageOutcomes(database)).suites;
  const [figures] = (await triageCaseFigures(database)).suites;
  return {
    caseIds: suite.case_ids,
    runs: runs.map((run_id) => {
      const cases = unpackBits(figures.runs.find((r) => r.run_id === run_id)!.cases, suite.cases, figures.bits);
      return {run_id, results: Array.from(cases, (k) => (k === 0 ? 0 : figures.figures[k - 1][2]))};
    })
  };
}

/** What SQL selects for the same cases and runs, in the export's order. */
const bySql = (database: Database, runs: string[], cases: string[], from = "eval_results") =>
  database.query<Record<string, unknown>>(
    `SELECT ${COLUMNS.join(", ")} FROM ${from}
     WHERE run_id IN (${runs.map((r) => `'${r}'`).join(", ")}) AND case_id IN (${cases.map((c) => `'${c}'`).join(", ")})
     ORDER BY started_at, run_id, case_id, epoch`
  );

const plain = (rs: Record<string, unknown>[]) =>
  rs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));

describe("listedRows(file, metadata, runs, caseIds, listed, columns)", () => {
  test("reads the listed cases' rows of both runs, every epoch, placed by the runs' results alone", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows())});
    const {file, metadata} = await exported(db);
    const pair = await pairOf(db, ["r2", "r3"]);
    const listed = [1, 7, 10, 38];
    const {rows: got, searched} = await listedRows(file, metadata, pair.runs, pair.caseIds, listed, COLUMNS);
    expect(searched).toEqual([]);
    const ids = listed.map((i) => pair.caseIds[i]);
    expect(plain(got)).toEqual(plain(await bySql(db, ["r2", "r3"], ids)));
    // c10 is one of r2's skipped cases: only r3's two epochs of it.
    expect(got.filter((r) => r.case_id === "c10").map((r) => r.run_id)).toEqual(["r3", "r3"]);
  });

  test("finds a run's rows by their case ids when its start times split them out of case order", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows({split: true}))});
    const {file, metadata} = await exported(db);
    const pair = await pairOf(db, ["r1", "r2"]);
    // r2's first 20 cases sort after its others by time: one span of the right length, not in case
    // order, so the rows its place gives hold other cases, and r2 is searched by case id instead.
    const listed = [3, 21, 39];
    const {rows: got, searched} = await listedRows(file, metadata, pair.runs, pair.caseIds, listed, COLUMNS);
    expect(searched).toEqual(["r2"]);
    expect(plain(got)).toEqual(
      plain(
        await bySql(
          db,
          ["r1", "r2"],
          listed.map((i) => pair.caseIds[i])
        )
      )
    );
  });

  test("leaves out a case a sampled export does not hold", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...rows())});
    const {file, metadata} = await exported(db, {maxRows: 150});
    const pair = await pairOf(db, ["r1", "r3"]);
    const listed = Array.from({length: 40}, (_, i) => i);
    const {rows: got, searched} = await listedRows(file, metadata, pair.runs, pair.caseIds, listed, COLUMNS);
    expect(searched).toEqual(["r1", "r3"]);
    const held = new Set(got.map((r) => r.case_id as string));
    // A sample by case: some cases are out, and each case in it has its rows in both runs.
    expect(held.size).toBeGreaterThan(0);
    expect(held.size).toBeLessThan(40);
    expect(plain(got)).toEqual(plain(await bySql(db, ["r1", "r3"], [...held])));
  });
});

describe("groupsAt(metadata, times) and listedRows with the runs' start times", () => {
  // Three runs of 1,500 cases, a day apart: about 2,048 rows a row group, so three groups.
  const many = () =>
    ["r1", "r2", "r3"].flatMap((run, k) =>
      Array.from({length: 1500}, (_, i) => ({
        run_id: run,
        case_id: `c${String(i).padStart(4, "0")}`,
        suite: "s",
        started_at: `2026-11-0${k + 1}T08:00:00Z`,
        model: "m",
        passed: (i + k) % 4 !== 0,
        output_excerpt: `Output of c${i} in ${run}.`
      }))
    );

  test("looks only in the row groups that hold a run's start time, and everywhere when it is not there", async () => {
    db = await ingest({"eval_results.jsonl": jsonl(...many())});
    const {file, metadata} = await exported(db, {rowGroupRows: 2048});
    expect(metadata.row_groups.length).toBeGreaterThanOrEqual(3);
    const last = metadata.row_groups.length - 1;
    expect(groupsAt(metadata, [Date.parse("2026-11-03T08:00:00Z")])).toEqual([last - 1, last].filter((g) => g > 0));
    expect(groupsAt(metadata, [Date.parse("2026-11-01T08:00:00Z")])).toEqual([0]);
    expect(groupsAt(metadata, [Date.parse("2026-12-01T08:00:00Z")])).toEqual([]);
    const pair = await pairOf(db, ["r1", "r3"]);
    const listed = [0, 700, 1499];
    const ids = listed.map((i) => pair.caseIds[i]);
    for (const [r1, r3] of [
      ["2026-11-01T08:00:00.000Z", "2026-11-03T08:00:00.000Z"],
      // A wrong start time finds the run nowhere in its groups: every group is read instead.
      ["2026-11-01T08:00:00.000Z", "2026-12-01T08:00:00.000Z"]
    ]) {
      const runs = pair.runs.map((r) => ({...r, started_at: r.run_id === "r1" ? r1 : r3}));
      const {rows: got, searched} = await listedRows(file, metadata, runs, pair.caseIds, listed, COLUMNS);
      expect(searched).toEqual([]);
      expect(plain(got)).toEqual(plain(await bySql(db, ["r1", "r3"], ids)));
    }
  });
});

describe("rowsBySpan(spans, results, listed)", () => {
  test("places each listed case after the rows of the run's earlier cases, or refuses a span of another length", () => {
    expect(rowsBySpan([[10, 16]], [2, 0, 1, 3], [0, 2, 3])).toEqual(
      new Map([
        [0, [10, 11]],
        [2, [12]],
        [3, [13, 14, 15]]
      ])
    );
    expect(rowsBySpan([[10, 15]], [2, 0, 1, 3], [0])).toBeNull();
    expect(
      rowsBySpan(
        [
          [0, 2],
          [5, 9]
        ],
        [2, 0, 1, 3],
        [0]
      )
    ).toBeNull();
  });
});

import {parse} from "csv-parse/sync";
import {afterEach, describe, expect, test} from "vitest";
import {csvLayout, unescapeFormula} from "../../../../loaders/adapters/promptfooCsv.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingest} from "../../../helpers.js";
import {quarantineOf, realFixture, sourcesOf} from "../../../realFixtures.js";

let dbs: Database[] = [];
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});
const open = async (files: Record<string, string>, config: unknown = {}) => {
  const db = await ingest(files, config);
  dbs.push(db);
  return db;
};

const JSON_FILE = realFixture("promptfoo/ticket-routing/results.json");
const CSV_FILE = realFixture("promptfoo/ticket-routing/results.csv");
const run = JSON.parse(JSON_FILE);
/** What the CSV lacks, given as a user would: the run's timestamp, eval id and suite. */
const sameRun = {
  sources: [
    {
      path: "pf/*.csv",
      defaults: {started_at: run.results.timestamp, eval_id: run.evalId, suite: run.config.description}
    }
  ]
};

const verdicts = `SELECT run_id, option, eval_id, case_id, epoch, suite, started_at, model, prompt_version, passed, named_scores, output_excerpt, input_excerpt FROM eval_results ORDER BY run_id, case_id, epoch`;

describe("promptfoo CSV adapter", () => {
  test("reads a real `promptfoo eval -o results.csv` into the same runs, options, cases, epochs and verdicts as the JSON of the same run", async () => {
    const fromJson = await open({"pf/results.json": JSON_FILE});
    const fromCsv = await open({"pf/results.csv": CSV_FILE}, sameRun);
    expect(await sourcesOf(fromCsv)).toEqual([
      {
        file: "pf/results.csv",
        format: "promptfoo-csv",
        status: "ingested",
        rows_in: 120,
        rows_accepted: 120,
        rows_quarantined: 0
      }
    ]);
    const json = await fromJson.query<Record<string, unknown>>(verdicts);
    const csv = await fromCsv.query<Record<string, unknown>>(verdicts);
    // A labelled provider's model is unknown to the CSV (it names the column by the label only), and
    // named scores are re-serialized by promptfoo's CSV writer: compare the rest field by field.
    const common = ({model: _m, named_scores: _n, ...r}: Record<string, unknown>) => r;
    expect(csv.map(common)).toEqual(json.map(common));
    expect(csv.map((r) => [r.option, r.model]).filter((_, i) => i % 20 === 0)).toEqual([
      ["acme-7b · explain-v2", "acme-7b"],
      ["acme-7b · terse-v1", "acme-7b"],
      ["mini-baseline · explain-v2", "mini-baseline"],
      ["mini-baseline · terse-v1", "mini-baseline"],
      ["openai:chat:gpt-4.1-nano · explain-v2", "gpt-4.1-nano"],
      ["openai:chat:gpt-4.1-nano · terse-v1", "gpt-4.1-nano"]
    ]);
    expect(csv.map((r) => JSON.parse(r.named_scores as string))).toEqual(
      json.map((r) => JSON.parse(r.named_scores as string))
    );
  });

  test("reads the same rows when the file's rows end in \\r\\n under a \\n header, or in \\r, and quarantines a row with a stray quote alone", async () => {
    const lines = async (db: Database) =>
      db.query(
        `SELECT run_id, case_id, epoch, passed, score, left(output_excerpt, 20) AS starts FROM eval_results ORDER BY run_id, case_id, epoch`
      );
    const lf = await lines(await open({"pf/results.csv": CSV_FILE}, sameRun));
    // Line ends inside quoted outputs change too, as an editor saving the file would change them
    // (which moves where a long excerpt is cut: compare the starts).
    const [headerLine, ...rest] = CSV_FILE.split(/\r?\n/);
    const crlf = await lines(await open({"pf/results.csv": `${headerLine}\n${rest.join("\r\n")}`}, sameRun));
    const cr = await lines(await open({"pf/results.csv": CSV_FILE.replace(/\r?\n/g, "\r")}, sameRun));
    const noBreaks = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({
        ...r,
        starts: String(r.starts ?? "")
          .replace(/\r\n|\r|\n/g, "\n")
          .slice(0, 15)
      }));
    expect(noBreaks(crlf)).toEqual(noBreaks(lf));
    expect(noBreaks(cr)).toEqual(noBreaks(lf));
    // A stray quote in one row's Description: that row alone is lost, with its line.
    const rows = CSV_FILE.split("\n");
    const broken = [...rows.slice(0, 3), `x"y${rows[3]}`, ...rows.slice(4)].join("\n");
    const db = await open({"pf/results.csv": broken}, sameRun);
    const [{rows_in, rows_accepted, rows_quarantined}] = (await sourcesOf(db)) as {
      rows_in: number;
      rows_accepted: number;
      rows_quarantined: number;
    }[];
    expect(rows_accepted + rows_quarantined).toBe(rows_in);
    expect(rows_quarantined).toBeGreaterThan(0);
    expect(rows_accepted).toBeGreaterThan(100);
  });

  test("counts, per column, the PASS, FAIL and ERROR cells the raw file holds", async () => {
    const db = await open({"pf/results.csv": CSV_FILE}, sameRun);
    // An independent reading: every header cell starting with "[" is a column whose status is the next cell.
    const [header, ...rows] = parse(CSV_FILE) as string[][];
    const expected = header
      .flatMap((h, i) => (h.startsWith("[") ? [{column: h, i}] : []))
      .map(({column, i}) => {
        const statuses = rows.map((r) => r[i + 1]);
        const [, provider, prompt] = /^\[(.*)\] (.*)$/.exec(column)!;
        return {
          option: `${provider} · ${prompt}`,
          results: statuses.length,
          passes: statuses.filter((s) => s === "PASS").length,
          errors: statuses.filter((s) => s === "ERROR").length
        };
      });
    expect(expected).toHaveLength(6);
    const got = await db.query(
      `SELECT option, count(*)::INTEGER AS results, count(*) FILTER (WHERE passed)::INTEGER AS passes, count(error)::INTEGER AS errors FROM eval_results GROUP BY option`
    );
    expect(got).toEqual(expect.arrayContaining(expected));
    expect(got).toHaveLength(expected.length);
    expect(await db.query(`SELECT DISTINCT error FROM eval_results WHERE error IS NOT NULL`)).toEqual([
      {error: "promptfoo status ERROR (the CSV export does not carry the error message)"}
    ]);
    // No latency, tokens or cost in the CSV: left unknown, never 0.
    expect(
      await db.query(
        `SELECT count(latency_ms)::INTEGER AS l, count(input_tokens)::INTEGER AS t, count(cost_usd)::INTEGER AS c FROM eval_results`
      )
    ).toEqual([{l: 0, t: 0, c: 0}]);
  });

  test("quarantines every result naming started_at and the fix when the file has no sources entry", async () => {
    const db = await open({"results.csv": CSV_FILE});
    expect(await sourcesOf(db)).toEqual([
      {
        file: "results.csv",
        format: "promptfoo-csv",
        status: "ingested",
        rows_in: 120,
        rows_accepted: 0,
        rows_quarantined: 120
      }
    ]);
    const [first] = (await quarantineOf(db)) as {line: number; reason: string}[];
    expect(first).toEqual({
      source_file: "results.csv",
      line: 2,
      field: null,
      reason:
        "started_at: promptfoo's CSV export holds no timestamp; give this file a sources entry in workbench.config.json with defaults.started_at (when the eval ran), or read the run's results.json instead"
    });
  });

  test("without descriptions, names cases by their vars in both the JSON and the CSV, and keeps repeats as epochs", async () => {
    const doc = JSON.parse(JSON_FILE);
    for (const r of doc.results.results) delete r.testCase.description;
    const [header, ...rows] = parse(CSV_FILE) as string[][];
    const noDescription = [header, ...rows]
      .map((r) =>
        r
          .slice(1)
          .map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c))
          .join(",")
      )
      .join("\n");
    const fromJson = await open({"pf/results.json": JSON.stringify(doc)});
    const fromCsv = await open({"pf/results.csv": noDescription}, sameRun);
    const cases = `SELECT DISTINCT case_id, epoch FROM eval_results ORDER BY case_id, epoch`;
    expect(await fromCsv.query(cases)).toEqual(await fromJson.query(cases));
    expect(
      (await fromJson.query<{case_id: string}>(`SELECT DISTINCT case_id FROM eval_results ORDER BY case_id`)).map(
        (r) => r.case_id
      )
    ).toEqual(["test-0", "test-1", "test-2", "test-3", "test-4", "test-5", "test-6", "test-7", "test-8", "test-9"]);
  });

  test("is not claimed for a workbench CSV or a CSV whose column groups are broken", async () => {
    const db = await open({
      "evals.csv": "run_id,case_id,suite,started_at,model,passed\nr1,c1,s,2026-11-01T00:00:00Z,m,true\n"
    });
    expect(await sourcesOf(db)).toEqual([
      {file: "evals.csv", format: "native-csv", status: "ingested", rows_in: 1, rows_accepted: 1, rows_quarantined: 0}
    ]);
    expect(csvLayout(["x", "[p] q", "Status", "Score", "Named Scores", "Grader Reason"])).toBeUndefined();
    expect(
      csvLayout([
        "Description",
        "x",
        "[p] q",
        "Status",
        "Score",
        "Named Scores",
        "Metric: a",
        "Grader Reason",
        "Comment"
      ])
    ).toEqual({
      description: 0,
      vars: [{name: "x", index: 1}],
      columns: [{provider: "p", prompt: "q", output: 2, status: 3, score: 4, namedScores: 5, reason: 7}]
    });
  });
});

describe("unescapeFormula(cell)", () => {
  test.each([
    ["'=SUM(A1)", "=SUM(A1)"],
    ["'- a bullet", "- a bullet"],
    ["'@user", "@user"],
    ["'-3", "'-3"],
    ["'quoted", "'quoted"],
    ["plain", "plain"]
  ])("%s → %s", (cell, value) => {
    expect(unescapeFormula(cell)).toBe(value);
  });
});

describe("promptfoo CSV adapter: a case's input", () => {
  test("is the row's vars, read from the raw CSV by its header, and no expected output (the CSV holds no assertions)", async () => {
    const db = await open({"pf/results.csv": CSV_FILE}, sameRun);
    const [header, ...rows] = parse(CSV_FILE, {relax_column_count: true}) as string[][];
    const firstOutput = header.findIndex((h) => h.startsWith("["));
    const varNames = header.slice(1, firstOutput);
    expect(varNames).toEqual(["id", "queue", "ticket"]);
    const want = [...new Set(rows.map((r) => varNames.map((name, k) => `${name}: ${r[k + 1]}`).join("\n")))].sort();
    const got = await db.query<{input_excerpt: string; expected: number}>(
      `SELECT DISTINCT input_excerpt, count(expected_excerpt) OVER ()::INTEGER AS expected FROM eval_results ORDER BY input_excerpt`
    );
    expect(got.map((r) => r.input_excerpt)).toEqual(want);
    expect(got.every((r) => r.expected === 0)).toBe(true);
  });
});

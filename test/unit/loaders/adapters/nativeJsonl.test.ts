// The native JSONL reader has three paths — clean files straight into the canonical table, clean
// JSON with invalid rows staged through read_json, anything else line by line — and they must give
// the same rows, the same quarantine and true line numbers whichever one a file takes.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {tmpdir} from "node:os";
import {mkdtempSync} from "node:fs";
import {afterEach, describe, expect, test, vi} from "vitest";
import {configSchema} from "../../../../loaders/schema/config.js";
import {canonicalTables} from "../../../../loaders/schema/tables.js";
import {duckdbResources, quotedString, openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../../../loaders/warehouse/ingest.js";
import {timestampPattern, timestampShapes} from "../../../../loaders/schema/fields.js";
import {fieldCheckSql, fieldValidSql, normalizedSql, timestampTextSql} from "../../../../loaders/warehouse/validate.js";
import {scanLines} from "../../../../loaders/workspace/lineScan.js";
import {binaryExperiment, evalRow, ingest, jsonl, tempWorkspace} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

function scanText(text: string, chunkBytes?: number) {
  const path = join(mkdtempSync(join(tmpdir(), "scan-")), "f.jsonl");
  writeFileSync(path, text);
  return scanLines(path, chunkBytes);
}

describe("scanLines", () => {
  test("counts data lines, with or without a final newline, across CRLF", () => {
    expect(scanText('{"a":1}\n{"a":2}\n')).toEqual({dataLines: 2, blankBeforeData: false, bom: false});
    expect(scanText('{"a":1}\r\n{"a":2}')).toEqual({dataLines: 2, blankBeforeData: false, bom: false});
    expect(scanText("")).toEqual({dataLines: 0, blankBeforeData: false, bom: false});
  });

  test("flags a blank or space-only line before data, but not trailing ones", () => {
    expect(scanText('{"a":1}\n\n{"a":2}\n').blankBeforeData).toBe(true);
    expect(scanText('{"a":1}\n  \r\n{"a":2}\n').blankBeforeData).toBe(true);
    expect(scanText('\n{"a":1}\n').blankBeforeData).toBe(true);
    expect(scanText('{"a":1}\n\n \n')).toEqual({dataLines: 1, blankBeforeData: false, bom: false});
  });

  test("counts a tab-only line as data, as the line-by-line reader does", () => {
    expect(scanText('{"a":1}\n\t\n').dataLines).toBe(2);
  });

  test("sees a BOM", () => {
    expect(scanText('\uFEFF{"a":1}\n').bom).toBe(true);
  });

  test("gives the same answer whatever the chunk size", () => {
    const text = ['{"a":1}', "", "   ", '  {"a":2}', '{"a":3}  ', "\r", '{"a":4}'].join("\n") + "\n\n";
    const whole = scanText(text);
    expect(whole).toEqual({dataLines: 4, blankBeforeData: true, bom: false});
    for (const chunk of [1, 2, 3, 5, 7, 64]) expect(scanText(text, chunk)).toEqual(whole);
  });
});

const rows = [
  evalRow({
    case_id: "a",
    score: 0.5,
    latency_ms: 900,
    input_tokens: "12",
    output_excerpt: "Mail me at jordan.rivera@example.com"
  }),
  evalRow({case_id: "b", passed: "yes", refused: 0, started_at: "2026-11-01 09:00:00+02:00", epoch: 2}),
  evalRow({case_id: "bad-score", score: 1.5}),
  evalRow({case_id: "bad-ts", started_at: "yesterday"}),
  evalRow({case_id: "c", grader: "human", cost_usd: 0.001, prompt_version: "  p1  "}),
  evalRow({case_id: "a", score: 0.7}),
  evalRow({case_id: "missing", model: ""}),
  evalRow({case_id: "bool-number", passed: true, latency_ms: true}),
  // A day, the largest latency believed (tables.ts); beyond it the row is quarantined.
  evalRow({case_id: "huge", latency_ms: 86_400_000, extra: {nested: [1, 2]}})
];

async function ingestText(text: string) {
  return ingest({"e.jsonl": text});
}

const accepted = (d: Database) =>
  d.query(`SELECT * EXCLUDE (source_line), source_line FROM eval_results ORDER BY case_id, epoch, source_line`);
const quarantined = (d: Database) => d.query(`SELECT line, field, reason FROM quarantine ORDER BY line`);

describe("native JSONL read paths", () => {
  test("a clean file, a clean file with invalid rows and a file read line by line give the same rows and quarantine", async () => {
    const clean = jsonl(...rows);
    // A leading blank line sends the same records down the line-by-line path, one line later.
    const lineByLine = "\n" + clean;
    const a = await ingestText(clean);
    const b = await ingestText(lineByLine);
    try {
      const shift = (xs: Record<string, unknown>[], key: string) =>
        xs.map((x) => ({...x, [key]: (x[key] as number) - 1}));
      expect(await accepted(a)).toEqual(shift(await accepted(b), "source_line"));
      const earlier = (xs: Record<string, unknown>[]) =>
        xs.map((x) => ({
          ...x,
          reason: String(x.reason).replace(/e\.jsonl:(\d+)/, (_, n) => `e.jsonl:${Number(n) - 1}`)
        }));
      expect(await quarantined(a)).toEqual(earlier(shift(await quarantined(b), "line")));
      expect(await quarantined(a)).toEqual([
        {line: 3, field: "score", reason: 'score: expected ≤ 1, got "1.5"'},
        {line: 4, field: "started_at", reason: 'started_at: expected an ISO 8601 timestamp, got "yesterday"'},
        {
          line: 6,
          field: "run_id, case_id, epoch",
          reason: "duplicate key (run_id=r1, case_id=a, epoch=1); first seen at e.jsonl:1"
        },
        {line: 7, field: "model", reason: "model: missing required field"},
        {line: 8, field: "latency_ms", reason: 'latency_ms: expected a number, got "true"'}
      ]);
      const lines = (await accepted(a)).map((r) => [r.case_id, r.source_line]);
      expect(lines).toEqual([
        ["a", 1],
        ["b", 2],
        ["c", 5],
        ["huge", 9]
      ]);
    } finally {
      a.close();
      b.close();
    }
  });

  test("a clean valid file is read by DuckDB's read_json in one pass, never line by line", async () => {
    db = await openDatabase();
    const run = vi.spyOn(db, "run");
    await ingestWorkspace(
      db,
      tempWorkspace({"e.jsonl": jsonl(evalRow({case_id: "a"}), evalRow({case_id: "b"}))}),
      configSchema.parse({})
    );
    const sql = run.mock.calls.map(([s]) => s).join("\n");
    expect(sql).toContain("read_json(");
    expect(sql).not.toContain("read_csv(");
    expect(await db.query(`SELECT case_id, source_line FROM eval_results ORDER BY source_line`)).toEqual([
      {case_id: "a", source_line: 1},
      {case_id: "b", source_line: 2}
    ]);
  });

  test("numbers every row of a large clean file by its line", async () => {
    const many = Array.from({length: 30_000}, (_, i) => evalRow({case_id: `c${i}`}));
    db = await ingestText(jsonl(...many));
    const [row] = await db.query<{n: number; wrong: number}>(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (source_line <> CAST(substr(case_id, 2) AS INTEGER) + 1)::INTEGER AS wrong FROM eval_results`
    );
    expect(row).toEqual({n: 30_000, wrong: 0});
  });
});

// Files of 40–100 MB ingested on 4 threads: 5–15 s on their own, and over 30 s in CI, where Node 24's
// unit tests run beside the browser tests on the same 2 cores (two of them timed out there).
describe("native JSONL and CSV: a file DuckDB reads in pieces on several threads", {timeout: 180_000}, () => {
  // About 40 MB: DuckDB's readers split a file into buffers of a few tens of MB and read them on
  // different threads, so a numbering that did not keep the file's order would be wrong here (with
  // DuckDB's insertion order switched off, tens of thousands of these rows got another row's line).
  // JSON in many short rows, CSV in few wide ones: each is how its reader went out of order.
  const unit = (i: number, segment = "smb") => ({
    experiment: "e",
    unit_id: `u${i}`,
    variant: "control",
    assigned_at: "2026-11-01T09:00:00Z",
    segment
  });
  const config = configSchema.parse({
    experiments: [
      binaryExperiment({name: "e", metric: "done", start: "2026-10-01T00:00:00Z", end: "2026-11-30T00:00:00Z"})
    ]
  });
  // The unit tests' databases have one thread (vitest.config.ts): these need several.
  const openThreaded = () => openDatabase(":memory:", {resources: {...duckdbResources(), threads: 4}});
  // Below the first line (1, or 2 under a CSV header), with `offset` units in a file before it.
  const wrongLines = (d: Database, below: number, offset = 0) =>
    d.query<{n: number; wrong: number}>(
      `SELECT count(*)::INTEGER AS n,
        count(*) FILTER (source_line <> substr(unit_id, 2)::INTEGER - ${offset} + ${below})::INTEGER AS wrong
      FROM assignments
      WHERE substr(unit_id, 2)::INTEGER >= ${offset}`
    );
  const jsonLines = (from: number, to: number) =>
    Array.from({length: to - from}, (_, i) => JSON.stringify(unit(from + i))).join("\n") + "\n";

  test("numbers every row of a large clean JSONL file by its line", async () => {
    db = await openThreaded();
    await ingestWorkspace(db, tempWorkspace({"a.jsonl": jsonLines(0, 360_000)}), config);
    expect(await wrongLines(db, 1)).toEqual([{n: 360_000, wrong: 0}]);
  });

  test("numbers every row of a large plain CSV file by its line, below its header", async () => {
    const units = 36_000;
    const wide = "s".repeat(1_100);
    const fields = Object.keys(unit(0));
    const rows = Array.from({length: units}, (_, i) => Object.values(unit(i, `${wide}${i}`)).join(","));
    db = await openThreaded();
    await ingestWorkspace(db, tempWorkspace({"a.csv": [fields.join(","), ...rows].join("\n") + "\n"}), config);
    expect(await wrongLines(db, 2)).toEqual([{n: units, wrong: 0}]);
  });

  test("numbers every row of a large clean file whose checks hold IN lists by its line", async () => {
    // eval_results checks `passed` and `refused` against lists of spellings and `grader` against its
    // values: DuckDB's rewrite of such a list into a join stored rows out of the reader's order past
    // its first buffer of about 16 MB (insertNumbered keeps it off). About 50 MB here.
    const pad = "x".repeat(150);
    const rows = Array.from({length: 200_000}, (_, i) =>
      JSON.stringify(evalRow({case_id: `c${i}`, category: pad, grader: "programmatic", refused: i % 2 === 0}))
    );
    db = await openThreaded();
    await ingestWorkspace(db, tempWorkspace({"e.jsonl": rows.join("\n") + "\n"}), configSchema.parse({}));
    const [row] = await db.query<{n: number; wrong: number}>(
      `SELECT count(*)::INTEGER AS n,
        count(*) FILTER (source_line <> substr(case_id, 2)::INTEGER + 1)::INTEGER AS wrong
      FROM eval_results`
    );
    expect(row).toEqual({n: 200_000, wrong: 0});
  });

  test("plans every table's numbered INSERT, from JSONL and CSV, to keep the reader's order", async () => {
    // Lines are numbered by rowid, so each INSERT must store rows as read. A check's list of 5 or more
    // values (a span's kind, a correction's action, the boolean spellings, a label's leading whitespace)
    // becomes a join under DuckDB's IN-clause rewrite, and a plan with a join is inserted in parallel
    // and out of order (DuckDB's INSERT instead of BATCH_INSERT): insertNumbered turns the rewrite off.
    db = await openThreaded();
    const plans: Record<string, {batchInsert: boolean; join: boolean}> = {};
    const run = db.run.bind(db);
    db.run = async (sql, params) => {
      const into = /^INSERT INTO "(\w+)"\s/.exec(sql)?.[1];
      const reader = /read_(json|csv)\(/.exec(sql)?.[1];
      if (into && reader) {
        const plan = (await db!.query<{explain_value: string}>(`EXPLAIN ${sql}`, params)).map((r) => r.explain_value);
        plans[`${reader} into ${into}`] = {
          batchInsert: plan.join().includes("BATCH_INSERT"),
          join: /JOIN/.test(plan.join())
        };
      }
      return run(sql, params);
    };
    // "1" in every field: the rows are invalid, so each file is staged through the same reader too.
    const files = Object.fromEntries(
      canonicalTables.flatMap((spec) => [
        [`${spec.name}.jsonl`, jsonl(Object.fromEntries(spec.fields.map((f) => [f.name, "1"])))],
        [`${spec.name}.csv`, `${spec.fields.map((f) => f.name).join(",")}\n${spec.fields.map(() => "1").join(",")}\n`]
      ])
    );
    await ingestWorkspace(db, tempWorkspace(files), configSchema.parse({}));
    const ordered = {batchInsert: true, join: false};
    expect(plans).toEqual(
      Object.fromEntries(
        ["json", "csv"].flatMap((reader) =>
          canonicalTables.flatMap((spec) => [
            [`${reader} into ${spec.name}`, ordered],
            [`${reader} into stage_${spec.name}`, ordered]
          ])
        )
      )
    );
  });

  test("numbers large files by their lines once committed to a database file, without the line reader", async () => {
    // On disk, DuckDB writes a large INSERT's rows to the file as they come; outside a transaction the
    // rows are committed first and numbered after (insertNumbered), as the table's last rows. Small
    // files before and between (their rows kept in the write-ahead log) shift where each file's rows start.
    const path = join(mkdtempSync(join(tmpdir(), "numbered-")), "w.duckdb");
    db = await openDatabase(path, {resources: {...duckdbResources(), threads: 4}});
    const statements: string[] = [];
    const run = db.run.bind(db);
    db.run = (sql, params) => (statements.push(sql), run(sql, params));
    await ingestWorkspace(
      db,
      tempWorkspace({
        "a.jsonl": jsonLines(0, 1_000),
        "b.jsonl": jsonLines(1_000, 301_000),
        "c.jsonl": jsonLines(301_000, 301_500),
        "d.jsonl": jsonLines(301_500, 601_500)
      }),
      config
    );
    const files = await db.query<{file: string; n: number; wrong: number}>(
      `SELECT source_file AS file,
        count(*)::INTEGER AS n,
        count(*) FILTER (source_line <> substr(unit_id, 2)::INTEGER - first_unit + 1)::INTEGER AS wrong
      FROM (
        SELECT *, min(substr(unit_id, 2)::INTEGER) OVER (PARTITION BY source_file) AS first_unit
        FROM assignments
      )
      GROUP BY ALL
      ORDER BY file`
    );
    expect(files).toEqual([
      {file: "a.jsonl", n: 1_000, wrong: 0},
      {file: "b.jsonl", n: 300_000, wrong: 0},
      {file: "c.jsonl", n: 500, wrong: 0},
      {file: "d.jsonl", n: 300_000, wrong: 0}
    ]);
    // Numbered in place: no file went to the line-by-line reader (read_csv of its lines).
    expect(statements.filter((sql) => sql.includes("read_csv("))).toEqual([]);
  });

  test("numbers a large file by its line inside the ingest's own transaction, after another file's rows", async () => {
    // An incremental ingest runs in one transaction (loaders/warehouse/warehouse.ts): the file's rows
    // then follow rows of other files not yet committed.
    db = await openThreaded();
    await db.run("BEGIN TRANSACTION");
    await ingestWorkspace(
      db,
      tempWorkspace({"a.jsonl": jsonLines(0, 1_000), "b.jsonl": jsonLines(1_000, 361_000)}),
      config
    );
    await db.run("COMMIT");
    expect(await wrongLines(db, 1, 1_000)).toEqual([{n: 360_000, wrong: 0}]);
    expect(await wrongLines(db, 1)).toEqual([{n: 361_000, wrong: 360_000}]);
  });

  test("numbers a file by its line inside a transaction whose first rowid is beyond a JavaScript number's exact range", async () => {
    // Rows not yet committed have rowids from about 2^55, where a double keeps only every 8th whole
    // number: after 1,001 rows of another file, the second file's first rowid is not one of them.
    db = await openDatabase();
    await db.run("BEGIN TRANSACTION");
    await ingestWorkspace(
      db,
      tempWorkspace({"a.jsonl": jsonLines(0, 1_001), "b.jsonl": jsonLines(1_001, 1_041)}),
      config
    );
    await db.run("COMMIT");
    expect(await wrongLines(db, 1, 1_001)).toEqual([{n: 40, wrong: 0}]);
  });
});

describe("fieldValidSql", () => {
  const values = [
    null,
    "",
    " ",
    "0",
    "1",
    "-1",
    "0.5",
    "1.5",
    "2.5",
    "1e400",
    "-1e400",
    "NaN",
    "inf",
    "abc",
    "true",
    "FALSE",
    "yes",
    "maybe",
    "2026-11-01T09:00:00Z",
    "2026-11-01 09:00",
    "2026-11-01",
    "2026-13-01T00:00:00Z",
    "llm",
    "human",
    "open",
    "ok",
    "critical",
    " 3 ",
    "(all)",
    "(none)",
    " (all)"
  ];

  // Never NULL either: the quarantine takes NOT valid, so a NULL would leave a row on neither side.
  test("is true exactly when fieldCheckSql finds no problem, for every field of every table", async () => {
    db = await openDatabase();
    for (const spec of canonicalTables) {
      const columns = spec.fields.map((f) => `v AS "${f.name}"`).join(", ");
      const source = `(SELECT NULL AS source_file, NULL AS source_format, NULL::INTEGER AS line, NULL AS raw, NULL AS parse_error, ${columns}
        FROM unnest([${values.map((v) => (v === null ? "NULL::VARCHAR" : quotedString(v))).join(", ")}]) t(v))`;
      for (const field of spec.fields) {
        const rows = await db.query<{v: string | null; check: boolean; valid: boolean}>(
          `SELECT "${field.name}" AS v, (${fieldCheckSql(field)}) IS NULL AS check, (${fieldValidSql(field)}) AS valid FROM (${normalizedSql(spec, source)})`
        );
        for (const r of rows)
          expect({table: spec.name, field: field.name, v: r.v, valid: r.valid}).toEqual({
            table: spec.name,
            field: field.name,
            v: r.v,
            valid: r.check
          });
      }
    }
  });
});

describe("timestampTextSql", () => {
  // One example of each shape in timestampShapes, in order, and every value one edit away from it.
  const examples = ["2026-11-01T09:00:00.123Z", "2026-11-01T09:00:00Z", "2026-11-01T09:00:00.123456+00:00"];
  const characters = [..."0159 T-+:.Z/a\t\u00a0", "٣", "２", "𝟙"];
  const edits = (v: string) =>
    [...v].flatMap((_, i) => [
      v.slice(0, i) + v.slice(i + 1),
      ...characters.flatMap((c) => [v.slice(0, i) + c + v.slice(i + 1), v.slice(0, i) + c + v.slice(i)])
    ]);

  test("takes each common shape by GLOB, without the regular expression", async () => {
    db = await openDatabase();
    expect(examples).toHaveLength(timestampShapes.length);
    const rows = await db.query<{glob: boolean}>(
      `SELECT v GLOB s AS glob FROM (VALUES ${examples.map((e, i) => `(${quotedString(e)}, ${quotedString(timestampShapes[i])})`).join(", ")}) t(v, s)`
    );
    expect(rows.map((r) => r.glob)).toEqual(examples.map(() => true));
  });

  test("accepts exactly what timestampPattern accepts, in SQL and in zod's JavaScript, for every value one edit from a shape", async () => {
    db = await openDatabase();
    const values = [...new Set([...examples, ...examples.flatMap(edits)])];
    const rows = await db.query<{v: string; fast: boolean; pattern: boolean}>(
      `SELECT v, ${timestampTextSql("v")} AS fast, regexp_full_match(v, ${quotedString(timestampPattern)}) AS pattern
      FROM unnest([${values.map(quotedString).join(", ")}]) t(v)`
    );
    const js = new RegExp(timestampPattern);
    expect(rows).toHaveLength(values.length);
    expect(rows.filter((r) => r.fast !== r.pattern || r.fast !== js.test(r.v))).toEqual([]);
    // Both sides of the comparison are exercised: some values match, most do not.
    expect(rows.filter((r) => r.fast).length).toBeGreaterThan(20);
    expect(rows.filter((r) => !r.fast).length).toBeGreaterThan(1000);
  });
});

describe("native JSONL and CSV: a case's input and expected output", () => {
  test("are read under their canonical names, a CSV cell's commas, quotes and line breaks kept", async () => {
    const input = 'Ticket: "refund", please\nsecond line';
    const expected = "Refund issued, customer notified.";
    const csv =
      "run_id,case_id,suite,started_at,model,passed,input_excerpt,expected_excerpt,output_excerpt\n" +
      `r,c,s,2026-11-01T09:00:00Z,m,true,"${input.replaceAll('"', '""')}",${JSON.stringify(expected)},done\n`;
    const db = await ingest({
      "e.csv": csv,
      "e.jsonl": jsonl(evalRow({run_id: "j", case_id: "c", input_excerpt: input, expected_excerpt: expected}))
    });
    try {
      expect(
        await db.query(`SELECT run_id, input_excerpt, expected_excerpt FROM eval_results ORDER BY run_id`)
      ).toEqual([
        {run_id: "j", input_excerpt: input, expected_excerpt: expected},
        {run_id: "r", input_excerpt: input, expected_excerpt: expected}
      ]);
    } finally {
      db.close();
    }
  });
});

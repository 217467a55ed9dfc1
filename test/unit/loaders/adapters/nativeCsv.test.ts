// Native CSV is read two ways: a plain file by DuckDB's read_csv, any other by csv-parse. The same
// rows written with \n line ends (plain) and with \r\n (not plain) must give the same warehouse, line
// for line; scanCsv is checked to have sent each copy down its path, so the comparison is between them.
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {scanCsv} from "../../../../loaders/workspace/csvScan.js";
import {binaryExperiment, ingest, tempWorkspace} from "../../../helpers.js";

const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const experiment = binaryExperiment({start: "2026-11-01T00:00:00Z", end: "2026-11-15T00:00:00Z"});
const config = {
  experiments: [experiment],
  // A default fills an empty cell and a column the file does not have.
  sources: [{path: "assignments.csv", defaults: {plan: "free", country: "US"}}]
};

const assignmentLines = [
  "experiment,unit_id,variant,assigned_at,segment,plan",
  "smart-reply,u1,control,2026-11-02T10:00:00Z,smb,pro",
  "smart-reply,u2,treatment,2026-11-02T10:05:00Z, enterprise ,",
  "smart-reply,u3,treatmnet,2026-11-02T10:06:00Z,smb,pro",
  "smart-reply,u4,control,yesterday,smb,pro",
  "smart-reply,,control,2026-11-02T10:07:00Z,smb,pro",
  "smart-reply,u5,control,2026-11-02T10:08:00Z,,",
  "smart-reply,u1,control,2026-11-02T10:00:00Z,smb,pro",
  "smart-reply,u6,treatment,2026-11-03,smb,pro"
];
const outcomeLines = [
  "experiment,unit_id,metric,value,at",
  "smart-reply,u1,task_completed,1,2026-11-02T11:00:00Z",
  "smart-reply,u2,task_completed,high,2026-11-02T11:00:00Z",
  "smart-reply,u2,task_completed,1,2026-11-02T09:00:00Z",
  "smart-reply,u9,task_completed,1,2026-11-02T11:00:00Z",
  "smart-reply,u5,task_completed,0.5,2026-11-02T12:00:00Z"
];
const file = (lines: string[], end: string) => lines.join(end) + end;

async function warehouse(end: string): Promise<{db: Database; root: string}> {
  const files = {"assignments.csv": file(assignmentLines, end), "outcomes.csv": file(outcomeLines, end)};
  const root = tempWorkspace(files);
  const db = await ingest(files, config);
  opened.push(db);
  return {db, root};
}

const dump = async (db: Database) => ({
  assignments: await db.query(`SELECT * FROM assignments ORDER BY source_file, source_line`),
  outcomes: await db.query(`SELECT * FROM outcomes ORDER BY source_file, source_line`),
  quarantine: await db.query(`SELECT * FROM quarantine ORDER BY ALL`),
  sources: await db.query(
    `SELECT file, format, status, table_name, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY ALL`
  )
});

describe("native CSV read by DuckDB", () => {
  test("gives the warehouse the JavaScript reader gives, line for line", async () => {
    const plain = await warehouse("\n");
    const parsed = await warehouse("\r\n");
    expect(scanCsv(join(plain.root, "assignments.csv"), ",")).toEqual({
      plain: true,
      header: assignmentLines[0].split(","),
      records: assignmentLines.length - 1
    });
    expect(scanCsv(join(parsed.root, "assignments.csv"), ",")).toEqual({plain: false, reason: "a carriage return"});
    const fast = await dump(plain.db);
    expect(fast).toEqual(await dump(parsed.db));

    // And the lines named are the physical lines, read here from the text itself.
    const lineOf = (lines: string[], needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const quarantined = fast.quarantine.map((q) => `${q.source_file}:${q.line}:${q.field}`);
    expect(quarantined).toEqual(
      expect.arrayContaining([
        `assignments.csv:${lineOf(assignmentLines, "treatmnet")}:variant`,
        `assignments.csv:${lineOf(assignmentLines, "yesterday")}:assigned_at`,
        `assignments.csv:${lineOf(assignmentLines, ",,control")}:unit_id`,
        `assignments.csv:${lineOf(assignmentLines, "2026-11-03,")}:assigned_at`,
        `assignments.csv:${assignmentLines.lastIndexOf(assignmentLines[1]) + 1}:experiment, unit_id, variant`,
        `outcomes.csv:${lineOf(outcomeLines, "high")}:value`,
        `outcomes.csv:${lineOf(outcomeLines, "09:00:00Z")}:at`,
        `outcomes.csv:${lineOf(outcomeLines, "u9")}:unit_id`
      ])
    );
    expect(fast.quarantine).toHaveLength(8);
    // Rows in = accepted + quarantined, per file.
    for (const s of fast.sources) expect(s.rows_in).toBe(Number(s.rows_accepted) + Number(s.rows_quarantined));
    expect(fast.assignments.map((a) => [a.unit_id, a.segment, a.plan, a.country, a.source_line])).toEqual([
      ["u1", "smb", "pro", "US", 2],
      ["u2", "enterprise", "free", "US", 3],
      ["u5", null, "free", "US", 7]
    ]);
  });

  test("a plain file with every row valid goes straight in, numbered from line 2", async () => {
    const lines = assignmentLines.filter((_, i) => i <= 2);
    const root = tempWorkspace({"assignments.csv": file(lines, "\n")});
    expect(scanCsv(join(root, "assignments.csv"), ",")).toMatchObject({plain: true, records: 2});
    const db = await ingest({"assignments.csv": file(lines, "\n").trimEnd()}, config);
    opened.push(db);
    expect(await db.query(`SELECT unit_id, source_line FROM assignments ORDER BY source_line`)).toEqual([
      {unit_id: "u1", source_line: 2},
      {unit_id: "u2", source_line: 3}
    ]);
    expect(await db.query(`SELECT * FROM quarantine`)).toEqual([]);
  });

  test("bytes that are not UTF-8: DuckDB refuses the file, and csv-parse reads it as before", async () => {
    const bytes = (end: string) =>
      Buffer.concat([
        Buffer.from(file(assignmentLines.slice(0, 3), end)),
        Buffer.from("smart-reply,u7,control,2026-11-02T10:09:00Z,sm"),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`,pro${end}`)
      ]);
    const plain = await ingest({"assignments.csv": bytes("\n")}, config);
    const parsed = await ingest({"assignments.csv": bytes("\r\n")}, config);
    opened.push(plain, parsed);
    const fast = await dump(plain);
    expect(fast).toEqual(await dump(parsed));
    expect(fast.quarantine.map((q) => [q.line, q.reason])).toEqual([
      [4, "invalid UTF-8: a byte that is not UTF-8 text (or a U+FFFD replacement character) in this record"]
    ]);
  });
});

describe("scanCsv", () => {
  const scan = (text: string | Buffer, delimiter: "," | "\t" = ",", chunk?: number) => {
    const root = tempWorkspace({"f.csv": text});
    return scanCsv(join(root, "f.csv"), delimiter, chunk);
  };

  test("finds what only csv-parse reads as the JavaScript reader does", () => {
    expect(scan('a,b\n"x,y",1\n')).toEqual({plain: false, reason: "a quote character"});
    expect(scan("a,b\nx,1\r\n")).toEqual({plain: false, reason: "a carriage return"});
    expect(scan("\uFEFFa,b\nx,1\n")).toEqual({plain: false, reason: "byte order mark"});
    expect(scan("a,b\nx\t,1\n")).toEqual({plain: false, reason: "the other delimiter"});
    expect(scan("a\tb\nx,\t1\n", "\t")).toEqual({plain: false, reason: "the other delimiter"});
    expect(scan("a,b\n\nx,1\n")).toEqual({plain: false, reason: "line 2"});
    expect(scan("a,b\nx,1,2\n")).toEqual({plain: false, reason: "line 2"});
    expect(scan("a,b\nx\n")).toEqual({plain: false, reason: "line 2"});
    expect(scan("a,b\nx,\uFFFD\n")).toEqual({plain: false, reason: "a U+FFFD replacement character"});
    expect(scan("")).toEqual({plain: false, reason: "no header"});
  });

  test("counts records across chunk boundaries, a last line without its end, and a line longer than a chunk", () => {
    const long = "x".repeat(50);
    expect(scan(`a,b\n${long},1\nc,2`, ",", 8)).toEqual({plain: true, header: ["a", "b"], records: 2});
    expect(scan(" a \t b\nx\t1\n", "\t", 4)).toEqual({plain: true, header: ["a", "b"], records: 1});
    // A replacement character cut by every chunk boundary is still found.
    for (let chunk = 3; chunk <= 9; chunk++)
      expect(scan("a,b\nxy,\uFFFD\n", ",", chunk)).toEqual({plain: false, reason: "a U+FFFD replacement character"});
  });
});

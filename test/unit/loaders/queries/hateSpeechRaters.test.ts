// The real PyRIT ground-truth file read as it is, through a config mapping: its first two human raters
// as a "judge" against a "human", so the judges page's numbers can be checked against an independent
// reading of the raw bytes (BOM, quoted fields spanning lines), and again after the file is saved with
// Windows line ends, which must change nothing but the bytes.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import {classifierJudges} from "../../../../loaders/queries/classifierJudges.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import type {Database} from "../../../../loaders/warehouse/duckdb.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";
import {ingest} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

/** The published ratings (199 responses) and PyRIT's 15-response sample of the same format. */
const fixtures = [
  {file: "classifier-predictions/hate_speech.csv", responses: 199},
  {file: "human-feedback/SAMPLE_hate_speech.csv", responses: 15}
];
const config = {
  sources: [
    {
      path: "hate_speech.csv",
      columns: {label: "human_score_1", predicted: "human_score_2", segment: "category"},
      defaults: {kind: "judge", task: "raters"}
    }
  ]
};
const workspace = {root: "/tmp/ws", config: configSchema.parse(config), configFiles: []};

/** Records of an RFC 4180 file with the physical line each starts on; any of \n, \r\n, \r ends a line. */
function readCsv(text: string): {line: number; fields: Record<string, string>}[] {
  const records: {line: number; values: string[]}[] = [];
  let line = 1;
  let start = 1;
  let values: string[] = [];
  let field = "";
  let quoted = false;
  const endRecord = () => {
    values.push(field);
    if (values.length > 1 || field !== "") records.push({line: start, values});
    values = [];
    field = "";
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    const lineEnd = ch === "\r" && text[i + 1] === "\n" ? "\r\n" : ch === "\n" || ch === "\r" ? ch : "";
    i += Math.max(0, lineEnd.length - 1);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += lineEnd || ch;
      if (lineEnd) line++;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (values.push(field), (field = ""));
    else if (lineEnd) (endRecord(), line++, (start = line));
    else field += ch;
  }
  if (field !== "" || values.length) endRecord();
  const [header, ...body] = records;
  return body.map((r) => ({line: r.line, fields: Object.fromEntries(header.values.map((h, i) => [h, r.values[i]]))}));
}

describe.each(fixtures)("the real PyRIT hate-speech ratings in $file, rater 1 against rater 2", ({file, responses}) => {
  const raw = readFileSync(join(projectRoot, "test/fixtures/real", file), "utf8");
  const rows = readCsv(raw);
  const agree = rows.filter((r) => r.fields.human_score_1 === r.fields.human_score_2).length;
  // Cohen's kappa from the raw labels: observed agreement against the chance both raters pick a label.
  const labels = [...new Set(rows.flatMap((r) => [r.fields.human_score_1, r.fields.human_score_2]))];
  const share = (column: string, label: string) => rows.filter((r) => r.fields[column] === label).length / rows.length;
  const chance = labels.reduce((a, l) => a + share("human_score_1", l) * share("human_score_2", l), 0);
  const kappa = (agree / rows.length - chance) / (1 - chance);

  for (const [name, text] of [
    ["as published (\\n)", raw],
    ["saved with \\r\\n", raw.replace(/\r?\n/g, "\r\n")]
  ] as const) {
    test(`${name}: every row, its physical line, agreement and kappa`, async () => {
      db = await ingest({"hate_speech.csv": text}, config);
      expect(rows).toHaveLength(responses);
      expect(await db.query(`SELECT rows_in, rows_accepted, rows_quarantined FROM sources`)).toEqual([
        {rows_in: rows.length, rows_accepted: rows.length, rows_quarantined: 0}
      ]);
      const lines = await db.query<{source_line: number; label: string; predicted: string}>(
        `SELECT source_line, label, predicted FROM predictions ORDER BY source_line`
      );
      expect(lines).toEqual(
        rows.map((r) => ({source_line: r.line, label: r.fields.human_score_1, predicted: r.fields.human_score_2}))
      );
      const {tasks} = await classifierJudges(db, workspace);
      const m = tasks[0].models[0];
      expect(tasks[0]).toMatchObject({task: "raters", rows: rows.length});
      expect(m.agreement).toMatchObject({rate: agree / rows.length, n: rows.length});
      expect(m.kappa!.kappa).toBeCloseTo(kappa, 12);
      const categories = [...new Set(rows.map((r) => r.fields.category))].sort();
      expect(m.bySegment.map((s) => [s.segment, s.n]).sort()).toEqual(
        categories.map((c) => [c, rows.filter((r) => r.fields.category === c).length])
      );
    });
  }
});

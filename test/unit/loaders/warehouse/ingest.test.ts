import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, test} from "vitest";
import {normalizedEditDistance} from "../../../../loaders/metrics/editDistance.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {ingestChanges, ingestConfigOf} from "../../../../loaders/warehouse/ingest.js";
import {evalRow, ingest, jsonl, tempWorkspace} from "../../../helpers.js";

let db: Database | undefined;
afterEach(() => db?.close());

const quarantine = (d: Database) =>
  d.query(`SELECT source_file, line, field, reason FROM quarantine ORDER BY source_file, line`);
const sources = (d: Database) =>
  d.query(`SELECT file, status, table_name, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY file`);

describe("ingestWorkspace(native JSONL)", () => {
  test("accepts valid rows and casts them to canonical types", async () => {
    db = await ingest({"e.jsonl": jsonl(evalRow({score: 0.9, latency_ms: 812.5, input_tokens: 120}))});
    expect(
      await db.query(
        `SELECT run_id, case_id, epoch, passed, score, latency_ms, input_tokens, started_at FROM eval_results`
      )
    ).toEqual([
      {
        run_id: "r1",
        case_id: "c1",
        epoch: 1,
        passed: true,
        score: 0.9,
        latency_ms: 812.5,
        input_tokens: 120,
        started_at: "2026-11-01T09:00:00.000Z"
      }
    ]);
  });

  test("quarantines malformed lines, wrong types, missing fields and NaN with file, line, field and reason", async () => {
    db = await ingest({
      "e.jsonl": jsonl(
        evalRow({case_id: "ok"}),
        "{not json",
        evalRow({case_id: "t", passed: "maybe"}),
        evalRow({case_id: "m", model: undefined}),
        '{"run_id":"r1","case_id":"n","suite":"s","started_at":"2026-11-01T00:00:00Z","model":"x","passed":true,"score":NaN}',
        evalRow({case_id: "s", score: "NaN"}),
        evalRow({case_id: "range", score: 1.5}),
        evalRow({case_id: "int", input_tokens: 2.5}),
        evalRow({case_id: "ts", started_at: "last tuesday"}),
        evalRow({case_id: "enum", grader: "robot"}),
        evalRow({case_id: "date", started_at: "2026-11-01"})
      )
    });
    expect(await quarantine(db)).toEqual([
      {source_file: "e.jsonl", line: 2, field: null, reason: "malformed JSON: expected one JSON object on this line"},
      {source_file: "e.jsonl", line: 3, field: "passed", reason: 'passed: expected true or false, got "maybe"'},
      {source_file: "e.jsonl", line: 4, field: "model", reason: "model: missing required field"},
      // Python's json.dumps writes a bare NaN; DuckDB parses it, and the finite-number check catches it.
      {source_file: "e.jsonl", line: 5, field: "score", reason: 'score: expected a finite number, got "NaN"'},
      {source_file: "e.jsonl", line: 6, field: "score", reason: 'score: expected a finite number, got "NaN"'},
      {source_file: "e.jsonl", line: 7, field: "score", reason: 'score: expected ≤ 1, got "1.5"'},
      {
        source_file: "e.jsonl",
        line: 8,
        field: "input_tokens",
        reason: 'input_tokens: expected a whole number, got "2.5"'
      },
      {
        source_file: "e.jsonl",
        line: 9,
        field: "started_at",
        reason: 'started_at: expected an ISO 8601 timestamp, got "last tuesday"'
      },
      {
        source_file: "e.jsonl",
        line: 10,
        field: "grader",
        reason: 'grader: expected one of programmatic, model, human, got "robot"'
      },
      {
        source_file: "e.jsonl",
        line: 11,
        field: "started_at",
        reason: 'started_at: expected an ISO 8601 timestamp, got "2026-11-01"'
      }
    ]);
    expect(await sources(db)).toEqual([
      {
        file: "e.jsonl",
        status: "ingested",
        table_name: "eval_results",
        rows_in: 11,
        rows_accepted: 1,
        rows_quarantined: 10
      }
    ]);
  });

  test("names every failing field of a row, the first one as the field", async () => {
    db = await ingest({"e.jsonl": jsonl(evalRow({score: -1, latency_ms: "slow"}))});
    expect(await quarantine(db)).toEqual([
      {
        source_file: "e.jsonl",
        line: 1,
        field: "score",
        reason: 'score: expected ≥ 0, got "-1"; latency_ms: expected a number, got "slow"'
      }
    ]);
  });

  test("keeps true line numbers across CRLF, blank lines and a BOM", async () => {
    const text =
      "\uFEFF" +
      [JSON.stringify(evalRow({case_id: "a"})), "", "  ", JSON.stringify(evalRow({case_id: "b", passed: 3}))].join(
        "\r\n"
      ) +
      "\r\n";
    db = await ingest({"crlf.jsonl": text});
    expect(await db.query(`SELECT case_id, source_line FROM eval_results`)).toEqual([{case_id: "a", source_line: 1}]);
    expect(await quarantine(db)).toEqual([
      {source_file: "crlf.jsonl", line: 4, field: "passed", reason: 'passed: expected true or false, got "3"'}
    ]);
  });

  test("quarantines a duplicate key, within a file and across files, naming the first occurrence", async () => {
    db = await ingest({
      "a.jsonl": jsonl(evalRow({case_id: "x"}), evalRow({case_id: "x", passed: false})),
      "b.jsonl": jsonl(evalRow({case_id: "x"}), evalRow({case_id: "x", epoch: 2}))
    });
    expect(await db.query(`SELECT source_file, source_line, epoch FROM eval_results ORDER BY 1, 2`)).toEqual([
      {source_file: "a.jsonl", source_line: 1, epoch: 1},
      {source_file: "b.jsonl", source_line: 2, epoch: 2}
    ]);
    expect(await quarantine(db)).toEqual([
      {
        source_file: "a.jsonl",
        line: 2,
        field: "run_id, case_id, epoch",
        reason: "duplicate key (run_id=r1, case_id=x, epoch=1); first seen at a.jsonl:1"
      },
      {
        source_file: "b.jsonl",
        line: 1,
        field: "run_id, case_id, epoch",
        reason: "duplicate key (run_id=r1, case_id=x, epoch=1); first seen at a.jsonl:1"
      }
    ]);
  });

  test("reports an empty file and an unrecognized file instead of dropping them", async () => {
    db = await ingest({"empty.jsonl": "", "notes.txt": "hello", "e.jsonl": jsonl(evalRow())});
    const rows = await db.query(`SELECT file, status, message FROM sources ORDER BY file`);
    expect(rows.map((r) => [r.file, r.status])).toEqual([
      ["e.jsonl", "ingested"],
      ["empty.jsonl", "empty"],
      ["notes.txt", "unrecognized"]
    ]);
    expect(rows[2].message).toMatch(
      /not a format the workbench reads.*Map it with a "sources" entry in workbench.config.json/
    );
  });

  test("tolerates unknown fields and fills defaults from the config", async () => {
    db = await ingest(
      {"legacy/e.jsonl": jsonl({...evalRow(), extra: {nested: true}, modelName: "claude-3-5-haiku", model: undefined})},
      {sources: [{path: "legacy/*.jsonl", columns: {model: "modelName"}, defaults: {feature: "support-chat"}}]}
    );
    expect(await db.query(`SELECT model, feature FROM eval_results`)).toEqual([
      {model: "claude-3-5-haiku", feature: "support-chat"}
    ]);
  });

  test("computes cost from the price table only where the source did not report it", async () => {
    db = await ingest(
      {
        "e.jsonl": jsonl(
          evalRow({case_id: "a", input_tokens: 1000, output_tokens: 500}),
          evalRow({case_id: "b", cost_usd: 0.5, input_tokens: 1, output_tokens: 1}),
          // Another model is another run.
          evalRow({run_id: "r2", case_id: "c", model: "unpriced", input_tokens: 1, output_tokens: 1})
        )
      },
      {prices: [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}]}
    );
    expect(await db.query(`SELECT case_id, cost_usd, cost_source FROM eval_results ORDER BY case_id`)).toEqual([
      {case_id: "a", cost_usd: (1000 * 2 + 500 * 8) / 1e6, cost_source: "computed"},
      {case_id: "b", cost_usd: 0.5, cost_source: "reported"},
      {case_id: "c", cost_usd: null, cost_source: null}
    ]);
  });

  test("prices a dated snapshot as its model, never a different model that shares the prefix", async () => {
    const tokens = {input_tokens: 1_000_000, output_tokens: 0};
    // One run per model: a run's rows name one model (loaders/warehouse/evalRuns.ts).
    db = await ingest(
      {
        "e.jsonl": jsonl(
          evalRow({run_id: "dated", case_id: "dated", model: "gpt-4.1-2025-04-14", ...tokens}),
          evalRow({run_id: "compact", case_id: "compact", model: "claude-sonnet-4-20250514", ...tokens}),
          evalRow({run_id: "vertex", case_id: "vertex", model: "claude-sonnet-4@20250514", ...tokens}),
          evalRow({run_id: "mini", case_id: "mini", model: "gpt-4.1-mini", ...tokens}),
          evalRow({run_id: "mini-dated", case_id: "mini-dated", model: "gpt-4.1-mini-2025-04-14", ...tokens}),
          evalRow({run_id: "suffix", case_id: "suffix", model: "gpt-4.1-preview", ...tokens})
        )
      },
      {
        prices: [
          {model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8},
          {model: "gpt-4.1-mini", input_per_mtok: 0.4, output_per_mtok: 1.6},
          {model: "claude-sonnet-4", input_per_mtok: 3, output_per_mtok: 15}
        ]
      }
    );
    expect(await db.query(`SELECT case_id, cost_usd, cost_source FROM eval_results ORDER BY case_id`)).toEqual([
      {case_id: "compact", cost_usd: 3, cost_source: "computed"},
      {case_id: "dated", cost_usd: 2, cost_source: "computed"},
      {case_id: "mini", cost_usd: 0.4, cost_source: "computed"},
      {case_id: "mini-dated", cost_usd: 0.4, cost_source: "computed"},
      {case_id: "suffix", cost_usd: null, cost_source: null},
      {case_id: "vertex", cost_usd: 3, cost_source: "computed"}
    ]);
  });
});

describe("ingestWorkspace(native CSV)", () => {
  test("reads a header-keyed CSV with quoted multiline fields and names the physical line of a bad row", async () => {
    const csv =
      '\uFEFFid,task,kind,model,label,score\r\n1,tox,binary,g1,toxic,0.9\r\n2,tox,binary,g1,"ok\nreally",0.1\r\n3,tox,binary,g1,ok\r\n4,tox,binary,g1,ok,high\r\n';
    db = await ingest({"p.csv": csv});
    expect(await db.query(`SELECT id, label, score, source_line FROM predictions ORDER BY id`)).toEqual([
      {id: "1", label: "toxic", score: 0.9, source_line: 2},
      {id: "2", label: "ok\nreally", score: 0.1, source_line: 3}
    ]);
    expect(await quarantine(db)).toEqual([
      {source_file: "p.csv", line: 5, field: null, reason: "expected 6 columns as in the header, found 5"},
      {source_file: "p.csv", line: 6, field: "score", reason: 'score: expected a number, got "high"'}
    ]);
    expect(await sources(db)).toEqual([
      {file: "p.csv", status: "ingested", table_name: "predictions", rows_in: 4, rows_accepted: 2, rows_quarantined: 2}
    ]);
  });
});

describe("ingestWorkspace(corrections)", () => {
  test("computes normalized edit distance from the unredacted texts when absent", async () => {
    const row = {
      event_id: "e1",
      at: "2026-11-01T00:00:00Z",
      feature: "autocomplete",
      action: "edited",
      original_text: "kitten",
      edited_text: "sitting"
    };
    db = await ingest({"c.jsonl": jsonl(row, {...row, event_id: "e2", edit_distance: 0.25})});
    expect(await db.query(`SELECT event_id, edit_distance FROM corrections ORDER BY 1`)).toEqual([
      {event_id: "e1", edit_distance: 3 / 7},
      {event_id: "e2", edit_distance: 0.25}
    ]);
  });

  test("measures the edit on the texts as the user saw them, before redaction and truncation", async () => {
    const original = `Write to me at jane.doe@example.com about the refund. ${"x".repeat(400)}`;
    const edited = `Write to me at jane.doe@example.org about the refund. ${"x".repeat(400)}y`;
    const row = {
      event_id: "e1",
      at: "2026-11-01T00:00:00Z",
      feature: "support-chat",
      action: "edited",
      original_text: original,
      edited_text: edited
    };
    db = await ingest({"c.jsonl": jsonl(row)}, {privacy: {redact_free_text: true, excerpt_chars: 80}});
    const [stored] = await db.query<{edit_distance: number; original_text: string}>(
      `SELECT edit_distance, original_text FROM corrections`
    );
    expect(stored.original_text).not.toContain("jane.doe");
    expect(stored.original_text.length).toBeLessThanOrEqual(81);
    expect(stored.edit_distance).toBe(normalizedEditDistance(original, edited));
    expect(stored.edit_distance).toBeCloseTo(4 / edited.length, 12);
  });

  test("counts edits in characters, not bytes, for accented, CJK and emoji text, on every read path", async () => {
    const base = {at: "2026-11-01T00:00:00Z", feature: "support-chat", action: "edited"};
    const pairs: [string, string][] = [
      ["café au lait", "cafe au lait"],
      ["日本語のテキスト", "日本語テキスト"],
      ["Thanks 👍 see you", "Thanks, see you"],
      ["naïve", "naive"],
      ["plain", "plane"]
    ];
    const rows = pairs.map(([original_text, edited_text], i) => ({
      ...base,
      event_id: `e${i}`,
      original_text,
      edited_text
    }));
    const expected = pairs.map(([a, b], i) => ({event_id: `e${i}`, edit_distance: normalizedEditDistance(a, b)}));
    expect(expected[0].edit_distance).toBeCloseTo(1 / 12, 12);
    expect(expected[2].edit_distance).toBeCloseTo(2 / 16, 12);
    // Clean (read whole, straight into the table), with a row to quarantine (read whole, staged) and
    // with a leading blank line (read line by line, staged).
    const invalid = {...base, event_id: "bad", action: "shrugged"};
    for (const text of [jsonl(...rows), jsonl(...rows, invalid), "\n" + jsonl(...rows)]) {
      const d = await ingest({"c.jsonl": text});
      try {
        expect(await d.query(`SELECT event_id, edit_distance FROM corrections ORDER BY 1`)).toEqual(expected);
      } finally {
        d.close();
      }
    }
  });
});

// The incremental path in memory; test/integration/incremental.test.ts compares every table with a cold
// build after each kind of edit (append, change, removal, a new build day, a price change), on disk.
describe("ingestChanges(db, root, config)", () => {
  test("reads a changed file and the unchanged file that shares a key with it, and ends where a cold build of the same files ends", async () => {
    const files = {
      "evals/a.jsonl": jsonl(evalRow({case_id: "c1"}), evalRow({case_id: "c2"})),
      // c2 repeats a's key: quarantined while a holds c2, accepted once a no longer does.
      "evals/b.jsonl": jsonl(evalRow({case_id: "c2", passed: false}), evalRow({case_id: "c3"})),
      "evals/c.jsonl": jsonl(evalRow({case_id: "c4"}))
    };
    const root = tempWorkspace(files);
    const config = ingestConfigOf(configSchema.parse({}));
    const state = async (d: Database) => ({
      results: await d.query(`SELECT source_file, source_line, case_id, passed FROM eval_results ORDER BY ALL`),
      quarantine: await quarantine(d),
      sources: await sources(d)
    });
    db = await openDatabase();
    await ingestChanges(db, root, config);
    expect((await state(db)).quarantine).toEqual([
      {
        source_file: "evals/b.jsonl",
        line: 1,
        field: "run_id, case_id, epoch",
        reason: "duplicate key (run_id=r1, case_id=c2, epoch=1); first seen at evals/a.jsonl:2"
      }
    ]);
    writeFileSync(join(root, "evals/a.jsonl"), jsonl(evalRow({case_id: "c1"})));
    const report = await ingestChanges(db, root, config);
    expect(report.changed).toEqual(["evals/a.jsonl"]);
    expect(report.removed).toEqual([]);
    expect(report.reread).toEqual({"evals/b.jsonl": "shares a eval_results key with evals/a.jsonl, which changed"});
    const after = await state(db);
    expect(after.quarantine).toEqual([]);
    expect(after.results).toContainEqual({source_file: "evals/b.jsonl", source_line: 1, case_id: "c2", passed: false});
    const cold = await ingest({...files, "evals/a.jsonl": jsonl(evalRow({case_id: "c1"}))});
    try {
      expect(after).toEqual(await state(cold));
    } finally {
      cold.close();
    }
  });
});

describe("the sources table", () => {
  type SourceRow = {
    file: string;
    table_name: string | null;
    rows_in: number;
    rows_accepted: number;
    rows_quarantined: number;
  };
  const sources = (d: Database) =>
    d.query<SourceRow>(`SELECT file, table_name, rows_in, rows_accepted, rows_quarantined FROM sources ORDER BY ALL`);

  test("counts only the tables some file staged rows into, with the books exact", async () => {
    const d = await openDatabase();
    try {
      const statements: string[] = [];
      const run = d.run.bind(d);
      d.run = async (sql, params) => {
        statements.push(sql);
        return run(sql, params);
      };
      const root = tempWorkspace({
        "evals.jsonl": jsonl(evalRow(), evalRow({case_id: "c2"}), evalRow({case_id: "c3", passed: "maybe"})),
        "empty.jsonl": ""
      });
      await ingestChanges(d, root, ingestConfigOf(configSchema.parse({})));
      const [sql] = statements.filter((s) => s.startsWith("CREATE OR REPLACE TABLE sources"));
      expect(sql).toContain(`FROM "eval_results"`);
      expect(sql).not.toContain(`FROM "spans"`);
      expect(await sources(d)).toEqual([
        {file: "empty.jsonl", table_name: null, rows_in: 0, rows_accepted: 0, rows_quarantined: 0},
        {file: "evals.jsonl", table_name: "eval_results", rows_in: 3, rows_accepted: 2, rows_quarantined: 1}
      ]);
    } finally {
      d.close();
    }
  });

  test("is written for a workspace with no rows at all", async () => {
    db = await ingest({"empty.jsonl": ""});
    expect(await sources(db)).toEqual([
      {file: "empty.jsonl", table_name: null, rows_in: 0, rows_accepted: 0, rows_quarantined: 0}
    ]);
  });
});

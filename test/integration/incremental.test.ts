// An incremental ingest (a file added, changed or removed since the warehouse's record) must give the
// warehouse a cold build of the same files gives: every table's rows, the quarantine and the books.
// In integration, not unit: its warehouses are files on disk, reopened as a later build reopens them, and
// each of its workspaces is ingested cold beside its incremental ingest; 31 s of CPU, a sixth of
// the unit suite's (load 25–35, 2026-12-05). The unit suite keeps one in-memory test of the path (a
// changed file and the file sharing a key with it: test/unit/loaders/warehouse/ingest.test.ts).
import {copyFileSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, test, vi} from "vitest";
import {adapterNamed} from "../../loaders/adapters/index.js";
import {configSchema, type WorkbenchConfig} from "../../loaders/schema/config.js";
import {duckdbResources, openDatabase as openWithResources, type Database} from "../../loaders/warehouse/duckdb.js";
import {ingestChanges, ingestConfigOf} from "../../loaders/warehouse/ingest.js";
import {ensureWarehouse, warehouseFiles} from "../../loaders/warehouse/warehouse.js";
import {binaryExperiment, evalRow, jsonl, tempWorkspace} from "../helpers.js";

/** One DuckDB thread per warehouse, as in the unit project (vitest.config.ts): these hold a few rows. */
const openDatabase = (path = ":memory:") => openWithResources(path, {resources: {...duckdbResources(), threads: 1}});

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  vi.restoreAllMocks();
  delete process.env.WORKBENCH_BUILD_TIME;
});

const experiment = binaryExperiment({start: "2026-11-01T00:00:00Z", end: "2026-11-15T00:00:00Z"});
const prices = [{model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8}];
const config = (over: Record<string, unknown> = {}): WorkbenchConfig =>
  configSchema.parse({prices, experiments: [experiment], ...over});

const span = (trace: string, id: string, over: Record<string, unknown> = {}) => ({
  trace_id: trace,
  span_id: id,
  name: "call",
  kind: "llm",
  start_time: "2026-11-02T10:00:00Z",
  duration_ms: 900,
  feature: "chat",
  model: "gpt-4.1",
  input_tokens: 1000,
  output_tokens: 200,
  ...over
});
const prediction = (id: string, label: string, predicted = label) => ({
  id,
  task: "routing",
  kind: "multiclass",
  model: "clf-1",
  label,
  predicted,
  at: "2026-11-03T00:00:00Z"
});
const assign = (unit: string, variant: string) => ({
  experiment: "smart-reply",
  unit_id: unit,
  variant,
  assigned_at: "2026-11-02T10:00:00Z"
});
const outcome = (unit: string, at = "2026-11-03T10:00:00Z") => ({
  experiment: "smart-reply",
  unit_id: unit,
  metric: "task_completed",
  value: 1,
  at
});

/** A workspace in which every check across files has something to do. */
const baseFiles = (): Record<string, string> => ({
  "evals/a.jsonl": jsonl(
    evalRow({case_id: "c1"}),
    evalRow({case_id: "c2", cost_usd: 0, input_tokens: 100, output_tokens: 10}),
    evalRow({case_id: "c3", passed: "maybe"})
  ),
  // c2 repeats a's key: quarantined naming a.jsonl; c4 is first here and repeated in c.jsonl.
  "evals/b.jsonl": jsonl(evalRow({case_id: "c2", passed: false}), evalRow({case_id: "c4"})),
  // Another model is another run (r2): a run's rows agree on its model.
  "evals/c.jsonl": jsonl(
    evalRow({case_id: "c4", passed: false}),
    evalRow({run_id: "r2", case_id: "c5", model: "unpriced"})
  ),
  // Trace t1 spans two files: its request needs both.
  "spans/day1.jsonl": jsonl(
    span("t1", "root", {kind: "chain", input_tokens: null, output_tokens: null}),
    span("t1", "s1", {parent_span_id: "root"}),
    span("t2", "root", {cost_usd: 0.5})
  ),
  "spans/day2.jsonl": jsonl(
    span("t1", "s2", {parent_span_id: "root", start_time: "2026-11-02T10:00:01Z"}),
    span("t3", "root", {start_time: "2026-11-03T09:00:00Z", model: "gpt-4.1-2025-04-14"}),
    span("t3", "root", {start_time: "2026-11-03T09:00:00Z", status: "bogus"})
  ),
  // "billing" is the spelling most rows use, so p1's "Billing " rows are merged into it.
  "preds/p1.jsonl": jsonl(prediction("i1", "Billing "), prediction("i2", "Billing ", "refund")),
  "preds/p2.jsonl": jsonl(prediction("i3", "billing"), prediction("i4", "billing"), prediction("i5", "billing")),
  "exp/assign.jsonl": jsonl(assign("u1", "control"), assign("u2", "treatment"), assign("u3", "control")),
  "exp/outcomes.jsonl": jsonl(outcome("u1"), outcome("u2"), outcome("u9")),
  "notes.txt": "not a format the workbench reads\n"
});

/** Every table of the warehouse (canonical, quarantine, books, derived and the ingest record), rows sorted. */
async function snapshot(db: Database): Promise<Record<string, unknown[]>> {
  const tables = await db.query<{name: string}>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`
  );
  const out: Record<string, unknown[]> = {};
  for (const {name} of tables) out[name] = await db.query(`SELECT * FROM "${name}" ORDER BY ALL`);
  return out;
}

async function cold(root: string, cfg: WorkbenchConfig): Promise<Record<string, unknown[]>> {
  const db = await openDatabase();
  open.push(db);
  await ingestChanges(db, root, ingestConfigOf(cfg));
  return snapshot(db);
}

/**
 * The cold warehouse of baseFiles() with config(), built once for the file and copied for each test
 * that starts from it, with the files its ingest staged: ingest is nearly all of this file's time, and
 * eight tests began with this same ingest. Reopening a copy of the file is what a later build does.
 */
interface BaseWarehouse {
  path: string;
  staged: string[];
  tables: Record<string, unknown[]>;
}
let base: BaseWarehouse;
const baseDir = mkdtempSync(join(tmpdir(), "workbench-incremental-"));
let copies = 0;
beforeAll(async () => {
  const path = join(baseDir, "base.duckdb");
  const stage = vi.spyOn(adapterNamed("native-jsonl")!, "stage");
  const db = await openDatabase(path);
  try {
    await ingestChanges(db, tempWorkspace(baseFiles()), ingestConfigOf(config()));
    base = {path, staged: stage.mock.calls.map(([, file]) => file.name), tables: await snapshot(db)};
  } finally {
    stage.mockRestore();
    db.close();
  }
}, 180_000);
afterAll(() => rmSync(baseDir, {recursive: true, force: true}));

/** A warehouse of `files`, then the workspace edited and ingested again into the same warehouse. */
async function incremental(files: Record<string, string>, edit: (root: string) => void, cfg = config(), next = cfg) {
  const root = tempWorkspace(files);
  const db = await openDatabase();
  open.push(db);
  await ingestChanges(db, root, ingestConfigOf(cfg));
  edit(root);
  const report = await ingestChanges(db, root, ingestConfigOf(next));
  return {root, db, report, after: await snapshot(db)};
}

/** incremental(baseFiles(), edit) from a copy of the base warehouse: the workspace is a new folder of the same files. */
async function fromBase(edit: (root: string) => void, next = config()) {
  const root = tempWorkspace(baseFiles());
  const path = join(baseDir, `copy-${++copies}.duckdb`);
  copyFileSync(base.path, path);
  const db = await openDatabase(path);
  open.push(db);
  edit(root);
  const report = await ingestChanges(db, root, ingestConfigOf(next));
  return {root, db, report, after: await snapshot(db)};
}

/** Each test ingests up to three times; DuckDB plans every statement, about 2–10 s an ingest on a loaded 2-core machine. */
const timeout = 180_000;

describe("ingestChanges(db, root, config): incremental ingest equals a cold build", {timeout}, () => {
  test("the base workspace exercises every check across files (else the equalities below prove little)", async () => {
    const tables = base.tables;
    const reasons = (tables.quarantine as {reason: string}[]).map((q) => q.reason).join("\n");
    expect(reasons).toMatch(/duplicate key \(run_id=r1, case_id=c2, epoch=1\); first seen at evals\/a\.jsonl:2/);
    expect(reasons).toMatch(/first seen at evals\/b\.jsonl:2/);
    expect(reasons).toMatch(/unit "u9" has no valid assignment/);
    expect(tables.label_spellings).toHaveLength(2);
    expect(tables.zero_cost_rows).toHaveLength(1);
    expect(tables.requests).toHaveLength(3);
    // The outcomes carry their units' keys and assignment times (the page groups by them), so the
    // equalities compare those too.
    type Keyed = {unit_id: string; unit_key: bigint; assigned_at?: Date; unit_assigned_at?: Date};
    const units = new Map((tables.assignments as Keyed[]).map((a) => [a.unit_id, a]));
    const outcomes = tables.outcomes as Keyed[];
    expect(outcomes.map((o) => o.unit_id)).toEqual(["u1", "u2"]);
    for (const o of outcomes) {
      expect(o.unit_key).toBe(units.get(o.unit_id)!.unit_key);
      expect(o.unit_assigned_at).toEqual(units.get(o.unit_id)!.assigned_at);
    }
  });

  test("appending a file that shares nothing reads that file alone", async () => {
    const stage = vi.spyOn(adapterNamed("native-jsonl")!, "stage");
    const {root, db, report, after} = await fromBase((root) =>
      writeFileSync(join(root, "spans/day3.jsonl"), jsonl(span("t9", "root", {start_time: "2026-11-04T09:00:00Z"})))
    );
    expect(report.changed).toEqual(["spans/day3.jsonl"]);
    expect(report.reread).toEqual({});
    // Every JSONL file read once by the first ingest, then only the new one.
    const staged = [...base.staged, ...stage.mock.calls.map(([, file]) => file.name)];
    expect(staged.filter((f) => f === "spans/day3.jsonl")).toHaveLength(1);
    expect(staged.filter((f) => f === "spans/day1.jsonl")).toHaveLength(1);
    expect(staged).toHaveLength(Object.keys(baseFiles()).length);
    expect(after).toEqual(await cold(root, config()));
    // Nothing changed since: no file is read, and the warehouse stays as it was.
    stage.mockClear();
    expect((await ingestChanges(db, root, ingestConfigOf(config()))).changed).toEqual([]);
    expect(stage).not.toHaveBeenCalled();
    expect(await snapshot(db)).toEqual(after);
  });

  test("an appended file's own repeated key, reported zero and costs to compute are checked and priced as a cold build does", async () => {
    // The update checks duplicates only among keys of the new rows, and prices only the new rows:
    // each must still catch what the new file brings.
    const {root, report, after} = await fromBase((root) =>
      writeFileSync(
        join(root, "evals/d.jsonl"),
        jsonl(
          evalRow({case_id: "c7", cost_usd: 0, input_tokens: 300, output_tokens: 30}),
          evalRow({case_id: "c8"}),
          evalRow({case_id: "c8", passed: false}),
          evalRow({run_id: "r3", case_id: "c9", model: "unpriced", cost_usd: 0, input_tokens: 5, output_tokens: 5})
        )
      )
    );
    expect(report.changed).toEqual(["evals/d.jsonl"]);
    expect(report.reread).toEqual({});
    const reasons = (after.quarantine as {reason: string}[]).map((q) => q.reason).join("\n");
    expect(reasons).toMatch(/duplicate key \(run_id=r1, case_id=c8, epoch=1\); first seen at evals\/d\.jsonl:2/);
    const evals = after.eval_results as {case_id: string; cost_usd: number | null; cost_source: string}[];
    expect(evals.find((r) => r.case_id === "c7")).toMatchObject({
      cost_usd: (300 * 2 + 30 * 8) / 1e6,
      cost_source: "computed"
    });
    expect(evals.find((r) => r.case_id === "c9")).toMatchObject({cost_usd: null, cost_source: "reported-zero"});
    expect(after.zero_cost_rows).toHaveLength(3);
    expect(after).toEqual(await cold(root, config()));
  });

  test("appending a file that sorts first takes over the first occurrence of keys, and the others' reasons follow", async () => {
    const {root, report, after} = await fromBase((root) =>
      writeFileSync(join(root, "evals/0.jsonl"), jsonl(evalRow({case_id: "c2"}), evalRow({case_id: "c4"})))
    );
    expect(Object.keys(report.reread)).toEqual(["evals/a.jsonl", "evals/b.jsonl", "evals/c.jsonl"]);
    expect(after).toEqual(await cold(root, config()));
  });

  test("changing an old file deletes its rows and reads it again; a duplicate elsewhere becomes the first", async () => {
    const {root, report, after} = await fromBase((root) =>
      writeFileSync(join(root, "evals/a.jsonl"), jsonl(evalRow({case_id: "c1", passed: false})))
    );
    expect(report.changed).toEqual(["evals/a.jsonl"]);
    expect(report.reread).toEqual({"evals/b.jsonl": "shares a eval_results key with evals/a.jsonl, which changed"});
    expect(after).toEqual(await cold(root, config()));
  });

  test("removing an old file deletes its rows, its quarantine and its books, and its traces' requests follow", async () => {
    const {root, report, after} = await fromBase((root) => rmSync(join(root, "spans/day1.jsonl")));
    expect(report.removed).toEqual(["spans/day1.jsonl"]);
    expect(after).toEqual(await cold(root, config()));
    expect((after.sources as {file: string}[]).map((s) => s.file)).not.toContain("spans/day1.jsonl");
  });

  test("a file that changes a task's most used spelling merges every file's labels again", async () => {
    const {root, after} = await fromBase((root) =>
      writeFileSync(
        join(root, "preds/p3.jsonl"),
        jsonl(...["i6", "i7", "i8", "i9"].map((id) => prediction(id, "Billing")))
      )
    );
    expect(after).toEqual(await cold(root, config()));
    expect((after.predictions as {label: string}[]).map((p) => p.label)).toEqual(Array(9).fill("Billing"));
  });

  test("a changed assignments file reads every file with experiment rows again", async () => {
    const {root, report, after} = await fromBase((root) =>
      writeFileSync(join(root, "exp/assign.jsonl"), jsonl(assign("u1", "control"), assign("u9", "treatment")))
    );
    expect(Object.keys(report.reread)).toEqual(["exp/outcomes.jsonl"]);
    expect(after).toEqual(await cold(root, config()));
  });

  test("experiment files appended and removed: every unit's key and assignment time as a cold build", async () => {
    const appended = await fromBase((root) => {
      writeFileSync(join(root, "exp/assign2.jsonl"), jsonl(assign("u4", "treatment"), assign("u9", "control")));
      writeFileSync(join(root, "exp/outcomes2.jsonl"), jsonl(outcome("u4"), outcome("u3")));
    });
    expect(Object.keys(appended.report.reread).sort()).toEqual(["exp/assign.jsonl", "exp/outcomes.jsonl"]);
    expect((appended.after.outcomes as unknown[]).length).toBe(5);
    expect(appended.after).toEqual(await cold(appended.root, config()));
    const removed = await fromBase((root) => rmSync(join(root, "exp/assign.jsonl")));
    expect(removed.report.removed).toEqual(["exp/assign.jsonl"]);
    expect(removed.after.outcomes).toEqual([]);
    expect(removed.after).toEqual(await cold(removed.root, config()));
  });

  test("a file that makes a run of older files disagree quarantines the whole run, their rows and books too; removing it restores the run", async () => {
    // Run r1's accepted rows are a.jsonl:1-2 and b.jsonl:2 (the rest are duplicates or bad rows); n.jsonl
    // files one more case of r1 under another suite.
    const added = await fromBase((root) =>
      writeFileSync(join(root, "evals/n.jsonl"), jsonl(evalRow({case_id: "c6", suite: "nightly"})))
    );
    expect(added.report.changed).toEqual(["evals/n.jsonl"]);
    // The older rows are in eval_results, where the check finds and moves them: no file is read again.
    expect(added.report.reread).toEqual({});
    const reason =
      "run r1 names 2 suites (golden, nightly): one run_id is one suite's run; give each suite's run its own run_id";
    const quarantined = added.after.quarantine as {source_file: string; line: number; reason: string}[];
    expect(quarantined.filter((q) => q.reason === reason).map((q) => `${q.source_file}:${q.line}`)).toEqual([
      "evals/a.jsonl:1",
      "evals/a.jsonl:2",
      "evals/b.jsonl:2",
      "evals/n.jsonl:1"
    ]);
    const books = (t: Record<string, unknown[]>) =>
      (t.sources as {file: string; rows_in: number; rows_accepted: number; rows_quarantined: number}[])
        .filter((f) => f.file.startsWith("evals/"))
        .map((f) => [f.file, f.rows_in, f.rows_accepted, f.rows_quarantined]);
    expect(books(added.after)).toEqual([
      ["evals/a.jsonl", 3, 0, 3],
      ["evals/b.jsonl", 2, 0, 2],
      ["evals/c.jsonl", 2, 1, 1],
      ["evals/n.jsonl", 1, 0, 1]
    ]);
    expect((added.after.eval_results as {run_id: string}[]).map((r) => r.run_id)).toEqual(["r2"]);
    expect(added.after).toEqual(await cold(added.root, config()));

    rmSync(join(added.root, "evals/n.jsonl"));
    const removed = await ingestChanges(added.db, added.root, ingestConfigOf(config()));
    expect(removed.removed).toEqual(["evals/n.jsonl"]);
    // The rows set aside with r1 are in no table the check reads: their files are read again.
    expect(Object.keys(removed.reread)).toEqual(["evals/a.jsonl", "evals/b.jsonl"]);
    const after = await snapshot(added.db);
    expect(after).toEqual(await cold(added.root, config()));
    expect(after).toEqual(base.tables);
  });

  test("a file read again for a key, whose repeat's first occurrence was set aside with its run, reads that run's files too", async () => {
    // Run R disagrees on its model (q.jsonl against z.jsonl), so its rows are set aside; s.jsonl repeats
    // q's first case of R and holds the first t1 of run T, which t.jsonl repeats. Changing t.jsonl reads
    // s.jsonl again for the key t1; its repeat of R's c1 is a duplicate only beside q's c1, set aside.
    const r = (case_id: string, over: Record<string, unknown> = {}) => evalRow({run_id: "R", case_id, ...over});
    const t = (case_id: string, over: Record<string, unknown> = {}) => evalRow({run_id: "T", case_id, ...over});
    const files = {
      "e/q.jsonl": jsonl(r("c1"), r("c2")),
      "e/s.jsonl": jsonl(r("c1"), t("t1")),
      "e/t.jsonl": jsonl(t("t1", {passed: false}), t("t2")),
      "e/z.jsonl": jsonl(r("c3", {model: "claude-sonnet-4"}))
    };
    const {root, report, after} = await incremental(files, (root) =>
      writeFileSync(join(root, "e/t.jsonl"), jsonl(t("t1", {passed: false}), t("t2", {passed: false})))
    );
    // First what a cold build gives, then which files the update read to give it.
    expect(after).toEqual(await cold(root, config()));
    expect(report.changed).toEqual(["e/t.jsonl"]);
    expect(report.reread).toEqual({
      "e/q.jsonl":
        "holds rows of eval run R, set aside as the run disagrees, and e/s.jsonl is read: a run's rows are checked together",
      "e/s.jsonl": "shares a eval_results key with e/t.jsonl, which changed",
      "e/z.jsonl":
        "holds rows of eval run R, set aside as the run disagrees, and e/q.jsonl is read: a run's rows are checked together"
    });
    const reasons = (after.quarantine as {source_file: string; line: number; field: string}[]).map(
      (q) => `${q.source_file}:${q.line} ${q.field}`
    );
    expect(reasons).toEqual([
      "e/q.jsonl:1 model",
      "e/q.jsonl:2 model",
      "e/s.jsonl:1 run_id, case_id, epoch",
      "e/t.jsonl:1 run_id, case_id, epoch",
      "e/z.jsonl:1 model"
    ]);
  });

  test("changing the file that held a key's first occurrence, set aside with its run, reads again the file repeating it", async () => {
    // Run R disagrees on its model (a.jsonl against z.jsonl); x.jsonl repeats a's c1. Once a.jsonl no
    // longer holds c1, x's c1 is the first occurrence, and is set aside with its run instead.
    const r = (case_id: string, over: Record<string, unknown> = {}) => evalRow({run_id: "R", case_id, ...over});
    const files = {
      "e/a.jsonl": jsonl(r("c1")),
      "e/x.jsonl": jsonl(r("c1")),
      "e/z.jsonl": jsonl(r("c2", {model: "claude-sonnet-4"}))
    };
    const {root, report, after} = await incremental(files, (root) =>
      writeFileSync(join(root, "e/a.jsonl"), jsonl(r("c9")))
    );
    expect(after).toEqual(await cold(root, config()));
    expect(Object.keys(report.reread)).toEqual(["e/x.jsonl", "e/z.jsonl"]);
    expect((after.quarantine as {source_file: string; field: string}[]).map((q) => [q.source_file, q.field])).toEqual([
      ["e/a.jsonl", "model"],
      ["e/x.jsonl", "model"],
      ["e/z.jsonl", "model"]
    ]);
  });

  test("files emptied", async () => {
    const {root, after} = await fromBase((root) => {
      writeFileSync(join(root, "evals/b.jsonl"), "");
      writeFileSync(join(root, "exp/outcomes.jsonl"), "");
    });
    expect(after).toEqual(await cold(root, config()));
  });

  test("a new build day re-reads only the files with rows refused as too late", async () => {
    process.env.WORKBENCH_BUILD_TIME = "2026-11-05T12:00:00Z";
    const files = {...baseFiles(), "spans/late.jsonl": jsonl(span("t8", "root", {start_time: "2026-11-07T01:00:00Z"}))};
    const {root, report, after} = await incremental(files, () => {
      process.env.WORKBENCH_BUILD_TIME = "2026-11-06T12:00:00Z";
    });
    expect(Object.keys(report.reread)).toEqual(["spans/late.jsonl"]);
    expect((after.spans as {trace_id: string}[]).map((s) => s.trace_id)).toContain("t8");
    expect(after).toEqual(await cold(root, config()));
  });
});

describe("ingestChanges(db, root, config) after a price change: no re-ingest", () => {
  test(
    "gives the costs, their sources and the requests a cold build with the new prices gives",
    {timeout},
    async () => {
      const newPrices = [
        {model: "gpt-4.1", input_per_mtok: 3, output_per_mtok: 12},
        {model: "unpriced", input_per_mtok: 1, output_per_mtok: 1}
      ];
      const stage = vi.spyOn(adapterNamed("native-jsonl")!, "stage");
      const {root, db, report, after} = await fromBase(() => stage.mockClear(), config({prices: newPrices}));
      expect(report.changed).toEqual([]);
      expect(stage).not.toHaveBeenCalled();
      expect(after).toEqual(await cold(root, config({prices: newPrices})));
      // New numbers: the computed span cost follows the new price (1000 × 3 + 200 × 12 per million tokens).
      const cost = (t: Record<string, unknown[]>) =>
        (t.spans as {span_id: string; trace_id: string; cost_usd: number}[]).find(
          (s) => s.trace_id === "t1" && s.span_id === "s1"
        )?.cost_usd;
      expect(cost(after)).toBeCloseTo((1000 * 3 + 200 * 12) / 1e6, 12);
      // And back: a reported zero is unknown again when no price covers it.
      await ingestChanges(db, root, ingestConfigOf(config({prices: []})));
      expect(await snapshot(db)).toEqual(await cold(root, config({prices: []})));
    }
  );

  test(
    "a price change and an appended file in the same build: old rows repriced, new rows priced once, as a cold build",
    {timeout},
    async () => {
      // The update prices only the new file's rows (at the new prices) and reprices the old rows in
      // place: neither may skip the other's rows, nor price the new rows twice.
      const newPrices = [{model: "gpt-4.1", input_per_mtok: 3, output_per_mtok: 12}];
      const {root, report, after} = await fromBase(
        (root) =>
          writeFileSync(
            join(root, "spans/day3.jsonl"),
            jsonl(span("t9", "root", {start_time: "2026-11-04T09:00:00Z", input_tokens: 500, output_tokens: 50}))
          ),
        config({prices: newPrices})
      );
      expect(report.changed).toEqual(["spans/day3.jsonl"]);
      expect(after).toEqual(await cold(root, config({prices: newPrices})));
      const cost = (trace: string, id: string) =>
        (after.spans as {span_id: string; trace_id: string; cost_usd: number}[]).find(
          (s) => s.trace_id === trace && s.span_id === id
        )?.cost_usd;
      expect(cost("t1", "s1")).toBeCloseTo((1000 * 3 + 200 * 12) / 1e6, 12);
      expect(cost("t9", "root")).toBeCloseTo((500 * 3 + 50 * 12) / 1e6, 12);
      const request = (after.requests as {trace_id: string; cost_usd: number}[]).find((r) => r.trace_id === "t9");
      expect(request?.cost_usd).toBeCloseTo((500 * 3 + 50 * 12) / 1e6, 12);
    }
  );
});

// A later build brings the warehouse file up to date in one transaction (ensureWarehouse), which DuckDB
// aborts at any failed statement: the JSON reader failing on a malformed line, before the line-by-line
// reader quarantines it, used to fail the whole build with "Current transaction is aborted".
describe("a later build (ensureWarehouse) given a new file with a malformed line", () => {
  test(
    "quarantines the line, keeps the file's other rows and the rows before, and does not fail",
    {timeout},
    async () => {
      const root = tempWorkspace({"workbench.config.json": "{}", "evals/a.jsonl": jsonl(evalRow({case_id: "c1"}))});
      const env = {...process.env, WORKBENCH_WORKSPACE: root};
      const first = await ensureWarehouse({env});
      try {
        writeFileSync(join(root, "evals/b.jsonl"), jsonl(evalRow({case_id: "c2"})) + "{not json\n");
        const second = await ensureWarehouse({env});
        expect(second.rebuilt).toBe(true);
        const db = await openDatabase(second.path);
        open.push(db);
        expect(await db.query("SELECT case_id FROM eval_results ORDER BY case_id")).toEqual([
          {case_id: "c1"},
          {case_id: "c2"}
        ]);
        expect(await db.query("SELECT source_file, line FROM quarantine")).toEqual([
          {source_file: "evals/b.jsonl", line: 2}
        ]);
      } finally {
        for (const file of warehouseFiles(first.path)) rmSync(file, {force: true});
        rmSync(root, {recursive: true, force: true});
      }
    }
  );
});

// Builds the canonical tables of one workspace: recognize each file, stage its records (or accept a
// clean file's rows directly, checked by the same SQL), validate every table once (so duplicates
// are found across files), compute missing costs, and record for every file how many rows came in,
// were accepted and were quarantined.
import {adapters, adapterNamed} from "../adapters/index.js";
import {sourceColumn} from "../adapters/nativeTable.js";
import {PartitionSkipped} from "../adapters/parquet.js";
import type {Adapter} from "../adapters/adapter.js";
import {timeBounds, type WorkbenchConfig} from "../schema/config.js";
import {canonicalTables, evalResults} from "../schema/tables.js";
import {listWorkspace, type WorkspaceFile, type WorkspaceListing} from "../workspace/files.js";
import type {TimeBounds} from "../schema/fields.js";
import {hasRows, quotedIdentifier, quotedString, type Database} from "./duckdb.js";
import {registerEditDistance} from "./editDistanceFunction.js";
import {redactSecrets, registerRedaction} from "./redact.js";
import {createLabelRewritesSql, mergeLabelSpellings, revertLabelSpellings} from "./labelSpellings.js";
import {applyPrices, createZeroCostRowsSql, repriceCosts} from "./prices.js";
import {hashFile} from "./fingerprint.js";
import {profiled, stageProgress} from "./progress.js";
import {assignmentUnit, checkExperiments} from "./experiments.js";
import {buildRequests, refreshRequests, repriceRequests} from "./requests.js";
import {createSplitRunRowsSql, quarantineSplitRuns} from "./evalRuns.js";
import {
  checkStagedRows,
  createCanonicalTableSql,
  createDuplicateLinksSql,
  createQuarantineSql,
  createStagingTable,
  keyHashSql,
  quarantineDuplicates,
  stageTable,
  type TextPolicy
} from "./validate.js";

export interface FileOutcome {
  file: string;
  format: string | null;
  /** refused: a symlink leaving the workspace or looping; unreadable: not a regular file, or not readable. */
  /** skipped: a dataset partition dated outside the time bounds, not read (loaders/adapters/parquet.ts). */
  status: "ingested" | "empty" | "unrecognized" | "failed" | "refused" | "unreadable" | "skipped";
  message: string | null;
  staged: Record<string, number>;
  /** Table → canonical field → the file's column, where the adapter named one (see StageContext.columns). */
  columns: Record<string, Record<string, string>>;
}

/**
 * The config keys whose change re-ingests every file (the warehouse fingerprint's basis): a change to
 * any other key (gates, budgets, classifier costs, the product's name) recomputes the pages that read
 * it (loaders/pages/computePages.ts) without a re-ingest. Prices are read by ingest too, but applied
 * in place (repriceCosts), so a price change reads no file. The type keeps ingest from reading another key.
 */
export const ingestConfigKeys = ["sources", "checks", "experiments", "privacy"] as const;
export type IngestConfig = Pick<WorkbenchConfig, (typeof ingestConfigKeys)[number] | "prices">;

/** The part of the config ingest reads. */
export function ingestConfigOf(config: WorkbenchConfig): IngestConfig {
  return {...basisConfigOf(config), prices: config.prices};
}

/** The config keys of the fingerprint's basis (ingestConfigKeys). */
export function basisConfigOf(config: WorkbenchConfig): Omit<IngestConfig, "prices"> {
  return Object.fromEntries(ingestConfigKeys.map((key) => [key, config[key]])) as Omit<IngestConfig, "prices">;
}

export async function ingestWorkspace(
  db: Database,
  root: string,
  config: IngestConfig,
  options: IngestOptions = {}
): Promise<FileOutcome[]> {
  return (await ingestChanges(db, root, config, options)).outcomes;
}

export interface IngestOptions {
  /** The workspace's listing and each file's content hash (by name), when the caller has them already. */
  listing?: WorkspaceListing;
  hashes?: ReadonlyMap<string, string>;
}

/** What one ingest did: the files it read, and why each unchanged one was read again. */
export interface IngestReport {
  outcomes: FileOutcome[];
  /** Files new or changed since the warehouse's record of them (all of them into an empty warehouse). */
  changed: string[];
  removed: string[];
  /** Unchanged files read again, with the reason: their rows depend on rows of a changed file. */
  reread: Record<string, string>;
}

/** Tables only the warehouse reads: the record of every ingested file, by content hash, with its outcome. */
const createIngestedFilesSql = `CREATE TABLE IF NOT EXISTS ingested_files (file VARCHAR, hash VARCHAR, outcome VARCHAR)`;
const createIngestStateSql = `CREATE TABLE IF NOT EXISTS ingest_state (key VARCHAR, value VARCHAR)`;

/** A file read by an earlier ingest: its content hash and what came of it (a FileOutcome as JSON). */
type IngestedFileRow = {file: string; hash: string; outcome: string};

/** One remembered setting of the last ingest (the time bounds or the prices, as JSON). */
type StateRow = {value: string};

type FileRow = {file: string};

/** The tables an assignment or outcome check reads across files (experiments.ts). */
const experimentTables = ["assignments", "outcomes"];

/**
 * Brings the warehouse's canonical tables up to date with the workspace, reading only what changed:
 * a file is keyed by its content hash, so a new file is read alone, and a changed or removed file's
 * rows (every canonical row, quarantined row and derived record names its source file) are deleted
 * and the new content read. Checks across files are then made exactly as a cold build makes them:
 * - a key's first occurrence wins: unchanged files that share a key with the old or new rows of a
 *   changed file are read again (their rows may now be first, or duplicates of another first);
 * - an eval run's rows are checked together (evalRuns.ts): a file holding rows set aside with a run
 *   that a file read holds is read again, and so on until no file is added (sharedRunFiles);
 * - the experiment checks join assignments with outcomes across files: when a changed file holds either,
 *   every file that does is read again;
 * - label spellings are put back as read and merged again over all predictions (one aggregate);
 * - requests are computed again for the traces of the rows that changed.
 * An empty warehouse is the case where every file is new, so a cold build takes the same path.
 */
export async function ingestChanges(
  db: Database,
  root: string,
  config: IngestConfig,
  options: IngestOptions = {}
): Promise<IngestReport> {
  registerEditDistance(db);
  registerRedaction(db);
  // No vacuum at checkpoints. DuckDB's parallel ordered INSERT ends every reader batch in a partial
  // row group, and by default each checkpoint merges those into full ones, writing again rows the
  // INSERT had already compressed and written: at 10M assignment and outcome rows that merge took more
  // CPU than the experiment checks together (ingest 35-44 s of CPU with it, 24-29 s without;
  // docs/experiments.md). Left alone, the row groups are 60-120k rows instead of 122,880, which the
  // pages' queries do not feel (the experiments page 0.26-0.32x the read either way), and a row group
  // whose rows are all deleted (a changed file's, read again) is still dropped at the checkpoint.
  await db.run("SET max_vacuum_tasks = 0");
  for (const spec of canonicalTables) await db.run(createCanonicalTableSql(spec));
  for (const sql of [
    createQuarantineSql,
    createDuplicateLinksSql,
    createSplitRunRowsSql,
    createLabelRewritesSql,
    createZeroCostRowsSql,
    createIngestedFilesSql,
    createIngestStateSql
  ])
    await db.run(sql);
  const text = {
    redact: config.privacy.redact_free_text,
    excerptChars: config.privacy.excerpt_chars,
    timeBounds: timeBounds(config.checks)
  };
  const listing = options.listing ?? (await listWorkspace(root, config.sources));
  // Into an empty warehouse every file is new whatever its hash, and the hashes are needed only for
  // the record written at the end: they are taken while DuckDB reads (this thread is idle meanwhile),
  // not before, which at 1M experiment rows saved about 0.3 s of a 3 s ingest. A hash that fails
  // still fails the ingest, at the end.
  const hashing = options.hashes
    ? Promise.resolve(options.hashes)
    : Promise.all(listing.files.map(async (f) => [f.name, await hashFile(f.path)] as const)).then((h) => new Map(h));
  hashing.catch(() => undefined);
  const before = new Map(
    (
      await db.query<IngestedFileRow>(`SELECT file,
          hash,
          outcome
        FROM ingested_files`)
    ).map((r) => [r.file, {hash: r.hash, outcome: JSON.parse(r.outcome) as FileOutcome}])
  );
  const cold = before.size === 0;
  const current = new Set(listing.files.map((f) => f.name));
  const hashes = cold ? undefined : await hashing;
  const changed = listing.files
    .filter((f) => !hashes || before.get(f.name)?.hash !== hashes.get(f.name))
    .map((f) => f.name);
  const removed = [...before.keys()].filter((name) => !current.has(name)).sort();
  const reread = new Map<string, string>();
  const bounds = JSON.stringify(text.timeBounds);
  const [boundsBefore] = await db.query<StateRow>(`SELECT value
    FROM ingest_state
    WHERE key = 'bounds'`);
  if (boundsBefore && boundsBefore.value !== bounds) {
    for (const [file, reason] of await boundSensitiveFiles(
      db,
      JSON.parse(boundsBefore.value),
      text.timeBounds!,
      before
    ))
      if (current.has(file) && !changed.includes(file)) reread.set(file, reason);
  }

  // Prices are applied in place (repriceCosts): a new price table reads no file.
  const pricesNow = JSON.stringify(config.prices);
  const [pricesBefore] = await db.query<StateRow>(`SELECT value
    FROM ingest_state
    WHERE key = 'prices'`);
  const repriced = !cold && pricesBefore?.value !== pricesNow;
  // The files whose rows are new to the warehouse: their keys may take over another file's.
  const newRows = new Set([...changed, ...reread.keys()]);
  const read = new Set(newRows);
  const gone = new Set([...changed.filter((name) => before.has(name)), ...removed, ...reread.keys()]);
  const newOutcomes = new Map<string, FileOutcome>();
  const stagedTables = (file: string) =>
    Object.keys(newOutcomes.get(file)?.staged ?? before.get(file)?.outcome.staged ?? {});
  /** The tables the files have or had rows in: no other table's keys or rows can change with them. */
  const touched = (files: Iterable<string>) =>
    new Set(
      [...files].flatMap((f) => [
        ...Object.keys(before.get(f)?.outcome.staged ?? {}),
        ...Object.keys(newOutcomes.get(f)?.staged ?? {})
      ])
    );
  await db.run(`CREATE OR REPLACE TEMP TABLE affected_traces (trace_id VARCHAR)`);
  if (gone.size || changed.length) {
    // Files entangled with the old rows, found before those rows are deleted. (Into an empty
    // warehouse every file is read: none is left to share a key with.)
    if (!cold) {
      for (const [file, reason] of await profiled("shared keys (old rows)", () =>
        sharedKeyFiles(db, gone, read, touched(gone))
      ))
        addReread(file, reason);
      await profiled("shared runs (old rows)", () => addRunSharers(new Set(gone)));
    }
    await profiled("delete old rows", () => deleteFileRows(db, gone));
    await profiled("stage and check", () =>
      stageFiles(
        db,
        listing.files.filter((f) => changed.includes(f.name) || reread.has(f.name)),
        text,
        newOutcomes
      )
    );
    // Files entangled with the new rows. (A file read again for sharing a key is unchanged: what its
    // other keys decide is as before, unless a changed file holds them too.)
    const readNow = new Set(read);
    if (!cold) {
      for (const [file, reason] of await profiled("shared keys (new rows)", () =>
        sharedKeyFiles(db, newRows, read, touched(newRows))
      ))
        addReread(file, reason);
      // The new rows' runs, and those of the files just added for a key, whose rows are still here.
      await profiled("shared runs (new rows)", () =>
        addRunSharers(new Set([...newRows, ...[...read].filter((f) => !readNow.has(f))]))
      );
    }
    const experiments = [...gone, ...read].some((f) =>
      [...Object.keys(before.get(f)?.outcome.staged ?? {}), ...stagedTables(f)].some((t) =>
        experimentTables.includes(t)
      )
    );
    if (experiments)
      for (const file of current)
        if (!read.has(file) && stagedTables(file).some((t) => experimentTables.includes(t)))
          addReread(file, "holds experiment rows, checked across files with a changed file's");
    const again = [...read].filter((f) => !readNow.has(f));
    await deleteFileRows(db, new Set(again));
    await stageFiles(
      db,
      listing.files.filter((f) => again.includes(f.name)),
      text,
      newOutcomes
    );
    // A key can repeat only where rows were read: in a cold build every table, else the tables the
    // files read have rows in, and there only a key of one of their rows (deleting rows repeats none).
    await fileTable(db, "read_files", read);
    let unitsDistinct = false;
    await profiled("duplicates", async () => {
      const tables = touched(read);
      for (const spec of canonicalTables) {
        if (!cold && !tables.has(spec.name)) continue;
        const within = spec.name === "assignments" ? assignmentUnit : undefined;
        const distinct = await quarantineDuplicates(db, spec, {newFiles: cold ? undefined : "read_files", within});
        if (within) unitsDistinct = distinct;
      }
    });
    if (cold || touched(read).has(evalResults.name))
      await profiled("eval runs", () => quarantineSplitRuns(db, {newFiles: cold ? undefined : "read_files"}));

    const outcomes = outcomesOf(listing, before, newOutcomes);
    const predictionsChanged = [...gone, ...read].some(
      (f) => (before.get(f)?.outcome.staged.predictions ?? 0) > 0 || (newOutcomes.get(f)?.staged.predictions ?? 0) > 0
    );
    if (cold || predictionsChanged) {
      // The column a finding names: the adapter's, else the config's rename, else the field's own name.
      const outcomeOf = new Map(outcomes.map((o) => [o.file, o]));
      const sourceColumns = new Map(
        listing.files.map((f) => [
          f.name,
          (field: string) => outcomeOf.get(f.name)?.columns.predictions?.[field] ?? sourceColumn(field, f.source)
        ])
      );
      await revertLabelSpellings(db);
      await mergeLabelSpellings(db, (file, field) => sourceColumns.get(file)?.(field) ?? field);
    }
    if (cold || experiments) await checkExperiments(db, config.experiments, {unitsDistinct});
    // Prices unchanged: the rows of the files not read were priced by the same table already.
    await profiled("prices", () =>
      repriced ? repriceCosts(db, config.prices) : applyPrices(db, config.prices, cold ? undefined : "read_files")
    );
    if (cold) await profiled("requests", () => buildRequests(db));
    else {
      // Repriced first, then the affected traces computed again whole from their spans.
      if (repriced) await profiled("requests repriced", () => repriceRequests(db));
      await db.run(`INSERT INTO affected_traces
        SELECT DISTINCT trace_id
        FROM spans
        WHERE source_file IN (SELECT file FROM read_files)`);
      await profiled("requests", () => refreshRequests(db, `(SELECT DISTINCT trace_id FROM affected_traces)`));
    }
    await db.run(`DROP TABLE read_files`);
  } else if (repriced) {
    // Requests sum their spans' costs: only their cost columns are computed again, in place.
    await profiled("prices", () => repriceCosts(db, config.prices));
    await profiled("requests repriced", () => repriceRequests(db));
  } else if (cold) {
    // A cold build of a workspace with no files still needs the (empty) table the pages read.
    await buildRequests(db);
  }
  await db.run(`DROP TABLE affected_traces`);
  const outcomes = outcomesOf(listing, before, newOutcomes);
  await profiled("books", () => recordOutcomes(db, outcomes));
  await db.run(`DELETE FROM ingested_files`);
  const recorded = await hashing;
  for (const o of outcomes) {
    const hash = recorded.get(o.file);
    if (hash !== undefined)
      await db.run(`INSERT INTO ingested_files VALUES ($file, $hash, $outcome)`, {
        file: o.file,
        hash,
        outcome: JSON.stringify(o)
      });
  }
  await db.run(`DELETE FROM ingest_state`);
  await db.run(`INSERT INTO ingest_state VALUES ('bounds', $bounds), ('prices', $prices)`, {bounds, prices: pricesNow});
  return {outcomes, changed, removed, reread: Object.fromEntries([...reread].sort())};

  function addReread(file: string, reason: string): void {
    if (read.has(file) || !current.has(file)) return;
    read.add(file);
    gone.add(file);
    reread.set(file, reason);
  }

  /**
   * Adds the files whose rows set aside with their eval run are entangled with `seeds` (sharedRunFiles),
   * then those entangled with the files added, until none is added: every row of a run the read files
   * hold is then read or in eval_results, and the run check over those runs (quarantineSplitRuns)
   * decides as a cold build does.
   */
  async function addRunSharers(seeds: Set<string>): Promise<void> {
    for (let frontier = seeds; frontier.size && touched(frontier).has(evalResults.name);) {
      const added = new Set<string>();
      for (const [file, reason] of await sharedRunFiles(db, frontier, read))
        if (!read.has(file) && current.has(file)) {
          addReread(file, reason);
          added.add(file);
        }
      frontier = added;
    }
  }
}

/** Every outcome, sorted by file: the new ones of the files read, the recorded ones of the rest, and the paths not read. */
function outcomesOf(
  listing: WorkspaceListing,
  before: ReadonlyMap<string, {outcome: FileOutcome}>,
  fresh: ReadonlyMap<string, FileOutcome>
): FileOutcome[] {
  const outcomes = listing.files.map((f) => fresh.get(f.name) ?? before.get(f.name)!.outcome);
  for (const path of listing.skipped)
    outcomes.push({file: path.name, format: null, status: path.status, message: path.reason, staged: {}, columns: {}});
  return outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

async function stageFiles(
  db: Database,
  files: readonly WorkspaceFile[],
  text: TextPolicy,
  outcomes: Map<string, FileOutcome>
): Promise<void> {
  if (!files.length) return;
  for (const spec of canonicalTables) await createStagingTable(db, spec);
  const progress = stageProgress("ingest");
  for (const [i, file] of files.entries()) {
    const started = performance.now();
    const outcome = await stageFile(db, file, text);
    outcomes.set(file.name, outcome);
    const rows = Object.values(outcome.staged).reduce((n, r) => n + r, 0);
    progress.step(i + 1, files.length, file.name, rows, (performance.now() - started) / 1000);
  }
  progress.end();
  for (const spec of canonicalTables) await checkStagedRows(db, spec, text);
}

/** A temp table `name` of file names, for the statements below to join. */
async function fileTable(db: Database, name: string, files: ReadonlySet<string>): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(name)} AS
    SELECT unnest(from_json($files, '["VARCHAR"]')) AS file`,
    {files: JSON.stringify([...files])}
  );
}

/** Every row the files left in the warehouse: canonical, quarantined, and what records them; their traces noted first. */
async function deleteFileRows(db: Database, files: ReadonlySet<string>): Promise<void> {
  if (!files.size) return;
  await fileTable(db, "deleted_files", files);
  const of = `source_file IN (SELECT file FROM deleted_files)`;
  await db.run(`INSERT INTO affected_traces
    SELECT DISTINCT trace_id
    FROM spans
    WHERE ${of}`);
  for (const table of [
    ...canonicalTables.map((t) => t.name),
    "quarantine",
    "duplicate_links",
    "split_run_rows",
    "label_rewrites",
    "zero_cost_rows"
  ])
    await db.run(`DELETE FROM ${quotedIdentifier(table)}
      WHERE ${of}`);
  await db.run(`DROP TABLE deleted_files`);
}

/** A file holding a key that a row of a changed file holds too, and the first such changed file. */
type SharedKeyRow = {file: string; other: string};

/**
 * The files outside `exclude` that hold a key also held by a row of `files` (accepted, quarantined as
 * a duplicate, or set aside with its eval run): which occurrence of such a key comes first, and so
 * which rows are kept and what the quarantine names, may change with those rows. Keys are compared by
 * hash; a collision only reads one more file.
 */
async function sharedKeyFiles(
  db: Database,
  files: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
  tables: ReadonlySet<string>
): Promise<Map<string, string>> {
  const shared = new Map<string, string>();
  if (!files.size) return shared;
  await fileTable(db, "key_files", files);
  await fileTable(db, "key_excluded", new Set([...exclude, ...files]));
  // Only the tables the files have rows in (accepted or duplicates) can hold one of their keys.
  for (const spec of canonicalTables.filter((t) => tables.has(t.name))) {
    const table = quotedString(spec.name);
    const name = quotedIdentifier(spec.name);
    // An eval row set aside with its run (evalRuns.ts) may be the first occurrence of a key another
    // file repeats. (A file holding such a row for a key of `files` shares its run with them, so
    // sharedRunFiles finds it: the holders need not list those rows.)
    const setAside =
      spec.name === evalResults.name
        ? `
        UNION ALL
        SELECT key_hash, source_file
        FROM split_run_rows
        WHERE source_file IN (SELECT file FROM key_files)`
        : "";
    const rows = await db.query<SharedKeyRow>(`WITH keys AS (
        SELECT ${keyHashSql(spec)} AS h, source_file AS other
        FROM ${name}
        WHERE source_file IN (SELECT file FROM key_files)
        UNION ALL
        SELECT key_hash, source_file
        FROM duplicate_links
        WHERE table_name = ${table}
          AND source_file IN (SELECT file FROM key_files)${setAside}
      ),
      holders AS (
        SELECT ${keyHashSql(spec)} AS h, source_file AS file
        FROM ${name}
        WHERE source_file NOT IN (SELECT file FROM key_excluded)
        UNION ALL
        SELECT key_hash, source_file
        FROM duplicate_links
        WHERE table_name = ${table}
          AND source_file NOT IN (SELECT file FROM key_excluded)
      )
      SELECT file,
        min(other) AS other
      FROM holders
      JOIN keys USING (h)
      GROUP BY file
      ORDER BY file`);
    for (const r of rows)
      if (!shared.has(r.file)) shared.set(r.file, `shares a ${spec.name} key with ${r.other}, which changed`);
  }
  await db.run(`DROP TABLE key_files`);
  await db.run(`DROP TABLE key_excluded`);
  return shared;
}

/** A file holding rows set aside with an eval run that a file of the set holds too: the first such run, and that file. */
type SharedRunRow = {file: string; run_id: string; other: string};

/**
 * The files outside `exclude` holding rows set aside with their eval run (split_run_rows) where the run
 * is one a row of `files` belongs to, or the row is the first occurrence of a key that `files` repeat.
 * The run check decides a run from all its rows (evalRuns.ts): rows set aside are in no table it reads,
 * so their files are read again (accepted rows of the run are in eval_results, where it reads them, and
 * it moves them to the quarantine if the run now disagrees); and a repeat of a key is a duplicate only
 * beside the key's first occurrence, which a row set aside no longer shows.
 */
async function sharedRunFiles(
  db: Database,
  files: ReadonlySet<string>,
  exclude: ReadonlySet<string>
): Promise<Map<string, string>> {
  if (!(await hasRows(db, "split_run_rows"))) return new Map();
  await fileTable(db, "run_files", files);
  await fileTable(db, "run_excluded", new Set([...exclude, ...files]));
  const rows = await db.query<SharedRunRow>(`WITH runs AS (
      SELECT DISTINCT run_id, source_file AS other
      FROM eval_results
      WHERE source_file IN (SELECT file FROM run_files)
      UNION
      SELECT run_id, source_file
      FROM split_run_rows
      WHERE source_file IN (SELECT file FROM run_files)
    ),
    repeats AS (
      SELECT key_hash, source_file AS other
      FROM duplicate_links
      WHERE table_name = 'eval_results'
        AND source_file IN (SELECT file FROM run_files)
    ),
    aside AS (
      SELECT *
      FROM split_run_rows
      WHERE source_file NOT IN (SELECT file FROM run_excluded)
    ),
    shared AS (
      SELECT a.source_file AS file, run_id, r.other
      FROM aside a
      JOIN runs r USING (run_id)
      UNION ALL
      SELECT a.source_file, a.run_id, k.other
      FROM aside a
      JOIN repeats k USING (key_hash)
    )
    SELECT file,
      first(run_id ORDER BY run_id, other) AS run_id,
      first(other ORDER BY run_id, other) AS other
    FROM shared
    GROUP BY file
    ORDER BY file`);
  await db.run(`DROP TABLE run_files`);
  await db.run(`DROP TABLE run_excluded`);
  return new Map(
    rows.map((r) => [
      r.file,
      `holds rows of eval run ${r.run_id}, set aside as the run disagrees, and ${r.other} is read: a run's rows are checked together`
    ])
  );
}

/**
 * The files whose rows the time bounds decided, when the bounds moved with the build's day: rows
 * quarantined as later than the latest bound (accepted now, or quarantined naming another bound),
 * and dataset partitions skipped as outside the window. A later bound accepts no fewer rows; any
 * other move decides every row again, so every file is read again.
 */
async function boundSensitiveFiles(
  db: Database,
  old: TimeBounds,
  now: TimeBounds,
  before: ReadonlyMap<string, {outcome: FileOutcome}>
): Promise<Map<string, string>> {
  const reason = `its rows were checked against the time bounds ${old.earliest} – ${old.latest}, now ${now.earliest} – ${now.latest}`;
  if (old.earliest !== now.earliest || now.latest < old.latest)
    return new Map([...before.keys()].map((f) => [f, reason]));
  const files = new Set(
    (
      await db.query<FileRow>(`SELECT DISTINCT source_file AS file
        FROM quarantine
        WHERE contains(reason, 'expected at or before')`)
    ).map((r) => r.file)
  );
  for (const [file, {outcome}] of before) if (outcome.status === "skipped") files.add(file);
  return new Map([...files].map((f) => [f, reason]));
}

function pickAdapter(file: WorkspaceFile): Adapter | undefined {
  if (file.source?.format) return adapterNamed(file.source.format);
  return adapters.find((a) => a.detect(file));
}

async function stageFile(db: Database, file: WorkspaceFile, text: TextPolicy): Promise<FileOutcome> {
  const staged: Record<string, number> = {};
  const columns: FileOutcome["columns"] = {};
  const outcome = (status: FileOutcome["status"], format: string | null, message: string | null): FileOutcome => ({
    file: file.name,
    format,
    status,
    message,
    staged,
    columns
  });
  if (file.head.trim() === "") return outcome("empty", null, "the file is empty");
  let adapter: Adapter | undefined;
  try {
    adapter = pickAdapter(file);
  } catch (error) {
    // Recognizing reads only the head; a head that breaks a format's test is that file's problem, not the build's.
    const message = `could not be recognized: ${error instanceof Error ? error.message : String(error)}`;
    await db.run(`INSERT INTO quarantine VALUES ($file, NULL, NULL, NULL, $reason, NULL)`, {
      file: file.name,
      reason: message
    });
    return outcome("failed", null, message);
  }
  if (!adapter) {
    const known = adapters.map((a) => `${a.name} (${a.description})`).join("; ");
    return outcome(
      "unrecognized",
      null,
      `not a format the workbench reads; expected one of: ${known}. Map it with a "sources" entry in workbench.config.json.`
    );
  }
  try {
    await adapter.stage(
      {
        db,
        text,
        staged: (table, n) => (staged[table] = (staged[table] ?? 0) + n),
        columns: (table, map) => (columns[table] = map)
      },
      file
    );
    return outcome("ingested", adapter.name, null);
  } catch (error) {
    if (error instanceof PartitionSkipped) return outcome("skipped", adapter.name, error.message);
    // A file that cannot be read whole is reported as one quarantined row, and none of its rows are kept:
    // a half-read file would give numbers that look complete but are not.
    for (const spec of canonicalTables) {
      for (const table of [stageTable(spec), spec.name])
        await db.run(
          `DELETE FROM ${quotedIdentifier(table)}
          WHERE source_file = $file`,
          {file: file.name}
        );
    }
    for (const table in staged) delete staged[table];
    // A parser's message may quote the file's content; it reaches the Data quality page and the log.
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    await db.run(`INSERT INTO quarantine VALUES ($file, NULL, NULL, NULL, $reason, NULL)`, {
      file: file.name,
      reason: `${adapter.name}: ${message}`
    });
    return outcome("failed", adapter.name, message);
  }
}

async function recordOutcomes(db: Database, outcomes: FileOutcome[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE source_files (
    file VARCHAR,
    format VARCHAR,
    status VARCHAR,
    message VARCHAR,
    table_name VARCHAR,
    rows_in INTEGER
  )`);
  for (const o of outcomes) {
    const tables = Object.entries(o.staged);
    // A file that failed whole counts as one row in and one quarantined, so the books still balance.
    const rows = tables.length ? tables : [[null, o.status === "failed" ? 1 : 0] as const];
    for (const [table, n] of rows) {
      await db.run(`INSERT INTO source_files VALUES ($file, $format, $status, $message, $table, $n)`, {
        file: o.file,
        format: o.format,
        status: o.status,
        message: o.message,
        table,
        n
      });
    }
  }
  // Only the tables some file staged rows into: source_files has a row for no other table, so the
  // join below could match none of theirs, and each table in the union cost about 2 ms of planning.
  // (A workspace with no rows keeps all of them: the union needs one.)
  const staged = new Set(outcomes.flatMap((o) => Object.keys(o.staged)));
  const used = canonicalTables.filter((t) => staged.has(t.name));
  const perTable = (used.length ? used : canonicalTables).map((t) => {
    const time = t.timeField
      ? `min(${quotedIdentifier(t.timeField)}) AS first_at, max(${quotedIdentifier(t.timeField)}) AS last_at`
      : "NULL AS first_at, NULL AS last_at";
    return `SELECT ${quotedString(t.name)} AS table_name, source_file, count(*) AS accepted, ${time}
      FROM ${quotedIdentifier(t.name)}
      GROUP BY source_file`;
  });
  await db.run(`CREATE OR REPLACE TABLE sources AS
    WITH accepted AS (
      ${perTable.join("\n      UNION ALL\n      ")}
    ),
    quarantined AS (
      SELECT source_file, table_name, count(*) AS quarantined
      FROM quarantine
      GROUP BY ALL
    )
    SELECT f.file,
      f.format,
      f.status,
      f.message,
      f.table_name,
      f.rows_in,
      coalesce(a.accepted, 0)::INTEGER AS rows_accepted,
      coalesce(q.quarantined, 0)::INTEGER AS rows_quarantined,
      a.first_at,
      a.last_at
    FROM source_files f
    LEFT JOIN accepted a ON a.source_file = f.file AND a.table_name = f.table_name
    LEFT JOIN quarantined q ON q.source_file = f.file AND (q.table_name = f.table_name OR (q.table_name IS NULL AND f.table_name IS NULL))
    ORDER BY f.file, f.table_name`);
}

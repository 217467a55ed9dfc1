// Inspect AI's default log format, .eval: a ZIP archive of _journal/start.json (eval spec and plan,
// written first), samples/<id>_epoch_<n>.json (one per sample and epoch), _journal/summaries/N.json
// and summaries.json (a short summary of each sample: scores, usage, time), reductions.json, and
// header.json (status, results, stats; written last). The archive is read as it streams. A run cut
// off mid-way lacks header.json and maybe samples/; its rows then come from what the journal holds,
// tagged with Inspect's status for a running log, "started". Rows are the JSON log's, sample for sample.
import type {Adapter} from "./adapter.js";
import {inspectRun, noSamples, sampleRecord} from "./inspectAi.js";
import {asString, isRecord} from "./jsonHead.js";
import {isZipHead, zipEntries} from "./zipEntries.js";
import {stageRecords, type StagedRecord} from "../warehouse/stageRecords.js";
import {evalResults} from "../schema/tables.js";
import type {WorkspaceFile} from "../workspace/files.js";

type Json = Record<string, unknown>;

const SAMPLE_ENTRY = /^samples\/.+_epoch_\d+\.json$/;
const JOURNAL_SUMMARY = /^_journal\/summaries\/(\d+)\.json$/;
const read = (name: string) =>
  name === "header.json" ||
  name === "_journal/start.json" ||
  name === "summaries.json" ||
  SAMPLE_ENTRY.test(name) ||
  JOURNAL_SUMMARY.test(name);

/** What a row needs of a sample; its events, messages and attachments (most of its bytes) are dropped as it is read. */
const slim = ({id, epoch, input, target, scores, output, model_usage, error, metadata, total_time}: Json): Json => ({
  id,
  epoch,
  input,
  target,
  scores,
  output,
  model_usage,
  error,
  metadata,
  total_time
});

interface EvalArchive {
  header?: Json;
  start?: Json;
  samples: {entry: string; sample: Json}[];
  /** summaries.json, else the journal's summaries in the order they were written. */
  summaries: Json[];
  /** Sample entries that are not a JSON object, each one quarantined row. */
  broken: {entry: string; record: StagedRecord}[];
}

function parseEntry(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`archive entry ${name}: malformed JSON: ${(error as Error).message}`);
  }
}

async function readArchive(path: string): Promise<EvalArchive> {
  const archive: EvalArchive = {samples: [], summaries: [], broken: []};
  const journal: [number, Json[]][] = [];
  let finalSummaries: Json[] | undefined;
  for await (const {name, bytes} of zipEntries(path, read)) {
    if (SAMPLE_ENTRY.test(name)) {
      let sample: unknown;
      try {
        sample = parseEntry(name, bytes);
      } catch (error) {
        sample = (error as Error).message;
      }
      if (isRecord(sample)) archive.samples.push({entry: name, sample: slim(sample)});
      else
        archive.broken.push({
          entry: name,
          record: {
            line: 0,
            raw: JSON.stringify({entry: name}),
            values: {},
            error: typeof sample === "string" ? sample : `archive entry ${name} is not a sample object`
          }
        });
      continue;
    }
    const value = parseEntry(name, bytes);
    const journalPart = JOURNAL_SUMMARY.exec(name);
    if (journalPart) journal.push([Number(journalPart[1]), Array.isArray(value) ? value.filter(isRecord) : []]);
    else if (name === "summaries.json") finalSummaries = Array.isArray(value) ? value.filter(isRecord) : [];
    else if (isRecord(value)) archive[name === "header.json" ? "header" : "start"] = value;
  }
  archive.summaries = finalSummaries ?? journal.sort((a, b) => a[0] - b[0]).flatMap(([, part]) => part);
  return archive;
}

const sampleKey = (s: Json) => `${String(s.id)}\u0000${String(s.epoch ?? 1)}`;
/** The sample an entry holds, from its name (samples/<id>_epoch_<n>.json), for an entry that could not be parsed. */
const entryKey = (entry: string) => {
  const [, id, epoch] = /^samples\/(.+)_epoch_(\d+)\.json$/.exec(entry)!;
  return `${id}\u0000${epoch}`;
};

/** Case order: numeric ids as numbers, then epochs, so the epochs of a case sit together. */
function byCase(a: Json, b: Json): number {
  const [x, y] = [a.id, b.id];
  const ids = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
  return ids || Number(a.epoch ?? 1) - Number(b.epoch ?? 1);
}

export async function inspectEvalRecords(file: WorkspaceFile): Promise<StagedRecord[]> {
  const archive = await readArchive(file.path);
  const spec = archive.header?.eval ?? archive.start?.eval;
  if (!isRecord(spec))
    throw new Error(
      `the archive holds neither header.json nor _journal/start.json with an "eval" object, so the run it logs is unknown`
    );
  const status = archive.header ? (asString(archive.header.status) ?? "unknown") : "started";
  const run = inspectRun(spec, status, archive.header?.results);
  // A broken sample entry is quarantined, not replaced by its summary: the row would then be counted twice.
  const sampled = new Set([
    ...archive.samples.map((s) => sampleKey(s.sample)),
    ...archive.broken.map((b) => entryKey(b.entry))
  ]);
  // A summary stands in for a sample only when the sample's entry is missing (a run cut off before
  // writing it). Summaries carry no output and may hold a thinned input, so those rows have neither
  // an output excerpt nor an input length or excerpt (their target is kept).
  const items = [
    ...archive.samples,
    ...archive.summaries.filter((s) => !sampled.has(sampleKey(s))).map((s) => ({entry: "summaries", sample: s}))
  ].sort((a, b) => byCase(a.sample, b.sample));
  const records = items.map(({entry, sample}, i) => {
    const record = sampleRecord(sample, i, run, file, {entry});
    if (entry === "summaries") {
      delete record.values.input_chars;
      delete record.values.input_excerpt;
    }
    return record;
  });
  const broken = archive.broken.map(({record}, i) => ({...record, line: items.length + i + 1}));
  if (!records.length && !broken.length)
    return [noSamples({eval: spec, results: archive.header?.results, error: archive.header?.error}, run)];
  return [...records, ...broken];
}

export const inspectEval: Adapter = {
  name: "inspect-ai-eval",
  description: "Inspect AI eval log archive (.eval, Inspect's default log format), including runs cut off mid-way",
  tables: [evalResults.name],
  // A file's head is its first 64 KB decoded as UTF-8: an archive's bytes turn to replacement
  // characters, but its signature and the entry names in the local headers are ASCII and survive.
  detect: (file) =>
    isZipHead(file.head) && /_journal\/start\.json|header\.json|samples\/[^/]+_epoch_\d+\.json/.test(file.head),
  async stage(ctx, file) {
    await stageRecords(ctx, evalResults, file, inspectEval.name, await inspectEvalRecords(file));
  }
};

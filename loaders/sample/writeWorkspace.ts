// Writes the sample workspace: one JSONL file per canonical table plus workbench.config.json.
// Rows stream from generators to disk in chunks, so a million rows never sit in memory at once.
import {once} from "node:events";
import {createWriteStream} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {TableSpec} from "../schema/fields.js";
import * as tables from "../schema/tables.js";
import {corrections} from "./corrections.js";
import {evalResults} from "./evalResults.js";
import {experimentAssignments, experimentOutcomes} from "./experiments.js";
import {flags} from "./flags.js";
import {canonicalLine} from "./jsonl.js";
import {predictions} from "./predictions.js";
import {createRng} from "./random.js";
import {SAMPLE_NOTEBOOK, SAMPLE_NOTEBOOK_NAME} from "./notebook.js";
import {productionRequests} from "./requests.js";
import {sampleSizes} from "./sizes.js";
import {spans} from "./spans.js";
import {DEFAULT_SEED} from "./story.js";
import {workspaceConfig} from "./workspaceConfig.js";

export interface WorkspaceOptions {
  /** Defaults to DEFAULT_SEED. */
  readonly seed?: number | string;
  /** At least this many eval results and spans; defaults to the embedded sample's size. */
  readonly scale?: number;
  /** At least this many spans instead of scale's (with scale, for a bench whose two targets differ: 2M spans, 1M eval results). */
  readonly spans?: number;
}

export interface WrittenFile {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
}

export const CONFIG_FILE = "workbench.config.json";

export async function writeWorkspace(
  outDir: string,
  {seed = DEFAULT_SEED, scale, spans: spanRows}: WorkspaceOptions = {}
): Promise<WrittenFile[]> {
  const sizes = sampleSizes(scale, spanRows);
  const rng = (stream: string) => createRng(seed, stream);
  const requests = () => productionRequests(rng("requests"), {requests: sizes.requests});
  const plan: [TableSpec, () => Iterable<object>][] = [
    [
      tables.evalResults,
      () => evalResults(rng("eval_results"), {caseMultiplier: sizes.caseMultiplier, textRng: rng("eval_texts")})
    ],
    [tables.spans, () => spans(rng("spans"), {requests: requests()})],
    [tables.corrections, () => corrections(rng("corrections"), {requests: requests()})],
    [tables.predictions, () => predictions(rng("predictions"), {itemMultiplier: sizes.itemMultiplier})],
    [tables.flags, () => flags(rng("flags"), {countMultiplier: sizes.flagMultiplier})],
    // Both files replay one stream, so each outcome belongs to an assignment generated alongside it.
    [tables.assignments, () => experimentAssignments(rng("experiments"))],
    [tables.outcomes, () => experimentOutcomes(rng("experiments"))]
  ];
  await mkdir(outDir, {recursive: true});
  const written: WrittenFile[] = [];
  for (const [spec, rows] of plan) written.push(await writeJsonl(join(outDir, `${spec.name}.jsonl`), spec, rows()));
  const config = `${JSON.stringify(workspaceConfig(), null, 2)}\n`;
  await writeFile(join(outDir, CONFIG_FILE), config);
  await mkdir(join(outDir, "notebooks"), {recursive: true});
  await writeFile(join(outDir, "notebooks", SAMPLE_NOTEBOOK_NAME), SAMPLE_NOTEBOOK);
  return [...written, {file: join(outDir, CONFIG_FILE), rows: 1, bytes: Buffer.byteLength(config)}];
}

export async function writeJsonl(
  file: string,
  spec: TableSpec,
  rows: Iterable<object>,
  chunkRows = 8192
): Promise<WrittenFile> {
  const out = createWriteStream(file);
  let chunk: string[] = [];
  let count = 0;
  let bytes = 0;
  const flush = async () => {
    const text = chunk.length ? `${chunk.join("\n")}\n` : "";
    chunk = [];
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  for (const row of rows) {
    chunk.push(canonicalLine(spec, row));
    if (++count % chunkRows === 0) await flush();
  }
  await flush();
  out.end();
  await once(out, "finish");
  return {file, rows: count, bytes};
}

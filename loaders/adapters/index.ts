// Every format the workbench reads. Order matters: specific formats are tried before the native ones.
import type {Adapter} from "./adapter.js";
import {inspectAi} from "./inspectAi.js";
import {inspectEval} from "./inspectEval.js";
import {langfuse} from "./langfuse.js";
import {nativeCsv} from "./nativeCsv.js";
import {nativeJsonl} from "./nativeJsonl.js";
import {openInference} from "./openInference.js";
import {otlpJson} from "./otlpJson.js";
import {predictionsCsv} from "./predictionsCsv.js";
import {openaiEvals} from "./openaiEvals.js";
import {parquet} from "./parquet.js";
import {promptfoo} from "./promptfoo.js";
import {promptfooCsv} from "./promptfooCsv.js";

export const adapters: readonly Adapter[] = [
  parquet,
  promptfoo,
  promptfooCsv,
  openaiEvals,
  inspectAi,
  inspectEval,
  predictionsCsv,
  otlpJson,
  langfuse,
  openInference,
  nativeJsonl,
  nativeCsv
];

export function adapterNamed(name: string): Adapter {
  const adapter = adapters.find((a) => a.name === name);
  if (!adapter) throw new Error(`unknown format "${name}"; expected one of ${adapters.map((a) => a.name).join(", ")}`);
  return adapter;
}

/** Plain words for an empty page: which files would fill this table. */
export function fillHint(table: string): string {
  const formats = adapters.filter((a) => a.tables.includes(table)).map((a) => a.description);
  return `Add a file such as ${table}.jsonl to the workspace (${formats.join("; ")}).`;
}

// Where the exported Parquet tables (loaders/explore/) are in the built site, and each opened once per
// page: Explore and notebooks (exploreData.ts), the filters (sliceDatabase.ts) and the case view
// (caseData.ts) read the same files.
import {FileAttachment} from "observablehq:stdlib";
import {rememberedByKey} from "../lib/remembered.js";
import {openParquetUrl} from "./exportedFile.js";

// Literal paths: Framework copies into the site only the files a FileAttachment names literally. Only
// their href is taken: a bare FileAttachment("….parquet") makes Framework add parquet-wasm to the page
// (its own Parquet reader, fetched from a CDN at build), which these pages do not use.
export const exploreHrefs: Readonly<Record<string, string>> = {
  eval_results: FileAttachment("../data/explore/eval_results.parquet").href,
  spans: FileAttachment("../data/explore/spans.parquet").href,
  requests: FileAttachment("../data/explore/requests.parquet").href,
  corrections: FileAttachment("../data/explore/corrections.parquet").href,
  predictions: FileAttachment("../data/explore/predictions.parquet").href,
  flags: FileAttachment("../data/explore/flags.parquet").href,
  assignments: FileAttachment("../data/explore/assignments.parquet").href,
  outcomes: FileAttachment("../data/explore/outcomes.parquet").href
};

const opened = rememberedByKey<string, Awaited<ReturnType<typeof openParquetUrl>>>();

/**
 * An exported table's Parquet file and its footer, opened once per page: the database's loads, the pages
 * that read a few rows themselves (the traces' top trace ids, eval triage's listed cases) and the case
 * view share one reader and count their bytes alike. A file that failed to open (a request dropped) is
 * opened again by the next reader (src/lib/remembered.ts).
 */
export function openExported(name: string): ReturnType<typeof openParquetUrl> {
  return opened.get(name, () => openParquetUrl(exploreHrefs[name]));
}

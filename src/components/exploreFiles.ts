// Where the exported Parquet tables (loaders/explore/) are in the built site: Explore and notebooks
// (exploreData.ts) and the case view (caseData.ts) read the same files.
import {FileAttachment} from "observablehq:stdlib";

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

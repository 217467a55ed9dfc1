// The cost curve of a cold build's data work at 1M and 5M spans, and at 20M with SCALE_BENCH_20M=1
// (about 8 GB of JSONL and an hour on a busy 2-core machine, so it is opt-in): spans, corrections and
// eval results in the proportions of issue #16's ten-times scale (20M : 4M : 5M), written by the
// production bench's generator. Each size is measured against DuckDB's plain read_json of the same
// files into a database file, in the same process and in turns (build, reference, build, reference…),
// and every run is printed so the spread shows:
// - ingest: the validated ingest into an on-disk warehouse, as a build does it (target ≤ 1.5×);
// - ingest and pages: ingest, then every page of the registry computed over that warehouse on one
//   read-only connection as the build pipeline does (the data work of a cold build, same target), with
//   the largest page's data size (target ≤ 2 MB a page);
// - peak memory: the process's resident set during the first build, sampled every 100 ms, against the
//   DuckDB memory limit in effect (loaders/warehouse/duckdb.ts; beyond it DuckDB spills to its temporary folder).
// Generated files and databases are deleted after each size unless SCALE_BENCH_KEEP=1.
import {rmSync} from "node:fs";
import {join} from "node:path";
import {pages} from "../../loaders/pages/registry.js";
import {configSchema} from "../../loaders/schema/config.js";
import {duckdbResources, openDatabase} from "../../loaders/warehouse/duckdb.js";
import type {Workspace} from "../../loaders/workspace/config.js";
import {coldIngest, config, generate, reference, removeDatabase} from "./production.bench.js";
import type {Bench, BenchResult} from "./types.js";

const SIZES = process.env.SCALE_BENCH_SPANS
  ? process.env.SCALE_BENCH_SPANS.split(",").map(Number)
  : [1_000_000, 5_000_000, ...(process.env.SCALE_BENCH_20M === "1" ? [20_000_000] : [])];
/** Runs of the reference and of the build at each size; the 20M run is once, as it takes long. */
const runsAt = (spans: number) => Number(process.env.SCALE_BENCH_RUNS ?? (spans >= 20_000_000 ? 1 : 2));
const INGEST_MAX = 1.5;
const PAGE_BYTES_MAX = 2_000_000;

/** Runs fn while sampling the process's resident memory; the peak includes DuckDB's native memory. */
async function measured<T>(fn: () => Promise<T>): Promise<{seconds: number; peakBytes: number; value: T}> {
  let peakBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, process.memoryUsage.rss())), 100);
  const start = performance.now();
  try {
    const value = await fn();
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
    return {seconds: (performance.now() - start) / 1000, peakBytes, value};
  } finally {
    clearInterval(sampler);
  }
}

interface BuildRun {
  ingest: number;
  pages: number;
  peakBytes: number;
  pageBytes: Record<string, number>;
  /** Where the pages' time goes: the slowest pages are named in the report. */
  pageSeconds: Record<string, number>;
}

async function build(dir: string, warehouse: string, workspace: Workspace): Promise<BuildRun> {
  const ingest = await measured(() => coldIngest(dir, warehouse, workspace));
  const computed = await measured(async () => {
    const db = await openDatabase(warehouse, {readOnly: true});
    const pageBytes: Record<string, number> = {};
    const pageSeconds: Record<string, number> = {};
    try {
      for (const [name, compute] of Object.entries(pages)) {
        const start = performance.now();
        pageBytes[name] = Buffer.byteLength(JSON.stringify(await compute(db, workspace)));
        pageSeconds[name] = (performance.now() - start) / 1000;
      }
    } finally {
      db.close();
    }
    return {pageBytes, pageSeconds};
  });
  return {
    ingest: ingest.seconds,
    pages: computed.seconds,
    peakBytes: Math.max(ingest.peakBytes, computed.peakBytes),
    ...computed.value
  };
}

const list = (xs: number[], digits = 1) => xs.map((x) => x.toFixed(digits)).join(" / ");
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;

const bench: Bench = async ({scaleDir}) => {
  const {memoryLimit} = duckdbResources();
  const results: BenchResult[] = [];
  for (const spans of SIZES) {
    const label = `${spans / 1e6}M`;
    const sizes = {spans, corrections: spans / 5, evalResults: spans / 4, flags: spans / 400};
    const dir = join(scaleDir, `scale-${label}`);
    const warehouse = join(scaleDir, `scale-${label}.duckdb`);
    const referencePath = join(scaleDir, `scale-${label}-reference.duckdb`);
    console.error(
      `  generating ${label} spans, ${sizes.corrections / 1e6}M corrections, ${sizes.evalResults / 1e6}M eval results`
    );
    await generate(dir, sizes);
    const workspace: Workspace = {root: dir, config: configSchema.parse(config), configFiles: []};
    const refs: {seconds: number; peakBytes: number}[] = [];
    const runs: BuildRun[] = [];
    try {
      for (let run = 0; run < runsAt(spans); run++) {
        console.error(`  ${label}: run ${run + 1} of ${runsAt(spans)}`);
        // The build first: the process's resident set only grows (the allocator keeps what DuckDB freed),
        // so the first build's peak is its own, not the reference's.
        runs.push(await build(dir, warehouse, workspace));
        refs.push(await measured(() => reference(dir, referencePath)));
      }
    } finally {
      removeDatabase(warehouse);
      if (process.env.SCALE_BENCH_KEEP !== "1") rmSync(dir, {recursive: true, force: true});
    }
    const ref = Math.min(...refs.map((r) => r.seconds));
    const fastest = runs.reduce((a, b) => (b.ingest < a.ingest ? b : a));
    const referenceOf = {
      name: `read_json of the same files into a database file (${list(refs.map((r) => r.seconds))} s)`,
      seconds: ref
    };
    const peak = runs[0].peakBytes;
    const biggest = Object.entries(fastest.pageBytes).sort((a, b) => b[1] - a[1])[0];
    results.push(
      {
        name: `scale ${label}: cold ingest of ${label} spans + ${sizes.corrections / 1e6}M corrections + ${sizes.evalResults / 1e6}M eval results`,
        seconds: fastest.ingest,
        reference: referenceOf,
        target: {max: INGEST_MAX, of: "ratio"},
        value: fastest.ingest / ref,
        note: `runs ${list(runs.map((r) => r.ingest))} s; peak memory ${gb(peak)} (reference ${gb(Math.max(...refs.map((r) => r.peakBytes)))}) under memory_limit ${memoryLimit}`
      },
      {
        name: `scale ${label}: cold ingest + all ${Object.keys(pages).length} pages' data (one connection), a cold build's data work`,
        seconds: fastest.ingest + fastest.pages,
        reference: referenceOf,
        target: {max: INGEST_MAX, of: "ratio"},
        value: (fastest.ingest + fastest.pages) / ref,
        note: `pages alone: runs ${list(runs.map((r) => r.pages))} s; slowest ${Object.entries(fastest.pageSeconds)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`)
          .join(", ")}`
      },
      {
        name: `scale ${label}: largest page data (${biggest[0]})`,
        seconds: fastest.pages,
        reference: null,
        target: {max: PAGE_BYTES_MAX, of: "bytes"},
        value: biggest[1]
      }
    );
  }
  return results;
};

export default bench;

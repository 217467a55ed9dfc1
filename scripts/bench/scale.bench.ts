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
// Every run's wall and CPU seconds (the process's, DuckDB's threads included) and the load average are
// printed and appended, as each run ends, to .workbench/bench/scale.log (SCALE_BENCH_LOG), so a long
// unattended run (20M) leaves its figures even if it is stopped before the report.
// SCALE_BENCH_PAGES=0 measures the ingest alone (no pages), for comparing ingest code in turns.
// Generated files and databases are deleted after each size unless SCALE_BENCH_KEEP=1.
import {appendFileSync, mkdirSync, rmSync} from "node:fs";
import {loadavg} from "node:os";
import {dirname, join} from "node:path";
import {pages} from "../../loaders/pages/registry.js";
import {SharedResults} from "../../loaders/pages/shared.js";
import type {TriageOverview} from "../../loaders/queries/triageFiles.js";
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

const PAGES = process.env.SCALE_BENCH_PAGES !== "0";

interface Measured<T> {
  seconds: number;
  /** The process's CPU seconds (user and system, every thread: DuckDB's work is on its own threads). */
  cpu: number;
  peakBytes: number;
  /** The 1-minute load average at the start and at the end. */
  load: [number, number];
  value: T;
}

/** Runs fn while sampling the process's resident memory; the peak includes DuckDB's native memory. */
async function measured<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  let peakBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, process.memoryUsage.rss())), 100);
  const load = loadavg()[0];
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    const value = await fn();
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - start) / 1000,
      cpu: (used.user + used.system) / 1e6,
      peakBytes,
      load: [load, loadavg()[0]],
      value
    };
  } finally {
    clearInterval(sampler);
  }
}

const logPath = () => process.env.SCALE_BENCH_LOG ?? join(".workbench", "bench", "scale.log");

/** One line per measured step, written as it ends (and on stderr): a stopped run keeps what it measured. */
function logged(size: string, step: string, m: Measured<unknown>): void {
  const line = `${new Date().toISOString()} ${size} ${step}: ${m.seconds.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s cpu, load ${m.load.map((l) => l.toFixed(1)).join("–")}, peak ${gb(m.peakBytes)}`;
  console.error(`  ${line}`);
  mkdirSync(dirname(logPath()), {recursive: true});
  appendFileSync(logPath(), line + "\n");
}

interface BuildRun {
  ingest: number;
  ingestCpu: number;
  pages: number;
  pagesCpu: number;
  /** The load average at the start of the ingest and at the end of the pages. */
  load: [number, number];
  peakBytes: number;
  pageBytes: Record<string, number>;
  /** Where the pages' time goes: the slowest pages are named in the report. */
  pageSeconds: Record<string, number>;
}

async function build(label: string, dir: string, warehouse: string, workspace: Workspace): Promise<BuildRun> {
  const ingest = await measured(() => coldIngest(dir, warehouse, workspace.config));
  logged(label, "cold ingest", ingest);
  const computed = await measured(async () => {
    const pageBytes: Record<string, number> = {};
    const pageSeconds: Record<string, number> = {};
    if (!PAGES) return {pageBytes, pageSeconds};
    const db = await openDatabase(warehouse, {readOnly: true});
    // One set of shared results for all pages, as the build's pipeline passes (loaders/pages/computePages.ts):
    // without it the home page, the brief and its draft computed every page's queries again, and the
    // traces cells and values were computed twice; at 20M that made the pages 562.6 s of wall time.
    const shared = new SharedResults(workspace);
    try {
      for (const [name, compute] of Object.entries(pages)) {
        const start = performance.now();
        const value = await compute(db, workspace, shared);
        pageBytes[name] = Buffer.byteLength(JSON.stringify(value));
        pageSeconds[name] = (performance.now() - start) / 1000;
        // Eval triage fetches its overview and the chosen suite's block of eval-triage-suites.json, never
        // the whole file (loaders/queries/triageFiles.ts): what it fetches at most when it opens is the
        // overview and the largest block.
        if (name === "eval-triage") {
          const largest = Math.max(0, ...(value as TriageOverview).blocks.map((b) => b.bytes));
          pageBytes["eval-triage opening (eval-triage.json and the largest suite block)"] = pageBytes[name] + largest;
        }
      }
    } finally {
      db.close();
    }
    return {pageBytes, pageSeconds};
  });
  if (PAGES) logged(label, "pages", computed);
  return {
    ingest: ingest.seconds,
    ingestCpu: ingest.cpu,
    pages: computed.seconds,
    pagesCpu: computed.cpu,
    load: [ingest.load[0], computed.load[1]],
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
    logged(label, "files generated (or found)", await measured(() => generate(dir, sizes)));
    const workspace: Workspace = {root: dir, config: configSchema.parse(config), configFiles: []};
    const refs: Measured<void>[] = [];
    const runs: BuildRun[] = [];
    try {
      for (let run = 0; run < runsAt(spans); run++) {
        console.error(`  ${label}: run ${run + 1} of ${runsAt(spans)}`);
        // The build first: the process's resident set only grows (the allocator keeps what DuckDB freed),
        // so the first build's peak is its own, not the reference's.
        runs.push(await build(label, dir, warehouse, workspace));
        refs.push(await measured(() => reference(dir, referencePath)));
        logged(label, "reference read_json", refs.at(-1)!);
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
    // Each build against the reference read right after it: the pair saw the same load.
    const perTurn = (value: (run: BuildRun) => number, cpu: (run: BuildRun) => number) =>
      `wall ÷ reference per turn ${runs.map((r, i) => `${(value(r) / refs[i].seconds).toFixed(2)}×`).join(", ")}; ` +
      `CPU ${runs.map((r, i) => `${cpu(r).toFixed(1)} s ÷ ${refs[i].cpu.toFixed(1)} s = ${(cpu(r) / refs[i].cpu).toFixed(2)}×`).join(", ")}`;
    const loads = [...runs, ...refs].flatMap((r) => r.load);
    results.push({
      name: `scale ${label}: cold ingest of ${label} spans + ${sizes.corrections / 1e6}M corrections + ${sizes.evalResults / 1e6}M eval results`,
      seconds: fastest.ingest,
      reference: referenceOf,
      target: {max: INGEST_MAX, of: "ratio"},
      value: fastest.ingest / ref,
      note:
        `runs ${list(runs.map((r) => r.ingest))} s; ${perTurn(
          (r) => r.ingest,
          (r) => r.ingestCpu
        )}; load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ` +
        `peak memory ${gb(peak)} (reference ${gb(Math.max(...refs.map((r) => r.peakBytes)))}) under memory_limit ${memoryLimit}`
    });
    if (!PAGES) continue;
    // The suites file is counted by what the page fetches of it (the opening entry), not whole.
    const bySize = Object.entries(fastest.pageBytes)
      .filter(([name]) => name !== "eval-triage-suites")
      .sort((a, b) => b[1] - a[1]);
    const biggest = bySize[0];
    const inMB = (entries: [string, number][]) =>
      entries.map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(2)} MB`).join(", ");
    results.push(
      {
        name: `scale ${label}: cold ingest + all ${Object.keys(pages).length} pages' data (one connection), a cold build's data work`,
        seconds: fastest.ingest + fastest.pages,
        reference: referenceOf,
        target: {max: INGEST_MAX, of: "ratio"},
        value: (fastest.ingest + fastest.pages) / ref,
        note: `pages alone: runs ${list(runs.map((r) => r.pages))} s (CPU ${list(runs.map((r) => r.pagesCpu))} s); ${perTurn(
          (r) => r.ingest + r.pages,
          (r) => r.ingestCpu + r.pagesCpu
        )}; slowest ${Object.entries(fastest.pageSeconds)
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
        value: biggest[1],
        // Every page over the budget, not only the largest: one file's size would hide a second.
        note: `over ${PAGE_BYTES_MAX / 1e6} MB: ${inMB(bySize.filter(([, bytes]) => bytes > PAGE_BYTES_MAX)) || "none"}; the next largest ${inMB(
          bySize
            .slice(1)
            .filter(([, bytes]) => bytes <= PAGE_BYTES_MAX)
            .slice(0, 3)
        )}; read by suite, never whole: eval-triage-suites ${((fastest.pageBytes["eval-triage-suites"] ?? 0) / 1e6).toFixed(2)} MB`
      }
    );
  }
  return results;
};

export default bench;

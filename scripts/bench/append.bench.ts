// Append: one day's files added to a workspace of 2M spans kept as one file per day (the production
// bench's spans, split by the day each trace starts, with its corrections, eval results and flags),
// through the build's own path (ensureWarehouse: hashes remembered by stat, the warehouse updated in
// place in one transaction), then the production pages' aggregates over the whole warehouse. The
// reference, in the same run: the same day's file ingested alone into an empty warehouse, plus the
// same aggregates. Old files must not be read again, so the ratio stays near 1 whatever the history.
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync
} from "node:fs";
import {createReadStream} from "node:fs";
import {createInterface} from "node:readline";
import {join} from "node:path";
import {correctionsPage} from "../../loaders/queries/corrections.js";
import {driftPage} from "../../loaders/queries/drift.js";
import {safetyPage} from "../../loaders/queries/safety.js";
import {tracesPage} from "../../loaders/queries/traces.js";
import {openDatabase} from "../../loaders/warehouse/duckdb.js";
import {ensureWarehouse, warehouseFiles, warehousePath} from "../../loaders/warehouse/warehouse.js";
import {resolveWorkspace, type Workspace} from "../../loaders/workspace/config.js";
import {generateProduction, productionConfig} from "./production.bench.js";
import type {Bench, BenchResult} from "./types.js";
import {time} from "./types.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 2);
/**
 * The workspace's size: 2M spans (with 400k corrections, 20k eval results, 5k flags), or
 * APPEND_BENCH_SPANS spans with the other tables scaled alike, for a machine or a session too short
 * for 2M (about 17 minutes of cold build under load). APPEND_BENCH_EVAL_RESULTS sets the eval results
 * apart: issue #16's append is into 20M spans and 5M eval results, five times the spans' share here.
 */
const SPANS = Number(process.env.APPEND_BENCH_SPANS ?? 2_000_000);
const scale = SPANS / 2_000_000;
const sizes = {
  spans: SPANS,
  corrections: Math.round(400_000 * scale),
  evalResults: Number(process.env.APPEND_BENCH_EVAL_RESULTS ?? Math.round(20_000 * scale)),
  flags: Math.round(5_000 * scale)
};
const count = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : `${n / 1000}k`);
// The folders are kept between runs: one of another eval results count is another workspace.
const label = `${count(SPANS)}${process.env.APPEND_BENCH_EVAL_RESULTS ? `-${count(sizes.evalResults)}-evals` : ""}`;
const others = ["corrections", "eval_results", "flags"];

/** Splits spans.jsonl into one file per day (a trace goes to the day its first span starts), once. */
async function splitByDay(source: string, dir: string): Promise<string[]> {
  const done = join(dir, ".split-done");
  mkdirSync(dir, {recursive: true});
  if (!existsSync(done)) {
    const fds = new Map<string, number>();
    const buffers = new Map<string, string[]>();
    const flush = (day: string) => {
      writeSync(fds.get(day)!, buffers.get(day)!.join(""));
      buffers.set(day, []);
    };
    let trace = "";
    let day = "";
    for await (const line of createInterface({input: createReadStream(source), crlfDelay: Infinity})) {
      const id = /"trace_id":"([^"]+)"/.exec(line)?.[1] ?? "";
      if (id !== trace) {
        trace = id;
        day = /"start_time":"(\d{4}-\d{2}-\d{2})/.exec(line)?.[1] ?? "unknown";
      }
      if (!fds.has(day)) {
        fds.set(day, openSync(join(dir, `spans-${day}.jsonl`), "w"));
        buffers.set(day, []);
      }
      const buffer = buffers.get(day)!;
      buffer.push(line + "\n");
      if (buffer.length >= 10_000) flush(day);
    }
    for (const d of fds.keys()) {
      flush(d);
      closeSync(fds.get(d)!);
    }
    writeFileSync(done, "");
  }
  return readdirSync(dir)
    .filter((f) => f.startsWith("spans-"))
    .sort();
}

const pages = {traces: tracesPage, corrections: correctionsPage, drift: driftPage, safety: safetyPage};

async function aggregate(path: string, workspace: Workspace): Promise<number> {
  const db = await openDatabase(path, {readOnly: true});
  try {
    const {seconds} = await time(async () => {
      for (const page of Object.values(pages)) JSON.stringify(await page(db, workspace));
    });
    return seconds;
  } finally {
    db.close();
  }
}

const bench: Bench = async ({scaleDir}) => {
  const production = join(scaleDir, `production-${label}`);
  console.error(`  generating the ${label} workspace into ${production} (once)`);
  await generateProduction(production, sizes);
  const days = await splitByDay(join(production, "spans.jsonl"), join(scaleDir, `append-${label}-days`));
  const newDay = days.at(-1)!;
  // The workspace: every day but the last, and the other tables; the last day's file alone in another.
  const base = join(scaleDir, `append-${label}`);
  const alone = join(scaleDir, `append-${label}-newday`);
  for (const dir of [base, alone]) {
    rmSync(dir, {recursive: true, force: true});
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, "workbench.config.json"), JSON.stringify(productionConfig));
  }
  for (const day of days.slice(0, -1)) linkSync(join(scaleDir, `append-${label}-days`, day), join(base, day));
  for (const t of others) linkSync(join(production, `${t}.jsonl`), join(base, `${t}.jsonl`));
  linkSync(join(scaleDir, `append-${label}-days`, newDay), join(alone, newDay));
  const env = (root: string) => ({
    ...process.env,
    WORKBENCH_WORKSPACE: root,
    WORKBENCH_BUILD_TIME: "2026-11-22T00:00:00Z"
  });
  const baseWarehouse = warehousePath(resolveWorkspace(env(base)));
  const aloneWarehouse = warehousePath(resolveWorkspace(env(alone)));
  const clear = (path: string) => {
    for (const f of warehouseFiles(path)) rmSync(f, {force: true});
  };
  // Hashes of files linked in under 2 s ago are not remembered; wait, so the base build remembers them.
  await new Promise((resolve) => setTimeout(resolve, 2100));
  clear(baseWarehouse);
  console.error(`  building the warehouse of ${days.length - 1} days (once)`);
  const cold = await time(() => ensureWarehouse({env: env(base)}));
  const saved = warehouseFiles(baseWarehouse).filter(existsSync);
  for (const f of saved) copyFileSync(f, `${f}.base`);
  const workspace = resolveWorkspace(env(base));
  const best = {append: Infinity, alone: Infinity, pages: Infinity, read: [] as string[], reread: 0};
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const f of saved) copyFileSync(`${f}.base`, f);
      linkSync(join(scaleDir, `append-${label}-days`, newDay), join(base, newDay));
      const append = await time(() => ensureWarehouse({env: env(base)}));
      rmSync(join(base, newDay));
      const pagesSeconds = await aggregate(baseWarehouse, workspace);
      clear(aloneWarehouse);
      const dayAlone = await time(() => ensureWarehouse({env: env(alone)}));
      if (append.seconds < best.append) {
        best.append = append.seconds;
        best.read = append.value.changes?.changed ?? ["(built from empty)"];
        best.reread = Object.keys(append.value.changes?.reread ?? {}).length;
      }
      best.alone = Math.min(best.alone, dayAlone.seconds);
      best.pages = Math.min(best.pages, pagesSeconds);
    }
  } finally {
    for (const f of saved) rmSync(`${f}.base`, {force: true});
    clear(aloneWarehouse);
  }
  const results: BenchResult[] = [
    {
      name: `append: one day's spans (${newDay}) added to ${days.length - 1} days of ${count(SPANS)} spans + ${sizes.corrections} corrections + ${sizes.evalResults} eval results, plus the 4 production pages' aggregates`,
      seconds: best.append + best.pages,
      reference: {
        name: "that day's file ingested alone into an empty warehouse, plus the same aggregates",
        seconds: best.alone + best.pages
      },
      target: {max: 1.5, of: "ratio"},
      value: (best.append + best.pages) / (best.alone + best.pages),
      note: `update in place ${best.append.toFixed(2)} s (read: ${best.read.join(", ")}; ${best.reread} unchanged file(s) read again), day alone ${best.alone.toFixed(2)} s, aggregates ${best.pages.toFixed(2)} s; the whole workspace built from empty took ${cold.seconds.toFixed(1)} s`
    }
  ];
  return results;
};

export default bench;

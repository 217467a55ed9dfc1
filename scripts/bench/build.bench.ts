// The whole build of the sample workspace against its floor: `observable build` of the same pages with
// every data file already in Framework's cache, which is Framework's own cost and no data work. Four
// builds are measured against it: cold (no warehouse, no Framework cache), nothing changed, and
// config-only changes (a gate threshold, a price). The sample is copied to a temporary workspace, so its
// own warehouse and config are left alone.
//
// Each build is paired with a floor run just before it, and judged by the median of its pairs' ratios.
// On a shared 2-core machine the floor alone moved from 17 to 26 s between runs of one bench (and from
// 66 to 88 s under heavier load), so a build's fastest run over the floor's fastest run, taken minutes
// apart, measured the load more than the build; a build beside its own floor sees the same machine.
//
// The cold build's floor is Framework's own cost on a cold cache: the same `observable build` with the
// data files written but without the bundles Framework makes of the pages' node_modules imports
// (cache/_node), which a cold build has to make again whatever the data work costs (about 80 s of a
// loaded machine's cold build, h4's profile in docs/scale.md). Against the warm floor the cold build
// would be charged for Framework's bundling; both ratios are printed.
import {spawnSync} from "node:child_process";
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {loadavg, tmpdir} from "node:os";
import {join} from "node:path";
import {hermeticBuildEnv} from "../../loaders/hermetic/buildEnv.js";
import {warehouseFiles, warehousePath} from "../../loaders/warehouse/warehouse.js";
import {projectRoot, resolveWorkspace} from "../../loaders/workspace/config.js";
import type {Bench, BenchResult} from "./types.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** GNU time, when the machine has it: the CPU seconds of a build and of every process it starts. */
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Runs a build into a folder of its own: Framework does not clear an output folder outside the project.
 * Wall seconds, CPU seconds (user + system, the build and its children; NaN without GNU time) and the
 * load average when it started: on a shared machine the wall time follows the load, the CPU time less.
 */
function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv
): {seconds: number; cpu: number; load: number; output: string} {
  const dist = mkdtempSync(join(tmpdir(), "workbench-bench-dist-"));
  const load = loadavg()[0];
  const start = performance.now();
  if (gnuTime) [command, args] = [gnuTime, ["-f", "bench-cpu %U %S", command, ...args]];
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    env: {...env, WORKBENCH_OUTPUT: dist},
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  });
  const seconds = (performance.now() - start) / 1000;
  rmSync(dist, {recursive: true, force: true});
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${output}`);
  const used = /bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return {seconds, cpu: used ? Number(used[1]) + Number(used[2]) : NaN, load, output};
}

type Run = ReturnType<typeof timed>;

/** Every run, in order: wall seconds, CPU seconds and the 1-minute load average at its start. */
const spread = (runs: Run[]) =>
  `runs ${runs.map((r) => `${r.seconds.toFixed(1)} s (cpu ${r.cpu.toFixed(1)} s, load ${r.load.toFixed(0)})`).join(" / ")}`;

const bench: Bench = async () => {
  const workspace = mkdtempSync(join(tmpdir(), "workbench-bench-sample-"));
  cpSync(join(projectRoot, "data", "sample"), workspace, {recursive: true});
  // WORKBENCH_PROFILE: each build's stages (ingest, requests, page data, Explore files, Framework)
  // are printed for the cold and price builds, to show where their time goes.
  const env = {...process.env, OPENAI_API_KEY: "", WORKBENCH_WORKSPACE: workspace, WORKBENCH_PROFILE: "1"};
  const stages = (name: string, run: Run) =>
    console.error(
      `  ${name} stages:\n${run.output
        .split("\n")
        .filter((l) => /^(profile |page data: |explore tables)/.test(l))
        .map((l) => `    ${l}`)
        .join("\n")}`
    );
  const warehouse = warehousePath(resolveWorkspace(env));
  const configFile = join(workspace, "workbench.config.json");
  // What `npm run build` runs (package.json): the build compiled to one JavaScript file.
  const build = () => timed(process.execPath, ["scripts/compiled.mjs", "scripts/build.ts"], env);
  const floor = () =>
    timed(join(projectRoot, "node_modules", ".bin", "observable"), ["build"], hermeticBuildEnv(projectRoot, env));
  /** The floor on Framework's cold cache: the data files kept, its bundles of node_modules imports removed. */
  const coldFloor = () => {
    rmSync(join(projectRoot, "src", ".observablehq", "cache", "_node"), {recursive: true, force: true});
    return floor();
  };
  const times = {
    coldFloor: [] as Run[],
    cold: [] as Run[],
    unchanged: [] as Run[],
    config: [] as Run[],
    price: [] as Run[]
  };
  /** The floor run just before each build, by build: index i pairs with the build's run i. */
  const floors = {cold: times.coldFloor, unchanged: [] as Run[], config: [] as Run[], price: [] as Run[]};
  /** Which pages the build computed again, from its "page data: …" line. */
  const computedPages = (output: string) => /page data: (\d+) computed/.exec(output)?.[1] ?? "?";
  let priceNote = "";
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const file of warehouseFiles(warehouse)) rmSync(file, {force: true});
      rmSync(join(projectRoot, "src", ".observablehq", "cache"), {recursive: true, force: true});
      times.cold.push(build());
      stages("cold", times.cold.at(-1)!);
      // The cold floor needs the data files the cold build wrote, so it runs after it.
      times.coldFloor.push(coldFloor());
      floors.unchanged.push(floor());
      times.unchanged.push(build());
      // The floor runs before the config is written: it builds from the cache whatever the config says.
      floors.config.push(floor());
      const config = JSON.parse(readFileSync(configFile, "utf8"));
      config.launches[0].gates[0].min = run % 2 ? 0.85 : 0.8;
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      const changed = build();
      if (!changed.output.includes("warehouse current"))
        throw new Error(`a gate threshold re-ingested the workspace:\n${changed.output}`);
      times.config.push(changed);
      // A price change: repriced in place (no file read), and only the pages that read a cost computed.
      floors.price.push(floor());
      for (const p of config.prices) p.output_per_mtok *= run % 2 ? 1 / 1.1 : 1.1;
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      const repriced = build();
      if (!repriced.output.includes("warehouse updated in place: 0 new or changed file(s) read"))
        throw new Error(`a price change read a file:\n${repriced.output}`);
      times.price.push(repriced);
      stages("price", repriced);
      priceNote = `${computedPages(repriced.output)} of the pages computed again`;
      const pair = (name: keyof typeof floors) =>
        `${name} ${times[name].at(-1)!.seconds.toFixed(1)} s / ${floors[name].at(-1)!.seconds.toFixed(1)} s`;
      console.error(
        `  run ${run + 1}, build / its floor: ${pair("cold")} (cold floor), ${pair("unchanged")}, ${pair("config")}, ${pair("price")} (${priceNote})`
      );
    }
  } finally {
    for (const file of warehouseFiles(warehouse)) rmSync(file, {force: true});
    rmSync(workspace, {recursive: true, force: true});
  }
  /** The middle value (the mean of the two middle ones for an even count). */
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const ratios = (xs: Run[], of: Run[], by: (r: Run) => number) => xs.map((r, i) => by(r) / by(of[i]));
  const listed = (xs: number[]) => xs.map((x) => `${x.toFixed(2)}×`).join(", ");
  const result = (name: string, xs: Run[], of: Run[], max: number, note = ""): BenchResult => {
    const cold = of === times.coldFloor;
    const wall = ratios(xs, of, (r) => r.seconds);
    const cpu = ratios(xs, of, (r) => r.cpu);
    return {
      name,
      seconds: median(xs.map((r) => r.seconds)),
      reference: {
        name: `${cold ? "observable build with data cached, no node_modules bundles" : "observable build with data cached"}, run just before (median)`,
        seconds: median(of.map((r) => r.seconds))
      },
      target: {max, of: "ratio"},
      value: median(wall),
      note: `${note}median of ${xs.length} pairs; wall ratio per pair ${listed(wall)}; CPU ratio per pair ${listed(cpu)} (median ${median(cpu).toFixed(2)}×); builds ${spread(xs)}; ${cold ? "cold floors" : "floors"} ${spread(of)}`
    };
  };
  // The cold build against the warm floor too: what Framework's bundling of node_modules adds.
  const warm = ratios(times.cold, floors.unchanged, (r) => r.seconds);
  return [
    result("sample build, cold", times.cold, times.coldFloor, 2, `against the warm floor ${listed(warm)}; `),
    result("sample build, nothing changed", times.unchanged, floors.unchanged, 1.2),
    result("sample build, a gate threshold changed (no re-ingest)", times.config, floors.config, 1.2),
    result("sample build, a price changed (no re-ingest)", times.price, floors.price, 1.2, `${priceNote}; `)
  ];
};

export default bench;

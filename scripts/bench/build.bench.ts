// The whole build of the sample workspace against its floor: `observable build` of the same pages with
// every data file already in Framework's cache, which is Framework's own cost and no data work. Three
// builds are measured against it, in turns with the floor so both see the same machine: cold (no
// warehouse, no Framework cache), nothing changed, and a config-only change (a gate threshold). The
// sample is copied to a temporary workspace, so its own warehouse and config are left alone.
import {spawnSync} from "node:child_process";
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {hermeticBuildEnv} from "../../loaders/hermetic/buildEnv.js";
import {warehouseFiles, warehousePath} from "../../loaders/warehouse/warehouse.js";
import {projectRoot, resolveWorkspace} from "../../loaders/workspace/config.js";
import type {Bench, BenchResult} from "./types.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Runs a build into a folder of its own: Framework does not clear an output folder outside the project. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): {seconds: number; output: string} {
  const dist = mkdtempSync(join(tmpdir(), "workbench-bench-dist-"));
  const start = performance.now();
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
  return {seconds, output};
}

const spread = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `runs ${sorted.map((x) => x.toFixed(1)).join(" / ")} s`;
};

const bench: Bench = async () => {
  const workspace = mkdtempSync(join(tmpdir(), "workbench-bench-sample-"));
  cpSync(join(projectRoot, "data", "sample"), workspace, {recursive: true});
  const env = {...process.env, OPENAI_API_KEY: "", WORKBENCH_WORKSPACE: workspace};
  const warehouse = warehousePath(resolveWorkspace(env));
  const configFile = join(workspace, "workbench.config.json");
  // What `npm run build` runs (package.json): the build compiled to one JavaScript file.
  const build = () => timed(process.execPath, ["scripts/compiled.mjs", "scripts/build.ts"], env);
  const floor = () =>
    timed(join(projectRoot, "node_modules", ".bin", "observable"), ["build"], hermeticBuildEnv(projectRoot, env))
      .seconds;
  const times = {floor: [] as number[], cold: [] as number[], unchanged: [] as number[], config: [] as number[]};
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const file of warehouseFiles(warehouse)) rmSync(file, {force: true});
      rmSync(join(projectRoot, "src", ".observablehq", "cache"), {recursive: true, force: true});
      times.cold.push(build().seconds);
      times.floor.push(floor());
      times.unchanged.push(build().seconds);
      const config = JSON.parse(readFileSync(configFile, "utf8"));
      config.launches[0].gates[0].min = run % 2 ? 0.85 : 0.8;
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      const changed = build();
      if (!changed.output.includes("warehouse current"))
        throw new Error(`a gate threshold re-ingested the workspace:\n${changed.output}`);
      times.config.push(changed.seconds);
      console.error(
        `  run ${run + 1}: floor ${times.floor.at(-1)!.toFixed(1)} s, cold ${times.cold.at(-1)!.toFixed(1)} s, unchanged ${times.unchanged.at(-1)!.toFixed(1)} s, config ${times.config.at(-1)!.toFixed(1)} s`
      );
    }
  } finally {
    for (const file of warehouseFiles(warehouse)) rmSync(file, {force: true});
    rmSync(workspace, {recursive: true, force: true});
  }
  // The fastest of each: on a shared machine every disturbance only adds time.
  const floorSeconds = Math.min(...times.floor);
  const result = (name: string, xs: number[], max: number): BenchResult => {
    const seconds = Math.min(...xs);
    return {
      name,
      seconds,
      reference: {name: "observable build with data cached", seconds: floorSeconds},
      target: {max, of: "ratio"},
      value: seconds / floorSeconds,
      note: `${spread(xs)}; floor ${spread(times.floor)}`
    };
  };
  return [
    result("sample build, cold", times.cold, 2),
    result("sample build, nothing changed", times.unchanged, 1.2),
    result("sample build, a gate threshold changed (no re-ingest)", times.config, 1.2)
  ];
};

export default bench;

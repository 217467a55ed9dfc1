// `npm run build` as the integration tests run it: scripts/build.ts compiled, as package.json runs it
// (scripts/compiled.mjs), in a process of its own, into a fresh output folder, and the data files it
// wrote read back. The one place tests start a build.
import {spawn, spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {projectRoot} from "../../loaders/workspace/config.js";

export interface Build {
  status: number | null;
  output: string;
  dist: string;
}

/** What `npm run build` runs: node, the compiling launcher, the script. */
const launcher = [join(projectRoot, "scripts", "compiled.mjs"), "scripts/build.ts"];

/** Environment of a test build. No model drafting unless a test asks for it: the machine's own key must not change what is built. */
const buildEnv = (env: Record<string, string>, dist: string) => ({
  ...process.env,
  OBSERVABLE_TELEMETRY_DISABLE: "true",
  OPENAI_API_KEY: "",
  ...env,
  WORKBENCH_OUTPUT: dist
});

export function build(
  env: Record<string, string>,
  args: string[] = [],
  dist = mkdtempSync(join(tmpdir(), "workbench-dist-"))
): Build {
  const result = spawnSync(process.execPath, [...launcher, ...args], {
    cwd: projectRoot,
    env: buildEnv(env, dist),
    encoding: "utf8",
    timeout: 600_000
  });
  return {status: result.status, output: `${result.stdout}\n${result.stderr}`, dist};
}

/** The same build without blocking this process, so that a server it runs (a fake model API) can answer. */
export function buildAsync(env: Record<string, string>): Promise<Build> {
  const dist = mkdtempSync(join(tmpdir(), "workbench-dist-"));
  const child = spawn(process.execPath, launcher, {cwd: projectRoot, env: buildEnv(env, dist)});
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((done) => child.on("close", (status) => done({status, output, dist})));
}

/** Framework writes a loader's output as dist/_file/data/<name>.<hash>.<ext>. */
export function dataFile(dist: string, name: string): string {
  const dir = join(dist, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name} data file in ${dir}: ${readdirSync(dir).join(", ")}`);
  return readFileSync(join(dir, file), "utf8");
}

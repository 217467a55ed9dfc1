// `npm run build` as the integration tests run it: scripts/build.ts compiled, as package.json runs it
// (scripts/compiled.mjs), in a process of its own, into a fresh output folder, and the data files it
// wrote read back. The one place tests start a build.
import {spawn, spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, dirname, extname, join, relative} from "node:path";
import {acquireBuildLock, checkoutBuildLock} from "../../loaders/warehouse/buildLock.js";
import {projectRoot} from "../../loaders/workspace/config.js";

export interface Build {
  status: number | null;
  output: string;
  dist: string;
}

/** What `npm run build` runs: node, the compiling launcher, the script. */
const launcher = [join(projectRoot, "scripts", "compiled.mjs"), "scripts/build.ts"];

/**
 * How long a test's build waits for another build of this checkout (loaders/warehouse/buildLock.ts): in CI
 * the browser files build sites of their own beside npm test, under the same lock.
 */
export const TEST_BUILD_LOCK_WAIT_MS = 600_000;

/** The checkout's build lock, taken as a test's build takes it: waiting for another build first. */
const takeBuildLock = () => acquireBuildLock(checkoutBuildLock, {waitMs: TEST_BUILD_LOCK_WAIT_MS});

/**
 * Environment of a test build. No model drafting unless a test asks for it: the machine's own key must not
 * change what is built. It waits for the build lock, as the test's own prepareData does.
 */
const buildEnv = (env: Record<string, string>, dist?: string) => ({
  ...process.env,
  OBSERVABLE_TELEMETRY_DISABLE: "true",
  OPENAI_API_KEY: "",
  WORKBENCH_BUILD_LOCK_WAIT_MS: String(TEST_BUILD_LOCK_WAIT_MS),
  ...env,
  ...(dist === undefined ? {} : {WORKBENCH_OUTPUT: dist})
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
    // The build's own time, and the lock's wait before it.
    timeout: 1_200_000
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

export interface Prepared {
  status: number | null;
  output: string;
  /** The page data prepare() left in Framework's cache, as Framework would publish it (cachedData). */
  data: Record<string, string>;
}

/**
 * The part of npm run build before Framework: prepare() (scripts/pipeline.ts: the warehouse, every page's
 * data and the Explore page's Parquet files, written into Framework's cache) run compiled in a process of
 * its own, as the build runs it (test/browser/prepareSite.ts), then the data it wrote read back. For a
 * test's builds before its last, whose question is what the data became: Framework's build of the pages,
 * about 13 s of CPU on any workspace, would only copy these files into dist/ (a test that reads such
 * snapshots ends with a real build and checks that its dist/ holds exactly what cachedData() reads).
 */
export function prepareData(env: Record<string, string>): Prepared {
  const release = takeBuildLock();
  try {
    const result = spawnSync(
      process.execPath,
      [join(projectRoot, "scripts", "compiled.mjs"), "test/browser/prepareSite.ts"],
      {cwd: projectRoot, env: buildEnv(env), encoding: "utf8", timeout: 1_200_000}
    );
    return {status: result.status, output: `${result.stdout}\n${result.stderr}`, data: cachedDataLocked()};
  } finally {
    release();
  }
}

/** Where prepare() writes page data: Framework's cache of data loader outputs, which its build copies into dist/_file/data/. */
const dataCache = join(projectRoot, "src", ".observablehq", "cache", "data");

/**
 * Every data loader's output in Framework's cache (data/<file> for the loader src/data/<file>.ts; not
 * prepare()'s own records there) by the path Framework gives it under dist/_file/data/ (its name with the
 * first 8 hex digits of its content's SHA-256, as Framework's applyHash), as base64: after a build, equal
 * to builtData(dist).
 */
export function cachedData(): Record<string, string> {
  // Read holding the lock: a browser file's build (test/browser/site.ts buildSite), which in CI runs beside
  // npm test, sets this folder aside while it builds and puts it back after.
  const release = takeBuildLock();
  try {
    return cachedDataLocked();
  } finally {
    release();
  }
}

function cachedDataLocked(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dataCache, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dataCache, join(entry.parentPath, entry.name)))
      .filter((file) => existsSync(join(projectRoot, "src", "data", `${file}.ts`)))
      .map((file) => {
        const bytes = readFileSync(join(dataCache, file));
        const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
        const ext = extname(file);
        return [join(dirname(file), `${basename(file, ext)}.${hash}${ext}`), bytes.toString("base64")] as const;
      })
      .sort(([a], [b]) => (a < b ? -1 : 1))
  );
}

/** Every file under a built site's _file/data/ by its path there, as base64. */
export function builtData(dist: string): Record<string, string> {
  const dir = join(dist, "_file", "data");
  return Object.fromEntries(
    readdirSync(dir, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((path) => [relative(dir, path), readFileSync(path).toString("base64")])
  );
}

/** The data file `name` (e.g. "overview") of cachedData or builtData, as text. */
export function dataText(files: Record<string, string>, name: string): string {
  const key = Object.keys(files).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!key) throw new Error(`no ${name} data file among ${Object.keys(files).join(", ")}`);
  return Buffer.from(files[key], "base64").toString("utf8");
}

/** Framework writes a loader's output as dist/_file/data/<name>.<hash>.<ext>. */
export function dataFile(dist: string, name: string): string {
  const dir = join(dist, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name} data file in ${dir}: ${readdirSync(dir).join(", ")}`);
  return readFileSync(join(dir, file), "utf8");
}

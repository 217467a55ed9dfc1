// Every temporary file of a test run in one folder of its own, removed when the run ends. The tests make
// their workspaces, sites and outputs with mkdtemp under the system's temporary folder, and builds they
// start write there too; few removed theirs (one day of CI and local runs on the build machine had left
// 17,000 folders and 44 GB in /tmp, with 18 GB of the disk still free). The vitest configs call useRunTemp() in vitest's
// own process, which then points TMPDIR (read by os.tmpdir()) at the run's folder for itself, its test
// workers and every process they start.
import {existsSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {processAlive} from "../loaders/warehouse/duckdb.js";

const PREFIX = "workbench-tests-";

/** The pid of the run that made a run folder, from its name (workbench-tests-<pid>-XXXXXX). */
export function runTempOwner(folder: string): number | undefined {
  const pid = new RegExp(`^${PREFIX}(\\d+)-[^-]+$`).exec(basename(folder))?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * This process's run folder, made at the first call (TMPDIR is set to it): the same folder when a config is
 * evaluated twice in one process. A nested test run (a test that starts vitest) makes its own inside its
 * parent's. Folders whose run has died (killed before it could remove its own) are removed first.
 */
export function useRunTemp(env: NodeJS.ProcessEnv = process.env): string {
  const current = env.WORKBENCH_TEST_RUN_TEMP;
  if (current && runTempOwner(current) === process.pid && existsSync(current)) return current;
  const base = tmpdir();
  for (const name of readdirSync(base)) {
    const owner = runTempOwner(name);
    if (owner !== undefined && !processAlive(owner)) rmSync(join(base, name), {recursive: true, force: true});
  }
  const folder = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  env.WORKBENCH_TEST_RUN_TEMP = folder;
  env.TMPDIR = folder;
  // On exit, after the last test and teardown: removing it in a global setup's teardown could run while
  // another project of the same run still writes there.
  process.once("exit", () => rmSync(folder, {recursive: true, force: true}));
  return folder;
}

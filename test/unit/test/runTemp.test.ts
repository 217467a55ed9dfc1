import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, dirname, join} from "node:path";
import {describe, expect, test} from "vitest";
import {projectRoot} from "../../../loaders/workspace/config.js";
import {runTempOwner, useRunTemp} from "../../runTemp.js";

/** A process id no process has: above Linux's largest (2^22). */
const DEAD_PID = 4_194_999;

describe("a test run's temporary folder (test/runTemp.ts)", () => {
  test("this run's temporary files go to its own folder, which vitest's process made and owns", () => {
    const folder = tmpdir();
    expect(basename(folder)).toMatch(/^workbench-tests-\d+-/);
    expect(runTempOwner(folder)).not.toBe(process.pid);
    expect(process.env.WORKBENCH_TEST_RUN_TEMP).toBe(folder);
  });

  test("the folder's owner is read from its name only", () => {
    expect(runTempOwner("/tmp/workbench-tests-123-AbC9xz")).toBe(123);
    expect(runTempOwner("workbench-tests-7-x")).toBe(7);
    expect(runTempOwner("workbench-tests-x-AbC9xz")).toBeUndefined();
    expect(runTempOwner("workbench-tests-123-AbC9xz-more")).toBeUndefined();
    expect(runTempOwner("workbench-test-123-AbC9xz")).toBeUndefined();
  });

  test("a run makes its folder once, removes those of runs that died, and keeps those of live ones", () => {
    const base = mkdtempSync(join(tmpdir(), "base-"));
    const dead = join(base, `workbench-tests-${DEAD_PID}-left`);
    const live = join(base, `workbench-tests-${process.ppid}-live`);
    const other = join(base, "workbench-test-unrelated");
    for (const folder of [dead, live, other]) mkdirSync(join(folder, "inside"), {recursive: true});
    const env: NodeJS.ProcessEnv = {TMPDIR: base};
    const saved = process.env.TMPDIR;
    let folder: string;
    try {
      process.env.TMPDIR = base;
      folder = useRunTemp(env);
      expect(useRunTemp(env)).toBe(folder);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(dirname(folder)).toBe(base);
    expect(runTempOwner(folder)).toBe(process.pid);
    expect(env.TMPDIR).toBe(folder);
    expect(readdirSync(base).sort()).toEqual([basename(folder), basename(live), basename(other)].sort());
  });

  test("the folder and everything in it are gone when the process exits", () => {
    const base = mkdtempSync(join(tmpdir(), "base-"));
    const script = `
      import {writeFileSync, mkdirSync} from "node:fs";
      import {join} from "node:path";
      import {useRunTemp} from "./test/runTemp.ts";
      const folder = useRunTemp();
      mkdirSync(join(folder, "a", "b"), {recursive: true});
      writeFileSync(join(folder, "a", "b", "file"), "x");
      console.log(folder);`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: projectRoot,
      env: {...process.env, TMPDIR: base, WORKBENCH_TEST_RUN_TEMP: ""},
      encoding: "utf8"
    });
    expect(run.status, run.stderr).toBe(0);
    const folder = run.stdout.trim();
    expect(dirname(folder)).toBe(base);
    expect(existsSync(folder)).toBe(false);
    // (tsx keeps its compile cache beside it, in the same temporary folder.)
    expect(readdirSync(base).filter((name) => runTempOwner(name) !== undefined)).toEqual([]);
  });
});

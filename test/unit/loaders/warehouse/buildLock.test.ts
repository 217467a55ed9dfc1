// A killed build leaves no orphan behind after the next one, and two builds of one checkout never run at once.
import {spawn, spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {acquireBuildLock, buildLockWaitMs} from "../../../../loaders/warehouse/buildLock.js";
import {removeOrphans} from "../../../../loaders/warehouse/warehouse.js";

/** The pid of a process that has exited (so no process holds it, barring reuse within the test). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {encoding: "utf8"});
  return Number(r.stdout);
}

describe("removeOrphans", () => {
  test("removes the temporary database and WAL of a build that died, and keeps a running build's and other files", () => {
    const dir = mkdtempSync(join(tmpdir(), "orphans-"));
    const path = join(dir, "warehouse-abc.duckdb");
    const dead = deadPid();
    const live = process.ppid;
    for (const name of [
      "warehouse-abc.duckdb",
      `warehouse-abc.duckdb.${dead}.tmp`,
      `warehouse-abc.duckdb.${dead}.tmp.wal`,
      `warehouse-abc.duckdb.${live}.tmp`,
      "warehouse-other.duckdb.1.tmp"
    ]) {
      writeFileSync(join(dir, name), "");
    }
    removeOrphans(path);
    expect(readdirSync(dir).sort()).toEqual(
      ["warehouse-abc.duckdb", `warehouse-abc.duckdb.${live}.tmp`, "warehouse-other.duckdb.1.tmp"].sort()
    );
  });
});

describe("acquireBuildLock", () => {
  test("a second build fails at once naming the running one; the lock is free again once released", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), ".workbench", "build.lock");
    const release = acquireBuildLock(lock);
    expect(() => acquireBuildLock(lock)).toThrow(`another build of this checkout is running (pid ${process.pid})`);
    release();
    expect(existsSync(lock)).toBe(false);
    acquireBuildLock(lock)();
  });

  // The tests' builds wait (WORKBENCH_BUILD_LOCK_WAIT_MS): in CI a browser file's build of its own site
  // held the lock while npm test's next build started.
  test("told to wait, a build takes the lock once the running build releases it", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), "build.lock");
    // Another process holds the lock for a second, then releases it; it writes "held" once it has it.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("node:fs");
        fs.writeFileSync(${JSON.stringify(lock)}, String(process.pid));
        process.stdout.write("held");
        setTimeout(() => fs.rmSync(${JSON.stringify(lock)}), 1000);`
      ],
      {stdio: ["ignore", "pipe", "inherit"]}
    );
    return new Promise<void>((done, fail) => {
      holder.stdout.once("data", () => {
        try {
          expect(() => acquireBuildLock(lock)).toThrow(`another build of this checkout is running (pid ${holder.pid})`);
          const started = Date.now();
          const release = acquireBuildLock(lock, {waitMs: 60_000});
          expect(Date.now() - started).toBeGreaterThanOrEqual(500);
          expect(readFileSync(lock, "utf8")).toBe(String(process.pid));
          release();
          done();
        } catch (error) {
          fail(error);
        }
      });
    });
  });

  test("told to wait, it waits no longer than told, then fails naming the running build", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), "build.lock");
    const release = acquireBuildLock(lock);
    const started = Date.now();
    expect(() => acquireBuildLock(lock, {waitMs: 300})).toThrow(
      `another build of this checkout is running (pid ${process.pid})`
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    release();
  });

  test("the wait is WORKBENCH_BUILD_LOCK_WAIT_MS, and none without it or for a value that is not a positive number", () => {
    expect(buildLockWaitMs({WORKBENCH_BUILD_LOCK_WAIT_MS: "600000"})).toBe(600_000);
    expect(buildLockWaitMs({})).toBe(0);
    expect(buildLockWaitMs({WORKBENCH_BUILD_LOCK_WAIT_MS: "soon"})).toBe(0);
    expect(buildLockWaitMs({WORKBENCH_BUILD_LOCK_WAIT_MS: "-5"})).toBe(0);
  });

  test("an empty lock file is a build taking the lock, until it is older than a build takes to write its pid", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), "build.lock");
    writeFileSync(lock, "");
    expect(() => acquireBuildLock(lock)).toThrow("another build of this checkout is running (starting)");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    acquireBuildLock(lock)();
  });

  test("a lock left by a killed build is taken over", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), "build.lock");
    writeFileSync(lock, String(deadPid()));
    const release = acquireBuildLock(lock);
    release();
  });
});

// A killed build leaves no orphan behind after the next one, and two builds of one checkout never run at once.
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {acquireBuildLock} from "../../../../loaders/warehouse/buildLock.js";
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

  test("a lock left by a killed build is taken over", () => {
    const lock = join(mkdtempSync(join(tmpdir(), "lock-")), "build.lock");
    writeFileSync(lock, String(deadPid()));
    const release = acquireBuildLock(lock);
    release();
  });
});

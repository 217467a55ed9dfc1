// One build per checkout at a time: builds share the warehouse folder and Framework's cache
// (src/.observablehq/cache), and two writing them at once would interleave. A second build fails at
// once, naming the running one, rather than waiting behind a build that may take minutes; unless it is
// told to wait (WORKBENCH_BUILD_LOCK_WAIT_MS), as the tests' builds are: in CI the browser files build
// sites of their own while npm test's builds run, and one failing on the other's lock failed a test.
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from "node:fs";
import {dirname} from "node:path";
import {processAlive} from "./warehouse.js";

export class BuildLockedError extends Error {
  override name = "BuildLockedError";
}

/**
 * Takes the lock at `path` (a file holding the owner's pid) and returns its release; a lock whose owner
 * died is taken over. With waitMs, a lock held by a running build is waited for, up to waitMs, before
 * failing as without it.
 */
export function acquireBuildLock(path: string, {waitMs = 0}: {waitMs?: number} = {}): () => void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return takeBuildLock(path);
    } catch (error) {
      if (!(error instanceof BuildLockedError) || Date.now() >= deadline) throw error;
      // Synchronous, as the build's start is: a sleep that needs no event loop.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(500, Math.max(1, deadline - Date.now())));
    }
  }
}

/** How long a build waits for another build's lock: WORKBENCH_BUILD_LOCK_WAIT_MS, else not at all. */
export function buildLockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.WORKBENCH_BUILD_LOCK_WAIT_MS ?? 0);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function takeBuildLock(path: string): () => void {
  mkdirSync(dirname(path), {recursive: true});
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(path, {force: true});
      process.once("exit", release);
      return () => {
        process.removeListener("exit", release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new BuildLockedError(
          `another build of this checkout is running (pid ${owner}); wait for it to finish. Builds of one checkout share .workbench/ and Framework's cache, so they run one at a time (lock: ${path}).`
        );
      }
      // The owner was killed before it could release the lock.
      rmSync(path, {force: true});
    }
  }
  throw new BuildLockedError(`could not take the build lock ${path}: another build took it first; build again.`);
}

// One build per checkout at a time: builds share the warehouse folder and Framework's cache
// (src/.observablehq/cache), and two writing them at once would interleave. A second build fails at
// once, naming the running one, rather than waiting behind a build that may take minutes; unless it is
// told to wait (WORKBENCH_BUILD_LOCK_WAIT_MS), as the tests' builds are: in CI the browser files build
// sites of their own while npm test's builds run, and one failing on the other's lock failed a test.
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync} from "node:fs";
import {dirname, join} from "node:path";
import {projectRoot} from "../workspace/config.js";
import {processAlive} from "./warehouse.js";

/** The checkout's lock, taken by npm run build and by the tests' own builds. */
export const checkoutBuildLock = join(projectRoot, ".workbench", "build.lock");

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
      const owner = lockOwner(path);
      if (owner === "released") continue;
      if (owner === "taking" || (Number.isInteger(owner) && owner > 0 && processAlive(owner))) {
        throw new BuildLockedError(
          `another build of this checkout is running (${owner === "taking" ? "starting" : `pid ${owner}`}); wait for it to finish. Builds of one checkout share .workbench/ and Framework's cache, so they run one at a time (lock: ${path}).`
        );
      }
      // The owner was killed before it could release the lock.
      rmSync(path, {force: true});
    }
  }
  throw new BuildLockedError(`could not take the build lock ${path}: another build took it first; build again.`);
}

/** How long an empty lock file counts as being taken (its owner writes its pid right after creating it). */
const TAKING_MS = 10_000;

/**
 * The pid in the lock file; "released" when the file went between seeing it and reading it (its owner
 * released it: a waiting build polls, so it meets this); "taking" when it is empty and new, its owner
 * not having written its pid yet. An empty file older than TAKING_MS was left by a build killed in
 * between, and reads as no owner.
 */
function lockOwner(path: string): number | "released" | "taking" {
  try {
    const text = readFileSync(path, "utf8").trim();
    if (text === "" && Date.now() - statSync(path).mtimeMs < TAKING_MS) return "taking";
    return Number(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "released";
    throw error;
  }
}

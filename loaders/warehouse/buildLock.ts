// One build per checkout at a time: builds share the warehouse folder and Framework's cache
// (src/.observablehq/cache), and two writing them at once would interleave. A second build fails at
// once, naming the running one, rather than waiting behind a build that may take minutes.
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from "node:fs";
import {dirname} from "node:path";
import {processAlive} from "./warehouse.js";

export class BuildLockedError extends Error {
  override name = "BuildLockedError";
}

/** Takes the lock at `path` (a file holding the owner's pid) and returns its release; a lock whose owner died is taken over. */
export function acquireBuildLock(path: string): () => void {
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

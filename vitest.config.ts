import {availableParallelism} from "node:os";
import {fileURLToPath} from "node:url";
import {defineConfig} from "vitest/config";
import {useRunTemp} from "./test/runTemp.js";

// The run's temporary files in one folder, removed when it ends (test/runTemp.ts).
const runTemp = useRunTemp();

// npm test runs both projects, the unit project first; npm run test:unit only the first.
export default defineConfig({
  // Components import htl as npm:htl, as Framework resolves it for the pages (src/types.d.ts says why).
  // Framework's standard library exists only in a built site: the unit tests get a stub of the part the
  // components import when they load (test/unit/stubs/observablehqStdlib.ts).
  resolve: {
    alias: [
      {find: "npm:htl", replacement: "htl"},
      {
        find: /^observablehq:stdlib$/,
        replacement: fileURLToPath(new URL("test/unit/stubs/observablehqStdlib.ts", import.meta.url))
      }
    ]
  },
  test: {
    env: {TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true", TMPDIR: runTemp},
    projects: [
      {
        extends: true,
        // In memory and in this process: no site build, no data loader started.
        // Not isolated: the files share one module graph (DuckDB's binding, zod's schemas), which cuts
        // their import time from about 30 s to 5 s; no unit test keeps state between files.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // One DuckDB thread per database: a unit test's warehouse holds a few rows, and DuckDB's default
          // (a thread per core) only adds scheduling, about a quarter more CPU per ingest, on cores the
          // workers already fill (loaders/warehouse/duckdb.ts, WORKBENCH_THREADS).
          env: {WORKBENCH_THREADS: "1"},
          isolate: false,
          // One worker per core: vitest's default leaves one core free (one worker on 2 cores), which
          // halved npm test's speed on its unit files. Their time is DuckDB's, not the test process's.
          maxWorkers: availableParallelism(),
          sequence: {groupOrder: 0},
          // A timeout is there to stop a hang, not to judge speed. In CI, beside the browser files, tests
          // with no timeout of their own took up to 23 s (three clean-clone runs) where 30 s was the limit,
          // and one CI run failed in npm test with its output cut off; a slower machine must not fail them.
          testTimeout: 90_000,
          hookTimeout: 120_000
        }
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // Builds the sample site once for every file that reads it (test/integration/sampleSite.ts).
          globalSetup: ["test/integration/sampleSite.ts"],
          // After the unit files, two files at a time. Builds of one checkout take .workbench/build.lock, so
          // two at once would fail, but only build.test.ts builds (siteBuild.ts), one build after another; the
          // other files run loaders or ingest into workspaces of their own, and fill the core its builds leave
          // idle (Framework's build of the pages runs on one). build.test.ts, the longest, starts first: in a
          // clean clone vitest orders by size, and it is among the two largest.
          maxWorkers: 2,
          sequence: {groupOrder: 1},
          testTimeout: 90_000,
          hookTimeout: 600_000
        }
      }
    ]
  }
});

import {defineConfig} from "vitest/config";

// npm test runs both projects; npm run test:unit only the first.
export default defineConfig({
  test: {
    env: {TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true"},
    projects: [
      {
        extends: true,
        // In memory and in this process: no site build, no data loader started.
        // Not isolated: the files share one module graph (DuckDB's binding, zod's schemas), which cuts
        // their import time from about 30 s to 5 s; no unit test keeps state between files.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          isolate: false,
          testTimeout: 30_000,
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
          testTimeout: 30_000,
          hookTimeout: 600_000
        }
      }
    ]
  }
});

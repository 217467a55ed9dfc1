import {defineConfig} from "vitest/config";

// npm run test:browser: the built site in Chromium, one page at a time (each page starts DuckDB).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    env: {TZ: "UTC"}
  }
});

import {defineConfig} from "vitest/config";

// npm run test:browser: the built site in Chromium, one page at a time (each page starts DuckDB).
export default defineConfig({
  // Components import htl as npm:htl, as Framework resolves it for the pages (src/types.d.ts says why).
  resolve: {alias: {"npm:htl": "htl"}},
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    env: {TZ: "UTC"}
  }
});

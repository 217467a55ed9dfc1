import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    // Integration tests build the whole site; unit tests share one machine with them.
    testTimeout: 30_000,
    hookTimeout: 600_000,
    env: {TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true"},
  },
});

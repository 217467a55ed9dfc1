// The build refuses the network: a fetch to any host but this machine (and the model server a key
// names) fails at once with the URL and the fix, in the build and in every loader it starts.
import {execFile} from "node:child_process";
import {promisify} from "node:util";
import {createServer} from "node:http";
import {once} from "node:events";
import type {AddressInfo} from "node:net";
import {describe, expect, test} from "vitest";
import {hermeticBuildEnv} from "../../../../loaders/hermetic/buildEnv.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";

/** Runs a fetch in a child Node started with the build's environment, printing what happened. */
async function fetchUnderBuild(url: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}).then(async (r) => console.log("answered " + r.status + " " + (await r.text())), (e) => console.log("error: " + e.message))`;
  const buildEnv = hermeticBuildEnv(projectRoot, {PATH: process.env.PATH, ...env});
  const {stdout} = await promisify(execFile)(process.execPath, ["-e", script], {
    env: buildEnv,
    encoding: "utf8",
    timeout: 30_000
  });
  return stdout.trim();
}

describe("the hermetic build environment", () => {
  test("turns telemetry off and preloads the network guard into every Node process", () => {
    const env = hermeticBuildEnv(projectRoot, {NODE_OPTIONS: "--max-old-space-size=4096"});
    expect(env.OBSERVABLE_TELEMETRY_DISABLE).toBe("true");
    expect(env.NODE_OPTIONS).toMatch(
      /^--max-old-space-size=4096 --import=file:\/\/.*\/loaders\/hermetic\/denyNetwork\.mjs$/
    );
    expect(env.WORKBENCH_ALLOWED_HOSTS).toBe("");
  });

  test("refuses a CDN fetch with the URL and the fix", async () => {
    expect(await fetchUnderBuild("https://cdn.jsdelivr.net/npm/d3@7/+esm")).toBe(
      "error: ! hermetic build: refused to fetch https://cdn.jsdelivr.net/npm/d3@7/+esm. Install the package (package.json) and add it to the packages loaders/hermetic/seedNpmCache.ts seeds."
    );
    expect(await fetchUnderBuild("https://telemetry.example.com/")).toMatch(
      /^error: ! hermetic build: refused to fetch https:\/\/telemetry\.example\.com\/\. A build may read only local files\.$/
    );
  });

  test("lets a fetch to this machine through", async () => {
    const server = createServer((_, res) => res.end("local"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const {port} = server.address() as AddressInfo;
      expect(await fetchUnderBuild(`http://127.0.0.1:${port}/`)).toBe("answered 200 local");
    } finally {
      server.close();
    }
  });

  test("lets through the model server only when a key is set", async () => {
    expect(hermeticBuildEnv(projectRoot, {OPENAI_API_KEY: "sk-test"}).WORKBENCH_ALLOWED_HOSTS).toBe("api.openai.com");
    expect(
      hermeticBuildEnv(projectRoot, {
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: "https://llm.internal.example:8443/v1"
      }).WORKBENCH_ALLOWED_HOSTS
    ).toBe("llm.internal.example:8443");
    expect(
      hermeticBuildEnv(projectRoot, {OPENAI_BASE_URL: "https://llm.internal.example/v1"}).WORKBENCH_ALLOWED_HOSTS
    ).toBe("");
    // Allowed means not refused: here the fetch fails for want of a network, not by the guard.
    const allowed = await fetchUnderBuild("https://llm.internal.example/v1/models", {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "https://llm.internal.example/v1"
    });
    expect(allowed).not.toContain("refused");
  });
});

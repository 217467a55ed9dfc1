// Vitest globalSetup of the integration project: the sample workspace is built once per run, and
// every test that reads the sample site (build.test.ts, brief.test.ts) reads that one build through
// inject("sampleSite") instead of building or running loaders again. Tests that change a workspace,
// the environment or the arguments still build their own.
import {existsSync, readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import type {TestProject} from "vitest/node";
import {projectRoot} from "../../loaders/workspace/config.js";
import {build, type Build} from "./siteBuild.js";

declare module "vitest" {
  export interface ProvidedContext {
    sampleSite: Build;
  }
}

export default function setup(project: TestProject): void {
  // .ci/run has just built dist/ from the sample workspace and kept that build's output in this log:
  // the tests read that build rather than making the same one again.
  const log = process.env.WORKBENCH_TEST_SAMPLE_BUILD_LOG;
  if (log) {
    const dist = join(projectRoot, "dist");
    if (!existsSync(join(dist, "index.html")))
      throw new Error(
        `WORKBENCH_TEST_SAMPLE_BUILD_LOG is set but ${dist} holds no built site: run npm run build first, or unset it.`
      );
    project.provide("sampleSite", {status: 0, output: readFileSync(resolve(projectRoot, log), "utf8"), dist});
    return;
  }
  const started = Date.now();
  const site = build({});
  console.error(
    `sample site built once for the integration tests in ${Math.round((Date.now() - started) / 1000)}s (status ${site.status}): ${site.dist}`
  );
  project.provide("sampleSite", site);
}

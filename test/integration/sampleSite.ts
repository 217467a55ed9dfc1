// Vitest globalSetup of the integration project: the sample workspace is built once per run, and
// every test that reads the sample site (build.test.ts, brief.test.ts) reads that one build through
// inject("sampleSite") instead of building or running loaders again. Tests that change a workspace,
// the environment or the arguments still build their own.
import type {TestProject} from "vitest/node";
import {build, type Build} from "./siteBuild.js";

declare module "vitest" {
  export interface ProvidedContext {
    sampleSite: Build;
  }
}

export default function setup(project: TestProject): void {
  const started = Date.now();
  const site = build({});
  console.error(`sample site built once for the integration tests in ${Math.round((Date.now() - started) / 1000)}s (status ${site.status}): ${site.dist}`);
  project.provide("sampleSite", site);
}

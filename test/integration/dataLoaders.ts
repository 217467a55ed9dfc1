// The pages' real data loaders (src/data/<name>.json.ts), each run in a process of its own as Framework
// runs them, and the warehouse they leave under .workbench/ removed afterwards. The one place tests
// start a loader.
import {execFile} from "node:child_process";
import {rmSync} from "node:fs";
import {join} from "node:path";
import {promisify} from "node:util";
import {joinTriage} from "../../loaders/queries/triageFiles.js";
import {warehouseFiles, warehousePath} from "../../loaders/warehouse/warehouse.js";
import {projectRoot, resolveWorkspace} from "../../loaders/workspace/config.js";

const run = promisify(execFile);

/**
 * What loader `name` writes for workspace, parsed. No model drafting unless env asks for it: the
 * machine's own OPENAI_API_KEY must not change what a test reads.
 */
export async function runLoader(name: string, workspace: string, env: Record<string, string> = {}): Promise<any> {
  const tsx = join(projectRoot, "node_modules", ".bin", "tsx");
  const loader = join(projectRoot, "src", "data", `${name}.json.ts`);
  const {stdout} = await run(tsx, [loader], {
    cwd: projectRoot,
    env: {...process.env, OPENAI_API_KEY: "", ...env, WORKBENCH_WORKSPACE: workspace},
    maxBuffer: 64 * 1024 * 1024
  });
  return JSON.parse(stdout);
}

/**
 * Eval triage's data as its two loaders write it (the overview, and every suite's block), joined back
 * into evalTriage's result: what the page can show, suite by suite.
 */
export async function runTriageLoaders(workspace: string, env: Record<string, string> = {}): Promise<any> {
  return joinTriage(
    await runLoader("eval-triage", workspace, env),
    await runLoader("eval-triage-suites", workspace, env)
  );
}

/** Removes the warehouse a build or a loader made for a temporary workspace under .workbench/. */
export function removeWarehouse(workspace: string): void {
  const path = warehousePath(resolveWorkspace({WORKBENCH_WORKSPACE: workspace}));
  for (const file of warehouseFiles(path)) rmSync(file, {force: true});
}

// npm run build [-- --strict]: the whole site from the selected workspace into dist/, hermetically,
// then scanned for secrets and personal data (loaders/hermetic/scanDist.ts).
import {spawnSync} from "node:child_process";
import {mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {projectRoot} from "../loaders/workspace/config.js";
import {hermeticBuildEnv} from "../loaders/hermetic/buildEnv.js";
import {acquireBuildLock, buildLockWaitMs, checkoutBuildLock} from "../loaders/warehouse/buildLock.js";
import {formatFindings, scanDist} from "../loaders/hermetic/scanDist.js";
import {profiled} from "../loaders/warehouse/progress.js";
import {prepare} from "./pipeline.js";
import {PREVIEW_PORT} from "./preview.js";

const strict = process.argv.includes("--strict") || process.env.WORKBENCH_STRICT === "true";
let redactPersonal: boolean;
try {
  acquireBuildLock(checkoutBuildLock, {waitMs: buildLockWaitMs()});
  checkWritable(resolve(projectRoot, process.env.WORKBENCH_OUTPUT ?? "dist"));
  redactPersonal = (await profiled("prepare (warehouse, page data, explore files)", () => prepare({strict}))).workspace
    .config.privacy.redact_free_text;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const observable = join(projectRoot, "node_modules", ".bin", "observable");
const result = await profiled("framework (observable build; its CPU is a child's, not counted)", async () =>
  spawnSync(observable, ["build"], {
    cwd: projectRoot,
    stdio: "inherit",
    env: hermeticBuildEnv(projectRoot)
  })
);
if (result.status !== 0) process.exit(result.status ?? 1);

// The same output folder observablehq.config.ts writes to. Personal data is a finding only when the
// config has it redacted; secrets always are.
const dist = resolve(projectRoot, process.env.WORKBENCH_OUTPUT ?? "dist");
const findings = scanDist(dist, {
  scope: redactPersonal ? "all" : "secrets",
  cacheFile: join(projectRoot, ".workbench", "scan-cache.json")
});
if (findings.length > 0) {
  const head = `${findings.length} possible secrets or personal data in ${dist} (file: detector (masked)):`;
  const fix = "Redact them at the source, or map the field as free text; see docs/privacy.md.";
  console.error([strict ? `--strict: ${head}` : `warning: ${head}`, ...formatFindings(findings), fix].join("\n"));
  if (strict) process.exit(1);
} else {
  console.error(`scanned ${dist} for secrets and personal data: none found`);
}
console.error(
  `The site is in ${dist}. To look at it: npm run preview (serves it at http://127.0.0.1:${PREVIEW_PORT}/), or open it from any static web server.`
);

/**
 * The output folder must take a file before minutes of ingest are spent: Framework's own error for an
 * unwritable or full output folder comes at the end and does not always name the folder.
 */
function checkWritable(folder: string): void {
  const probe = join(folder, `.workbench-write-check-${process.pid}`);
  try {
    mkdirSync(folder, {recursive: true});
    writeFileSync(probe, "ok");
    rmSync(probe);
  } catch (error) {
    throw new Error(
      `cannot write the output folder ${folder}: ${(error as Error).message}. Make it writable (or set WORKBENCH_OUTPUT to another folder) and build again.`
    );
  }
}

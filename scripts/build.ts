// npm run build [-- --strict]: the whole site from the selected workspace into dist/, hermetically.
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import {projectRoot} from "../loaders/workspace/config.js";
import {hermeticBuildEnv} from "../loaders/hermetic/buildEnv.js";
import {acquireBuildLock} from "../loaders/warehouse/buildLock.js";
import {prepare} from "./pipeline.js";

const strict = process.argv.includes("--strict") || process.env.WORKBENCH_STRICT === "true";
try {
  acquireBuildLock(join(projectRoot, ".workbench", "build.lock"));
  await prepare({strict});
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const observable = join(projectRoot, "node_modules", ".bin", "observable");
const result = spawnSync(observable, ["build"], {cwd: projectRoot, stdio: "inherit", env: hermeticBuildEnv(projectRoot)});
process.exit(result.status ?? 1);

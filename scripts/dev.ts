// npm run dev: preview with live reload. Restart it after the workspace's files change.
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import {projectRoot} from "../loaders/workspace/config.js";
import {prepare} from "./pipeline.js";

await prepare();
const observable = join(projectRoot, "node_modules", ".bin", "observable");
const args = ["preview", "--no-open", ...process.argv.slice(2)];
const result = spawnSync(observable, args, {
  cwd: projectRoot,
  stdio: "inherit",
  env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}
});
process.exit(result.status ?? 1);

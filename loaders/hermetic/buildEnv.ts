// The environment of the Framework build: telemetry off, and every fetch to another host refused
// (loaders/hermetic/denyNetwork.mjs, preloaded into the build and, through NODE_OPTIONS, into each
// data loader) except the model server the brief may be drafted with when a key is set.
import {join} from "node:path";
import {pathToFileURL} from "node:url";

export function hermeticBuildEnv(projectRoot: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const preload = `--import=${pathToFileURL(join(projectRoot, "loaders", "hermetic", "denyNetwork.mjs")).href}`;
  const allowed = env.OPENAI_API_KEY?.trim()
    ? [new URL(env.OPENAI_BASE_URL?.trim() || "https://api.openai.com/v1").host]
    : [];
  return {
    ...env,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    NODE_OPTIONS: [env.NODE_OPTIONS, preload].filter(Boolean).join(" "),
    WORKBENCH_ALLOWED_HOSTS: allowed.join(",")
  };
}

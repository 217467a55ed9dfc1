// Loads workbench.config.json: the project's (which may name the workspace) and the workspace's own
// (sources, prices, gates), the latter winning key by key. Every mistake names the file and the key.
import {existsSync, readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import type {z} from "zod";
import {adapters} from "../adapters/index.js";
import {configSchema, type WorkbenchConfig} from "../schema/config.js";
import {configFileName} from "./files.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    ""
  );
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const at = formatIssuePath(issue.path);
  return `! ${file}${at ? `: ${at}` : ""}: ${issue.message}`;
}

export function parseConfig(text: string, file: string): WorkbenchConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`! ${file}: not valid JSON (${(error as Error).message}). Fix the syntax and build again.`);
  }
  const result = configSchema.safeParse(json);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => describeIssue(file, i)).join("\n"));
  result.data.sources.forEach((s, i) => {
    if (s.format && !adapters.some((a) => a.name === s.format)) {
      throw new ConfigError(
        `! ${file}: sources[${i}].format: unknown format "${s.format}"; expected one of ${adapters.map((a) => a.name).join(", ")}`
      );
    }
  });
  return result.data;
}

/** Validates a config file and returns it as written, so that merging sees only keys a person set. */
function readRawConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, "utf8");
  parseConfig(text, path);
  return JSON.parse(text);
}

export interface Workspace {
  /** Absolute path of the workspace folder. */
  root: string;
  config: WorkbenchConfig;
  /** Config files that were read, lowest precedence first. */
  configFiles: string[];
}

export function resolveWorkspace(env: NodeJS.ProcessEnv = process.env, base = projectRoot): Workspace {
  const projectFile = join(base, configFileName);
  const projectConfig = readRawConfig(projectFile);
  const fromEnv = env.WORKBENCH_WORKSPACE?.trim();
  const root = fromEnv
    ? resolve(fromEnv)
    : resolve(base, (projectConfig.workspace as string | undefined) ?? "data/sample");
  if (!existsSync(root)) {
    const origin = fromEnv ? "WORKBENCH_WORKSPACE" : `"workspace" in ${projectFile}`;
    throw new ConfigError(
      `! ${origin}: workspace folder ${root} does not exist. Point it at a folder of eval, trace, correction, prediction or flag files.`
    );
  }
  const workspaceFile = join(root, configFileName);
  const workspaceConfig = workspaceFile === projectFile ? {} : readRawConfig(workspaceFile);
  const config = configSchema.parse({...projectConfig, ...workspaceConfig, workspace: undefined});
  return {root, config, configFiles: [projectFile, workspaceFile].filter((f) => existsSync(f))};
}

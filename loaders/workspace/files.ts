// A workspace is a folder; its files are recognized by content, and the config may map any of them.
import {createReadStream} from "node:fs";
import {readdir} from "node:fs/promises";
import {join, relative, sep} from "node:path";
import type {z} from "zod";
import type {sourceSchema} from "../schema/config.js";

export type SourceConfig = z.infer<typeof sourceSchema>;

export interface WorkspaceFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the workspace, with forward slashes: what users see in messages. */
  readonly name: string;
  /** The first bytes as text (BOM removed), enough to recognize the format. */
  readonly head: string;
  /** The config entry that maps this file, if any. */
  readonly source?: SourceConfig;
}

export const configFileName = "workbench.config.json";
const ignored = (name: string) => name.startsWith(".") || name === configFileName || /^readme/i.test(name) || /\.md$/i.test(name);

export async function listWorkspaceFiles(root: string, sources: readonly SourceConfig[] = []): Promise<WorkspaceFile[]> {
  const paths = (await walk(root)).sort();
  return Promise.all(
    paths.map(async (path) => {
      const name = relative(root, path).split(sep).join("/");
      return {path, name, head: await readHead(path), source: sources.find((s) => globMatches(s.path, name))};
    }),
  );
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    if (ignored(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

export async function readHead(path: string, bytes = 65536): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path, {start: 0, end: bytes - 1})) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/^\uFEFF/, "");
}

/** Minimal globs: `*` within a path segment, `**` across segments. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .split("/")
    .map((part) => (part === "**" ? "(?:.*/)?" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*") + "/"))
    .join("")
    .replace(/\/$/, "")
    .replace(/\(\?:\.\*\/\)\?$/, ".*");
  return new RegExp(`^${pattern}$`).test(name);
}

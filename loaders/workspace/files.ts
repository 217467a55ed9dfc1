// A workspace is a folder; its files are recognized by content, and the config may map any of them.
import {createReadStream, type Dirent, type Stats} from "node:fs";
import {readdir, realpath, stat} from "node:fs/promises";
import {isAbsolute, join, relative, sep} from "node:path";
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
const ignored = (name: string) =>
  name.startsWith(".") || name === configFileName || /^readme/i.test(name) || /\.md$/i.test(name);

/**
 * A path the walk found but does not read, with the reason the Data quality page shows: `refused` for a
 * symlink that leaves the workspace or loops, `unreadable` for what cannot be opened as a file (a FIFO,
 * a dangling link, a folder or file the build may not read).
 */
export interface SkippedPath {
  readonly name: string;
  readonly status: "refused" | "unreadable";
  readonly reason: string;
}

export interface WorkspaceListing {
  files: WorkspaceFile[];
  skipped: SkippedPath[];
}

export async function listWorkspaceFiles(
  root: string,
  sources: readonly SourceConfig[] = []
): Promise<WorkspaceFile[]> {
  return (await listWorkspace(root, sources)).files;
}

/** Every regular file of the workspace (links inside it followed), and every path it will not read, with why. */
export async function listWorkspace(root: string, sources: readonly SourceConfig[] = []): Promise<WorkspaceListing> {
  const realRoot = await realpath(root);
  const walk: Walk = {root, realRoot, found: [], skipped: [], visited: new Set([realRoot])};
  await walkDir(walk, root);
  const files: WorkspaceFile[] = [];
  for (const path of walk.found.sort()) {
    const name = nameOf(root, path);
    try {
      files.push({path, name, head: await readHead(path), source: sources.find((s) => globMatches(s.path, name))});
    } catch (error) {
      walk.skipped.push({name, status: "unreadable", reason: `cannot be read: ${errorText(error)}`});
    }
  }
  return {files, skipped: walk.skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))};
}

interface Walk {
  root: string;
  realRoot: string;
  found: string[];
  skipped: SkippedPath[];
  /** Real paths of the folders walked so far: a link back to one of them is a loop. */
  visited: Set<string>;
}

const nameOf = (root: string, path: string) => relative(root, path).split(sep).join("/");
const errorText = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ? (error as Error).message : String(error);

async function walkDir(walk: Walk, dir: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, {withFileTypes: true});
  } catch (error) {
    walk.skipped.push({
      name: nameOf(walk.root, dir) || ".",
      status: "unreadable",
      reason: `folder cannot be listed: ${errorText(error)}`
    });
    return;
  }
  for (const entry of entries) {
    if (ignored(entry.name)) continue;
    const path = join(dir, entry.name);
    const skip = (status: SkippedPath["status"], reason: string) =>
      walk.skipped.push({name: nameOf(walk.root, path), status, reason});
    let real = path;
    let stats: Stats;
    try {
      if (entry.isSymbolicLink()) real = await realpath(path);
      stats = await stat(real);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOOP") skip("refused", "a symlink loop (ELOOP): it never reaches a file");
      else if (code === "ENOENT") skip("unreadable", "a symlink to a path that does not exist (ENOENT)");
      else skip("unreadable", `cannot be read: ${errorText(error)}`);
      continue;
    }
    // Links are followed only inside the workspace: a link leaving it would publish files the folder
    // does not hold (a home directory, /etc) on a shareable site; copy such a file in instead.
    if (real !== path && !isInside(walk.realRoot, real)) {
      skip(
        "refused",
        `a symlink to ${real}, outside the workspace: links leaving the workspace are not followed; copy the file in instead`
      );
    } else if (stats.isDirectory()) {
      const realDir = real === path ? await realpath(path) : real;
      if (walk.visited.has(realDir))
        skip(
          "refused",
          `a symlink loop: it leads back to ${nameOf(walk.realRoot, realDir) || "the workspace folder"}, which is already read`
        );
      else {
        walk.visited.add(realDir);
        await walkDir(walk, path);
      }
    } else if (stats.isFile()) walk.found.push(path);
    else skip("unreadable", `not a regular file (${kindOf(stats)}); the workbench reads only files`);
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a file";
}

/**
 * The file's first 64 KB, extended to the end of its first line (up to 64 MiB): formats are recognized
 * by their first record, and a JSON Lines file whose first line holds a long text must not become
 * "unrecognized" because its keys come after the first 64 KB.
 */
export async function readHead(path: string, bytes = 65536, firstLineLimit = 64 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, {
    start: 0,
    end: firstLineLimit - 1,
    highWaterMark: bytes
  }) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= bytes && chunk.includes(10)) break;
  }
  const all = Buffer.concat(chunks);
  const newline = all.indexOf(10, Math.min(bytes, all.length) - 1);
  const head = length <= bytes ? all : all.subarray(0, Math.max(bytes, newline === -1 ? all.length : newline + 1));
  return head.toString("utf8").replace(/^\uFEFF/, "");
}

/** Minimal globs: `*` within a path segment, `**` across segments. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .split("/")
    .map((part) =>
      part === "**" ? "(?:.*/)?" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*") + "/"
    )
    .join("")
    .replace(/\/$/, "")
    .replace(/\(\?:\.\*\/\)\?$/, ".*");
  return new RegExp(`^${pattern}$`).test(name);
}

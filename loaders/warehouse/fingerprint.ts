// A warehouse is current when nothing it was built from changed: the raw files' bytes, the config
// keys ingest reads (ingestConfigKeys), and the code that maps and validates them. Content hashes,
// not mtimes, so a restored or copied file with an old timestamp still triggers a rebuild.
import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {readdir} from "node:fs/promises";
import {join, relative} from "node:path";
import type {Workspace} from "../workspace/config.js";
import {projectRoot} from "../workspace/config.js";
import {listWorkspace} from "../workspace/files.js";
import {timeBounds} from "../schema/config.js";
import {ingestConfigOf} from "./ingest.js";

export async function hashFile(path: string, hash = createHash("sha256")): Promise<string> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.ts$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * The code a warehouse and its page data are built by: loaders/, and src/lib/, the metrics and
 * formats the loaders share with the pages (a change there changes the data too).
 */
export const codeFolders = ["loaders", "src/lib"] as const;

export async function codeFiles(): Promise<string[]> {
  const lists = await Promise.all(codeFolders.map((folder) => sourceFiles(join(projectRoot, folder))));
  return lists.flat();
}

export async function fingerprintWorkspace(workspace: Workspace): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(ingestConfigOf(workspace.config)));
  // The timestamp bounds move with the build's day: a new day may accept or refuse other rows.
  hash.update(JSON.stringify(timeBounds(workspace.config.checks)));
  for (const path of await codeFiles()) {
    hash.update(relative(projectRoot, path)).update(await hashFile(path));
  }
  const listing = await listWorkspace(workspace.root, workspace.config.sources);
  for (const file of listing.files) hash.update(file.name).update(await hashFile(file.path));
  // A link or file that became readable (or stopped being) changes what the build shows.
  for (const path of listing.skipped) hash.update(`${path.name}\u0000${path.status}\u0000${path.reason}`);
  return hash.digest("hex");
}

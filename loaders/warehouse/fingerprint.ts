// A warehouse is current when nothing it was built from changed: the raw files' bytes, the config
// keys ingest reads (ingestConfigKeys), the prices, and the code that maps and validates them. Content
// hashes, not mtimes, so a restored or copied file with an old timestamp still triggers an ingest.
import {createHash} from "node:crypto";
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {open, readdir, stat} from "node:fs/promises";
import {join, relative} from "node:path";
import type {Workspace} from "../workspace/config.js";
import {projectRoot} from "../workspace/config.js";
import {listWorkspace, type WorkspaceListing} from "../workspace/files.js";
import {timeBounds} from "../schema/config.js";
import {basisConfigOf} from "./ingest.js";

/**
 * Read in 4 MB chunks into one buffer, reused, rather than through a read stream, which allocates a
 * buffer per chunk: for a 658 MB experiment file the digest took 0.54–0.55 s of CPU against 0.62–1.19 s
 * with a stream of 1 MB chunks (3 turns each, load average 12 on 2 cores). Still asynchronous, so an
 * ingest's DuckDB statements start while files are hashed (ingest.ts).
 */
const HASH_CHUNK_BYTES = 1 << 22;

export async function hashFile(path: string, hash = createHash("sha256")): Promise<string> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    for (let read; (read = (await file.read(buffer, 0, HASH_CHUNK_BYTES, null)).bytesRead) > 0;)
      hash.update(buffer.subarray(0, read));
  } finally {
    await file.close();
  }
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

/** What a warehouse is built from, in three parts: see workspaceState. */
export interface WorkspaceState {
  /**
   * The code and the config keys ingest reads (ingestConfigKeys): when it changes, every row may
   * change, so the warehouse is built again from empty. The rest changes it in place (ingest.ts).
   */
  basis: string;
  /** All of it: the basis, the prices, the time bounds, every file's bytes and every path not read. */
  fingerprint: string;
  /**
   * All of it but the prices: page data that reads no cost (loaders/pages/priceReads.ts) is current
   * while this is, since a price change rewrites only the costs.
   */
  fingerprintBesidesPrices: string;
  listing: WorkspaceListing;
  /** Each file's content hash, by name: what an incremental ingest compares with its record. */
  hashes: Map<string, string>;
}

/**
 * A file's hash is taken again only when its stat changed. ctime is set by the kernel on every write
 * and cannot be set back (touch and a restore set mtime, not ctime), so with the inode, size and
 * mtime it says the bytes are the ones hashed. A file written within RACY_MS of its hashing may have
 * changed again in the same clock tick, so it is not remembered (git's "racily clean" rule).
 */
interface HashRecord {
  stat: string;
  hash: string;
}
const RACY_MS = 2000;

async function cachedHash(path: string, cache: Map<string, HashRecord>, name: string): Promise<string> {
  const s = await stat(path, {bigint: true});
  const key = `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  const known = cache.get(name);
  if (known?.stat === key) return known.hash;
  const hash = await hashFile(path);
  const racy = Date.now() - Number(s.ctimeNs / 1_000_000n) < RACY_MS;
  if (racy) cache.delete(name);
  else cache.set(name, {stat: key, hash});
  return hash;
}

function readHashCache(path: string | undefined): Map<string, HashRecord> {
  if (!path || !existsSync(path)) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, HashRecord>));
  } catch {
    return new Map();
  }
}

/**
 * `hashCache`: a file remembering each workspace file's hash by its stat, so an unchanged file is not
 * read again to learn that it is unchanged; absent, every file is hashed.
 */
export async function workspaceState(workspace: Workspace, hashCache?: string): Promise<WorkspaceState> {
  const basis = createHash("sha256");
  basis.update(JSON.stringify(basisConfigOf(workspace.config)));
  for (const path of await codeFiles()) {
    basis.update(relative(projectRoot, path)).update(await hashFile(path));
  }
  const basisHex = basis.digest("hex");
  const hash = createHash("sha256").update(basisHex);
  // The timestamp bounds move with the build's day: a new day may accept or refuse other rows.
  hash.update(JSON.stringify(timeBounds(workspace.config.checks)));
  const listing = await listWorkspace(workspace.root, workspace.config.sources);
  const hashes = new Map<string, string>();
  const cache = readHashCache(hashCache);
  for (const file of listing.files) {
    hashes.set(file.name, await cachedHash(file.path, cache, file.name));
    hash.update(file.name).update(hashes.get(file.name)!);
  }
  for (const name of cache.keys()) if (!hashes.has(name)) cache.delete(name);
  if (hashCache) writeFileSync(hashCache, JSON.stringify(Object.fromEntries([...cache].sort())));
  // A link or file that became readable (or stopped being) changes what the build shows.
  for (const path of listing.skipped) hash.update(`${path.name}\u0000${path.status}\u0000${path.reason}`);
  const besidesPrices = hash.digest("hex");
  // Prices are applied in place, with no re-ingest; the fingerprint still covers them, so the
  // warehouse and the pages that read a cost follow a price change.
  const fingerprint = createHash("sha256").update(besidesPrices).update(JSON.stringify(workspace.config.prices));
  return {
    basis: basisHex,
    fingerprint: fingerprint.digest("hex"),
    fingerprintBesidesPrices: besidesPrices,
    listing,
    hashes
  };
}

export async function fingerprintWorkspace(workspace: Workspace): Promise<string> {
  return (await workspaceState(workspace)).fingerprint;
}

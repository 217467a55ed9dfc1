// The entries of a ZIP archive, read front to back as the file streams in (fflate's streaming Unzip
// follows the local headers, not the central directory at the end), so an archive is never held
// whole and one cut off mid-write still yields every entry it completed.
import {createReadStream} from "node:fs";
import {Unzip, UnzipInflate} from "fflate";

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** The ZIP local file header's signature, "PK\x03\x04": how a workspace file's head says it is an archive. */
export const isZipHead = (head: string): boolean => head.startsWith("PK\u0003\u0004");

/**
 * Yields the complete entries whose names `wanted` accepts, in archive order, holding only the
 * entries not yet yielded. Throws, naming the entry, on a compression method it cannot read or on
 * an archive that ends inside an entry.
 */
export async function* zipEntries(path: string, wanted: (name: string) => boolean): AsyncGenerator<ZipEntry> {
  const ready: ZipEntry[] = [];
  const open = new Set<string>();
  let failure: Error | undefined;
  const unzip = new Unzip((entry) => {
    if (!wanted(entry.name)) return;
    const chunks: Uint8Array[] = [];
    open.add(entry.name);
    entry.ondata = (error, data, final) => {
      if (error) failure ??= new Error(`archive entry ${entry.name}: ${error.message}`);
      chunks.push(data);
      if (final && !error) {
        open.delete(entry.name);
        ready.push({name: entry.name, bytes: concat(chunks)});
      }
    };
    try {
      entry.start();
    } catch (error) {
      failure ??= new Error(
        `archive entry ${entry.name} uses compression method ${entry.compression}, which is not read here (only stored and deflate)`
      );
    }
  });
  unzip.register(UnzipInflate);
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      unzip.push(chunk, final);
    } catch (error) {
      failure ??= new Error(
        `${open.size ? `the archive ends inside ${[...open].join(", ")}` : "the archive is not a readable ZIP"} (${(error as Error).message}): it was cut off while being written, or is damaged`
      );
    }
    if (failure) throw failure;
  };
  for await (const chunk of createReadStream(path)) {
    push(chunk as Buffer, false);
    while (ready.length) yield ready.shift()!;
  }
  push(new Uint8Array(0), true);
  while (ready.length) yield ready.shift()!;
  if (open.size)
    throw new Error(
      `the archive ends inside ${[...open].join(", ")}: it was cut off while being written, or is damaged`
    );
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.length));
  return out;
}

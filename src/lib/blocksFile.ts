// A page file of blocks that a page reads one block at a time, by HTTP range requests
// (src/components/rangeReader.ts), because the whole grows past what a page may fetch at once: the
// traces page's values (src/lib/traceCells.ts) and eval triage's suites and case figures
// (loaders/queries/triageFiles.ts). The file is the JSON array of the blocks as the pipeline writes
// page data (JSON.stringify, no spaces): "[" block 1 "," block 2 … "]". So block k starts one byte
// after block k − 1 ends, and each block's place is known from the blocks' serialized lengths, which
// an index in a file the page loads anyway holds.

/** Bytes [start, end) of a file. */
export type ReadBytes = (start: number, end: number) => Promise<Uint8Array>;

/** A block's first byte in the file and its length in bytes (UTF-8). */
export type BlockPlace = {at: number; bytes: number};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The length in UTF-8 bytes of the value's JSON, as the pipeline writes it. */
export function jsonByteLength(value: unknown): number {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("a page file's block cannot be undefined or a function");
  return encoder.encode(text).length;
}

/** The JSON value of UTF-8 bytes read from a page file. */
export const parseJsonBytes = (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes));

/** Where each block starts in the JSON array of blocks whose lengths in bytes are `bytes`. */
export function blockStarts(bytes: ArrayLike<number>): number[] {
  const starts: number[] = [];
  for (let k = 0, at = 1; k < bytes.length; at += bytes[k] + 1, k++) starts.push(at);
  return starts;
}

/** Where each block lies in JSON.stringify(blocks), as UTF-8 bytes. */
export function blocksLayout(blocks: readonly unknown[]): BlockPlace[] {
  const lengths = blocks.map(jsonByteLength);
  return blockStarts(lengths).map((at, k) => ({at, bytes: lengths[k]}));
}

/** The block at `place`: one range read. */
export async function readBlock<T>(read: ReadBytes, place: BlockPlace): Promise<T> {
  const bytes = await read(place.at, place.at + place.bytes);
  if (bytes.length !== place.bytes)
    throw new Error(`reading a block: ${bytes.length} bytes where the index says ${place.bytes}`);
  return parseJsonBytes(bytes) as T;
}

// A page file of blocks that the page reads one block at a time, by HTTP range requests
// (src/components/rangeReader.ts), because the whole grows past what a page may fetch when it opens:
// eval triage's suites (loaders/queries/triageFiles.ts), each suite's runs, pairs and per-case outcomes,
// of which the page shows one suite at a time. The file is the JSON array of the blocks as the
// pipeline writes page data (JSON.stringify, no spaces): "[" block 1 "," block 2 … "]". So block k
// starts one byte after block k − 1 ends, and its place (first byte, length) is known from the blocks'
// own serialized lengths; the index goes into a file the page loads anyway, so a block costs one
// request.
import type {ReadBytes} from "./triageTexts.js";

/** A block's first byte in the file and its length in bytes (UTF-8). */
export type BlockPlace = {at: number; bytes: number};

const encoder = new TextEncoder();

/** Where each block lies in JSON.stringify(blocks), as UTF-8 bytes. */
export function blocksLayout(blocks: readonly unknown[]): BlockPlace[] {
  let at = 1;
  return blocks.map((block) => {
    const text = JSON.stringify(block);
    if (text === undefined) throw new TypeError("blocksLayout: a block JSON cannot hold (undefined or a function)");
    const place = {at, bytes: encoder.encode(text).length};
    at += place.bytes + 1;
    return place;
  });
}

const decoder = new TextDecoder();

/** The block at `place`: one range read. */
export async function readBlock<T>(read: ReadBytes, place: BlockPlace): Promise<T> {
  const bytes = await read(place.at, place.at + place.bytes);
  if (bytes.length !== place.bytes)
    throw new Error(`reading a block: ${bytes.length} bytes where the index says ${place.bytes}`);
  return JSON.parse(decoder.decode(bytes)) as T;
}

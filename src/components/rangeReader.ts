// A page file read by HTTP range requests: eval triage's texts (src/lib/triageTexts.ts) and the traces
// page's values (src/lib/traceCells.ts), each far larger than what a filter needs of it.
import {remembered} from "../lib/remembered.js";
import type {ReadBytes} from "../lib/blocksFile.js";

/**
 * Bytes [start, end) of the file at `href`, by a range request; a host that ignores ranges answers
 * 200 with the whole file, which is then kept and sliced.
 */
export function rangeReader(href: string): ReadBytes {
  // Kept unless its download failed: then the next read asks for its range again.
  const whole = remembered<Uint8Array>();
  return async (start, end) => {
    if (whole.current) return (await whole.current).subarray(start, end);
    const response = await fetch(href, {headers: {Range: `bytes=${start}-${end - 1}`}});
    if (!response.ok) throw new Error(`fetching ${href} failed (${response.status})`);
    if (response.status === 206) return new Uint8Array(await response.arrayBuffer());
    const bytes = await whole.get(() => response.arrayBuffer().then((b) => new Uint8Array(b)));
    return bytes.subarray(start, end);
  };
}

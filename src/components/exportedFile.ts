// One way to open an exported Parquet file over HTTP, shared by every reader in the browser (Explore and
// notebooks, the filters' slices, the case view), so all of them fetch the footer alike and count their
// bytes in one place. Imports hyparquet only: the case view, which loads neither Arrow nor DuckDB-wasm,
// uses it too.
import {
  asyncBufferFromUrl,
  cachedAsyncBuffer,
  parquetMetadataAsync,
  type AsyncBuffer,
  type FileMetaData
} from "hyparquet";

/**
 * Bytes fetched from a Parquet file's end to find its footer: openParquetAt's first request, and
 * hyparquet's initialFetchSize (512 KiB by default). The sample's spans footer is about 24 KB, so the
 * default fetched over a quarter of the whole 1.8 MB file before any column; a footer larger than this
 * costs one more request instead.
 */
export const FOOTER_FETCH_BYTES = 64 * 1024;

/** Bytes fetched for the Parquet files so far (all requests of this page), for the page and the bench. */
export const fetchStats = {bytes: 0, requests: 0};

async function countingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  // A HEAD request (hyparquet asks the file's length first) announces the whole file but fetches none of it.
  if (init?.method === "HEAD") return response;
  fetchStats.requests++;
  fetchStats.bytes += Number(response.headers.get("content-length") ?? 0);
  return response;
}

/**
 * `file` read through hyparquet's cachedAsyncBuffer, which remembers every read, a failed one too: a
 * range request dropped once would fail each later read of those bytes until the page is reloaded. After
 * a failed read the cache starts afresh, so the next reader fetches again (failures are rare, so losing
 * the other remembered reads then costs little).
 */
function forgettingFailures(file: AsyncBuffer): AsyncBuffer {
  let cached = cachedAsyncBuffer(file);
  return {
    byteLength: file.byteLength,
    slice(start, end) {
      const used = cached;
      const read = Promise.resolve(used.slice(start, end));
      read.catch(() => {
        if (cached === used) cached = cachedAsyncBuffer(file);
      });
      return read;
    }
  };
}

/**
 * The file's length and its last FOOTER_FETCH_BYTES (or the whole file, from a host that ignores ranges)
 * in one request: a suffix range, `bytes=-n`, answered with `Content-Range: bytes a-b/length`. Null
 * when the answer is not one this can take (then the file is opened as hyparquet opens it).
 */
async function fetchTail(url: string): Promise<{byteLength: number; start: number; bytes: ArrayBuffer} | null> {
  const response = await countingFetch(url, {headers: {Range: `bytes=-${FOOTER_FETCH_BYTES}`}});
  // 416: a host that does not take suffix ranges (range requests from a start still work there).
  if (response.status === 416) return null;
  if (!response.ok) throw new Error(`fetching ${url} failed (${response.status})`);
  const bytes = await response.arrayBuffer();
  if (response.status === 200) return {byteLength: bytes.byteLength, start: 0, bytes};
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
  if (response.status !== 206 || !range) return null;
  const [start, end, byteLength] = range.slice(1).map(Number);
  return end === byteLength - 1 && end - start + 1 === bytes.byteLength ? {byteLength, start, bytes} : null;
}

/**
 * A Parquet file at an absolute url and its footer, fetched through countingFetch. hyparquet alone
 * asks the file's length (a HEAD request) before it fetches the footer; one suffix range does both, so
 * every file a page opens costs one round trip less. The footer's bytes then serve the reads within
 * them; the rest are range requests, or slices of the whole file where the host ignores ranges.
 */
export async function openParquetAt(url: string): Promise<{file: AsyncBuffer; metadata: FileMetaData}> {
  const tail = await fetchTail(url);
  // Without a tail, hyparquet asks the length itself (HEAD). A tail that starts at 0 is the whole file
  // (a host that ignores ranges, or a file no longer than the footer fetch), so every read is served from it.
  const remote = await asyncBufferFromUrl({url, byteLength: tail?.byteLength, fetch: countingFetch});
  const opened: AsyncBuffer = {
    byteLength: remote.byteLength,
    slice(start, end = remote.byteLength) {
      if (tail && start >= tail.start && end <= remote.byteLength)
        return tail.bytes.slice(start - tail.start, end - tail.start);
      return remote.slice(start, end);
    }
  };
  const file = forgettingFailures(opened);
  return {file, metadata: await parquetMetadataAsync(file, {initialFetchSize: FOOTER_FETCH_BYTES})};
}

/** A Parquet file at href (relative to the page) and its footer (openParquetAt). */
export function openParquetUrl(href: string): Promise<{file: AsyncBuffer; metadata: FileMetaData}> {
  return openParquetAt(new URL(href, location.href).href);
}

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
 * Bytes fetched from a Parquet file's end to find its footer (hyparquet's initialFetchSize, 512 KiB by
 * default). The sample's spans footer is about 24 KB, so the default fetched over a quarter of the
 * whole 1.8 MB file before any column; a footer larger than this costs one more request instead.
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

/** A Parquet file at url (relative to the page) and its footer, fetched through countingFetch. */
export async function openParquetUrl(href: string): Promise<{file: AsyncBuffer; metadata: FileMetaData}> {
  const url = new URL(href, location.href).href;
  const file = forgettingFailures(await asyncBufferFromUrl({url, fetch: countingFetch}));
  return {file, metadata: await parquetMetadataAsync(file, {initialFetchSize: FOOTER_FETCH_BYTES})};
}

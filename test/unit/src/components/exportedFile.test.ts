import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetMetadata} from "hyparquet";
import {afterAll, afterEach, beforeAll, describe, expect, test, vi} from "vitest";
import {openDatabase} from "../../../../loaders/warehouse/duckdb.js";
import {FOOTER_FETCH_BYTES, fetchStats, openParquetAt} from "../../../../src/components/exportedFile.js";
import {serveStatic, type StaticServer} from "../../../browser/server.js";

let dir: string;
let ranged: StaticServer;
let whole: StaticServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "exported-file-"));
  const db = await openDatabase();
  try {
    // A file far larger than the footer fetch, and one smaller than it.
    await db.run(`COPY (SELECT i, 'row-' || i AS label FROM range(400000) t(i))
      TO '${join(dir, "large.parquet")}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 100000)`);
    await db.run(`COPY (SELECT i FROM range(10) t(i)) TO '${join(dir, "small.parquet")}' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  ranged = await serveStatic(dir);
  whole = await serveStatic(dir, {ranges: false});
});
afterAll(async () => {
  await ranged?.close();
  await whole?.close();
  rmSync(dir, {recursive: true, force: true});
});
afterEach(() => vi.restoreAllMocks());

/**
 * Every request the page would send: method and Range header, in order. `answer` may answer a request
 * itself (by its Range header) instead of the server.
 */
function recordRequests(answer: (range: string | null) => Response | undefined = () => undefined): string[] {
  const sent: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const range = new Headers(init?.headers).get("range");
    sent.push(`${init?.method ?? "GET"} ${range ?? "whole"}`);
    return answer(range) ?? real(input, init);
  });
  return sent;
}

const bytesOf = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

describe("openParquetAt(url)", () => {
  test("takes the file's length and footer from one suffix range, then reads other bytes by range", async () => {
    const sent = recordRequests();
    const before = {...fetchStats};
    const {file, metadata} = await openParquetAt(`${ranged.origin}/large.parquet`);
    const expected = bytesOf("large.parquet");
    expect(expected.length).toBeGreaterThan(4 * FOOTER_FETCH_BYTES);
    expect(file.byteLength).toBe(expected.length);
    expect(metadata).toEqual(parquetMetadata(expected.buffer));
    expect(sent).toEqual([`GET bytes=-${FOOTER_FETCH_BYTES}`]);
    // Bytes within the footer's fetch come from it; others by a range request of their own.
    const end = expected.length;
    expect(new Uint8Array(await file.slice(end - 100, end - 10))).toEqual(expected.subarray(end - 100, end - 10));
    expect(sent.length).toBe(1);
    expect(new Uint8Array(await file.slice(1000, 5000))).toEqual(expected.subarray(1000, 5000));
    expect(sent).toEqual([`GET bytes=-${FOOTER_FETCH_BYTES}`, "GET bytes=1000-4999"]);
    expect(fetchStats.requests - before.requests).toBe(2);
    expect(fetchStats.bytes - before.bytes).toBe(FOOTER_FETCH_BYTES + 4000);
  });

  test("reads a file shorter than the footer fetch from that one request", async () => {
    const sent = recordRequests();
    const {file, metadata} = await openParquetAt(`${ranged.origin}/small.parquet`);
    const expected = bytesOf("small.parquet");
    expect(expected.length).toBeLessThan(FOOTER_FETCH_BYTES);
    expect(metadata).toEqual(parquetMetadata(expected.buffer));
    expect(new Uint8Array(await file.slice(4, 20))).toEqual(expected.subarray(4, 20));
    expect(sent).toEqual([`GET bytes=-${FOOTER_FETCH_BYTES}`]);
  });

  test("keeps the whole file from a host that ignores ranges, and asks nothing more", async () => {
    const sent = recordRequests();
    const {file, metadata} = await openParquetAt(`${whole.origin}/large.parquet`);
    const expected = bytesOf("large.parquet");
    expect(metadata).toEqual(parquetMetadata(expected.buffer));
    expect(new Uint8Array(await file.slice(1000, 5000))).toEqual(expected.subarray(1000, 5000));
    expect(sent).toEqual([`GET bytes=-${FOOTER_FETCH_BYTES}`]);
  });

  test.each([
    ["a partial answer does not say where it lies", 206],
    ["the host refuses suffix ranges", 416]
  ])("opens the file as hyparquet does when %s", async (_, status) => {
    const expected = bytesOf("large.parquet");
    const sent = recordRequests((range) =>
      range === `bytes=-${FOOTER_FETCH_BYTES}`
        ? new Response(status === 206 ? expected.slice(expected.length - FOOTER_FETCH_BYTES) : null, {status})
        : undefined
    );
    const {metadata} = await openParquetAt(`${ranged.origin}/large.parquet`);
    expect(metadata).toEqual(parquetMetadata(expected.buffer));
    expect(sent).toEqual([
      `GET bytes=-${FOOTER_FETCH_BYTES}`,
      "HEAD whole",
      `GET bytes=${expected.length - FOOTER_FETCH_BYTES}-${expected.length - 1}`
    ]);
  });

  test("fails with the status when the file is missing", async () => {
    await expect(openParquetAt(`${ranged.origin}/missing.parquet`)).rejects.toThrow(
      /fetching http:\/\/127.0.0.1:\d+\/missing.parquet failed \(404\)/
    );
  });
});

import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetMetadataAsync, type AsyncBuffer} from "hyparquet";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDatabase} from "../../../../loaders/warehouse/duckdb.js";
import {groupStarts, matchingRows, rangesFor} from "../../../../src/components/rowRanges.js";

describe("rangesFor(indices, starts)", () => {
  const starts = groupStarts([100, 100, 50]);
  it("starts each row group where the previous ends", () => expect(starts).toEqual([0, 100, 200, 250]));
  it("reads one range per row group holding a wanted row, first to last", () => {
    expect(rangesFor([205, 3, 99, 100, 150], starts)).toEqual([
      [3, 100],
      [100, 151],
      [205, 206]
    ]);
  });
  it("reads nothing for no row", () => expect(rangesFor([], starts)).toEqual([]));
});

describe("matchingRows(file, metadata, …) on a DuckDB-written file of 6 row groups", () => {
  const dir = mkdtempSync(join(tmpdir(), "workbench-rowranges-"));
  const path = join(dir, "t.parquet");
  let bytes: Uint8Array;
  // The file as hyparquet's AsyncBuffer, counting the bytes it hands out, as range requests would fetch them.
  const counted = () => {
    const read = {bytes: 0};
    const file: AsyncBuffer = {
      byteLength: bytes.byteLength,
      slice(start, end = bytes.byteLength) {
        read.bytes += end - start;
        return bytes.slice(start, end).buffer;
      }
    };
    return {file, read};
  };
  beforeAll(async () => {
    const db = await openDatabase();
    await db.run(
      `COPY (SELECT 'c-' || lpad(i::VARCHAR, 5, '0') AS id, (i % 7)::INTEGER AS bucket, i::VARCHAR || repeat(chr((65 + i % 26)::INTEGER), 300) AS text
             FROM range(60000) t(i) ORDER BY i)
       TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 10000)`
    );
    db.close();
    bytes = new Uint8Array(readFileSync(path));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("returns the one matching row whole, reading its id column and one row group, not the file", async () => {
    const {file, read} = counted();
    const metadata = await parquetMetadataAsync(file);
    expect(metadata.row_groups.length).toBe(6);
    const found = await matchingRows(file, metadata, "t", ["id"], (c, i) => c.id[i] === "c-42424");
    expect(found.total).toBe(1);
    expect(found.rows).toEqual([
      {id: "c-42424", bucket: 42424 % 7, text: "42424" + String.fromCharCode(65 + (42424 % 26)).repeat(300)}
    ]);
    // The id column (~1/27 of the file) plus one of six row groups: well under a third of the bytes.
    expect(read.bytes / bytes.byteLength).toBeLessThan(0.25);
  });

  it("keeps the last rows under a limit and counts every match", async () => {
    const {file} = counted();
    const metadata = await parquetMetadataAsync(file);
    const found = await matchingRows(file, metadata, "t", ["bucket"], (c, i) => c.bucket[i] === 3, {limit: 5});
    const expected = Array.from({length: 60000}, (_, i) => i).filter((i) => i % 7 === 3);
    expect(found.total).toBe(expected.length);
    expect(found.rows.map((r) => r.id)).toEqual(expected.slice(-5).map((i) => `c-${String(i).padStart(5, "0")}`));
  });

  it("names the file and the columns it has when a filter column is missing", async () => {
    const {file} = counted();
    const metadata = await parquetMetadataAsync(file);
    await expect(matchingRows(file, metadata, "t", ["segment"], () => true)).rejects.toThrow(
      "the exported t table has no column segment; columns: id, bucket, text."
    );
  });
});

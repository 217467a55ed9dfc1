import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parquetMetadata, parquetRead} from "hyparquet";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {openDatabase, type Database} from "../../../../loaders/warehouse/duckdb.js";
import {columnParsers, numberVector, utf8Vector} from "../../../../src/components/exploreColumns.js";
import {plainKind, readPlainColumn} from "../../../../src/components/parquetPlain.js";

let db: Database;
let dir: string;
beforeAll(async () => {
  db = await openDatabase();
  dir = mkdtempSync(join(tmpdir(), "parquet-plain-"));
});
afterAll(() => {
  db?.close();
  rmSync(dir, {recursive: true, force: true});
});

/**
 * 2,500 rows as the export writes them (uncompressed, small row groups so a column spans several):
 * distinct ids (DuckDB stores them PLAIN), some missing, some outside ASCII, some over 64 bytes; a
 * few kinds (stored with a dictionary); distinct timestamps with microseconds, before and after 1970,
 * some missing; and text without nulls (DuckDB still writes it OPTIONAL, its levels all 1).
 */
async function written(compression = "uncompressed"): Promise<{file: ArrayBuffer; path: string}> {
  const path = join(dir, `t-${compression}.parquet`);
  await db.run(`COPY (
      SELECT CASE WHEN i % 17 = 0 THEN NULL
          WHEN i % 5 = 0 THEN 'trace-é€😀-' || i
          WHEN i % 7 = 0 THEN repeat('x', 70 + i % 30) || i
          ELSE 'trace-' || i END AS id,
        ['llm', 'tool', 'chain'][i % 3 + 1] AS kind,
        CASE WHEN i % 13 = 0 THEN NULL
          ELSE TIMESTAMPTZ '1969-12-31 23:00:00+00' + to_microseconds(i * 1_234_567 + i % 999) END AS at,
        'required-' || i AS required
      FROM range(2500) t(i)
    ) TO '${path}' (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 1000)`);
  await db.run(`CREATE OR REPLACE TABLE required_check AS SELECT * FROM '${path}'`);
  const data = readFileSync(path);
  return {file: data.buffer.slice(data.byteOffset, data.byteOffset + data.length), path};
}

/** The same column as hyparquet and exploreColumns read it (exploreData.ts readColumns' other path). */
async function generic(file: ArrayBuffer, name: string, type: string) {
  const values: unknown[] = [];
  await parquetRead({
    file,
    columns: [name],
    parsers: columnParsers,
    onChunk: ({columnData, rowStart}) => {
      for (let i = 0; i < columnData.length; i++) values[rowStart + i] = columnData[i];
    }
  });
  return type === "VARCHAR" ? utf8Vector(values) : numberVector(values, type);
}

describe("readPlainColumn(file, metadata, name)", () => {
  test("reads PLAIN text and timestamps, with their nulls, as the generic read builds them", async () => {
    const {file} = await written();
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    for (const [name, type] of [
      ["id", "VARCHAR"],
      ["at", "TIMESTAMP WITH TIME ZONE"]
    ]) {
      const plain = await readPlainColumn(file, metadata, name);
      expect(plain, name).not.toBeNull();
      const expected = await generic(file, name, type);
      expect(plain!.length).toBe(2500);
      expect(plain!.nullCount, name).toBe(expected.nullCount);
      expect(plain!.nullCount, name).toBeGreaterThan(0);
      expect(plain!.toArray(), name).toEqual(expected.toArray());
    }
    // Milliseconds truncated toward zero, as DuckDB's epoch_ms: before 1970 too.
    const at = (await readPlainColumn(file, metadata, "at"))!;
    const epochs = await db.query<{ms: number | null}>(
      `SELECT epoch_ms("at")::DOUBLE AS ms FROM required_check ORDER BY rowid`
    );
    expect([...at].map((v) => (v === null ? null : Number(v)))).toEqual(epochs.map((r) => r.ms));
    const required = await readPlainColumn(file, metadata, "required");
    expect(metadata.schema.find((e) => e.name === "required")?.repetition_type).toBe("OPTIONAL");
    expect(required!.toArray()).toEqual((await generic(file, "required", "VARCHAR")).toArray());
  });

  test("leaves to the generic read a column stored with a dictionary, a compressed file, and a column it does not know", async () => {
    const {file} = await written();
    const metadata = parquetMetadata(file);
    expect(plainKind(metadata, "kind")).toBeNull();
    expect(await readPlainColumn(file, metadata, "kind")).toBeNull();
    expect(await readPlainColumn(file, metadata, "nope")).toBeNull();
    const zipped = await written("zstd");
    expect(await readPlainColumn(zipped.file, parquetMetadata(zipped.file), "id")).toBeNull();
  });
});

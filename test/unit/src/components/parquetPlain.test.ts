import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {createRequire} from "node:module";
import {Table, tableToIPC} from "apache-arrow";
import {parquetMetadata, parquetRead, type ColumnChunk, type FileMetaData} from "hyparquet";
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

  test("leaves to the generic read a compressed file, another encoding, and a column it does not know", async () => {
    const {file} = await written();
    const metadata = parquetMetadata(file);
    expect(await readPlainColumn(file, metadata, "nope")).toBeNull();
    const zipped = await written("zstd");
    expect(plainKind(parquetMetadata(zipped.file), "id")).toBeNull();
    expect(await readPlainColumn(zipped.file, parquetMetadata(zipped.file), "id")).toBeNull();
    // Parquet v2 pages: DuckDB writes text DELTA_LENGTH_BYTE_ARRAY, which this reader does not know.
    const path = join(dir, "v2.parquet");
    await db.run(`COPY (SELECT 'v2-' || i AS id FROM range(3000) t(i))
      TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, PARQUET_VERSION v2)`);
    const data = readFileSync(path);
    const v2 = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
    const v2Metadata = parquetMetadata(v2);
    expect(v2Metadata.row_groups[0].columns[0].meta_data?.encodings).toContain("DELTA_LENGTH_BYTE_ARRAY");
    expect(await readPlainColumn(v2, v2Metadata, "id")).toBeNull();
  });
});

/**
 * 6,000 rows in row groups of 2,048, columns DuckDB stores with a dictionary page per row group:
 * a few kinds with nulls, empty strings and text outside ASCII; text with a dictionary in the first
 * row group and PLAIN in the others (DuckDB gives up the dictionary where values are mostly distinct);
 * 300 distinct values (more than a byte's codes); repeated timestamps; and a column of nulls alone.
 */
async function dictionaries(): Promise<{file: ArrayBuffer; path: string}> {
  const path = join(dir, "dictionaries.parquet");
  await db.run(`COPY (
      SELECT ['llm', 'tool', '', 'é€😀', NULL, 'chain'][i % 6 + 1] AS kind,
        CASE WHEN i < 2048 THEN ['a', 'b', NULL][i % 3 + 1] ELSE 'distinct-' || i END AS mixed,
        'v' || (i * 7 % 300) AS many,
        CASE WHEN i % 11 = 0 THEN NULL
          ELSE TIMESTAMPTZ '1969-12-31 23:59:59+00' + to_microseconds((i % 4) * 1_000_999) END AS at,
        NULL::VARCHAR AS nothing
      FROM range(6000) t(i)
    ) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)`);
  const data = readFileSync(path);
  return {file: data.buffer.slice(data.byteOffset, data.byteOffset + data.length), path};
}

const encodings = (metadata: FileMetaData, name: string) =>
  metadata.row_groups.map((g) => {
    const m = g.columns.find((c) => c.meta_data?.path_in_schema[0] === name)!.meta_data!;
    return m.dictionary_page_offset === undefined ? "plain" : "dictionary";
  });

describe("readPlainColumn(file, metadata, name) on dictionary pages", () => {
  test("reads each column as hyparquet does, a dictionary column as an Arrow Dictionary in the narrowest codes", async () => {
    const {file} = await dictionaries();
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.length).toBe(3);
    expect(encodings(metadata, "kind")).toEqual(["dictionary", "dictionary", "dictionary"]);
    expect(encodings(metadata, "mixed")).toEqual(["dictionary", "plain", "plain"]);
    expect(encodings(metadata, "at")).toEqual(["dictionary", "dictionary", "dictionary"]);
    const types: Record<string, string> = {};
    for (const [name, type] of [
      ["kind", "VARCHAR"],
      ["mixed", "VARCHAR"],
      ["many", "VARCHAR"],
      ["at", "TIMESTAMP WITH TIME ZONE"],
      ["nothing", "VARCHAR"]
    ]) {
      const direct = await readPlainColumn(file, metadata, name);
      expect(direct, name).not.toBeNull();
      const expected = await generic(file, name, type);
      expect(direct!.length, name).toBe(6000);
      expect(direct!.nullCount, name).toBe(expected.nullCount);
      expect([...direct!], name).toEqual([...expected]);
      types[name] = String(direct!.type);
    }
    expect(types).toEqual({
      kind: "Dictionary<Int8, Utf8>",
      mixed: "Utf8",
      many: "Dictionary<Int16, Utf8>",
      at: "Timestamp<MILLISECOND>",
      nothing: "Utf8"
    });
  });

  test("copies a dictionary column out as plain text past maxDictionary values", async () => {
    const {file} = await dictionaries();
    const metadata = parquetMetadata(file);
    const direct = await readPlainColumn(file, metadata, "many", {maxDictionary: 899});
    expect(String(direct!.type)).toBe("Utf8");
    expect([...direct!]).toEqual([...(await generic(file, "many", "VARCHAR"))]);
    const kept = await readPlainColumn(file, metadata, "many", {maxDictionary: 900});
    expect(String(kept!.type)).toBe("Dictionary<Int16, Utf8>");
  });

  test("reads a column chunk whose dictionary gives way to PLAIN pages part way (a writer's fallback)", async () => {
    // One column chunk made of DuckDB's first row group (a dictionary) and the next (PLAIN), which
    // lie back to back in a file of one column: the pages a writer such as parquet-mr writes when
    // its dictionary grows too large.
    const path = join(dir, "fallback.parquet");
    await db.run(`COPY (
        SELECT CASE WHEN i < 2048 THEN ['x', 'yé', NULL, ''][i % 4 + 1] ELSE 'distinct-' || i END AS mixed
        FROM range(4096) t(i)
      ) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)`);
    const data = readFileSync(path);
    const file = data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
    const metadata = parquetMetadata(file);
    expect(encodings(metadata, "mixed")).toEqual(["dictionary", "plain"]);
    const [first, second] = metadata.row_groups.map((g) => g.columns[0].meta_data!);
    expect(Number(first.dictionary_page_offset) + Number(first.total_compressed_size)).toBe(
      Number(second.data_page_offset)
    );
    const chunk: ColumnChunk = {
      ...metadata.row_groups[0].columns[0],
      meta_data: {
        ...first,
        num_values: first.num_values + second.num_values,
        total_compressed_size: first.total_compressed_size + second.total_compressed_size,
        total_uncompressed_size: first.total_uncompressed_size + second.total_uncompressed_size,
        encodings: [...new Set([...first.encodings, ...second.encodings])],
        statistics: undefined
      }
    };
    const joined: FileMetaData = {
      ...metadata,
      row_groups: [{...metadata.row_groups[0], num_rows: 4096n, columns: [chunk]}]
    };
    const direct = await readPlainColumn(file, joined, "mixed");
    const values: unknown[] = [];
    await parquetRead({
      file,
      metadata: joined,
      parsers: columnParsers,
      onChunk: ({columnData, rowStart}) => {
        for (let i = 0; i < columnData.length; i++) values[rowStart + i] = columnData[i];
      }
    });
    const expected = utf8Vector(values);
    expect(expected.length).toBe(4096);
    expect(String(direct!.type)).toBe("Utf8");
    expect(direct!.nullCount).toBe(512);
    expect([...direct!]).toEqual([...expected]);
  });

  test("DuckDB-wasm inserts the Dictionary vectors as the VARCHAR values DuckDB reads from the file", async () => {
    const {file, path} = await dictionaries();
    const metadata = parquetMetadata(file);
    const names = ["kind", "mixed", "many", "at", "nothing"];
    const vectors = await Promise.all(names.map((name) => readPlainColumn(file, metadata, name)));
    const wasm = await duckdbWasm();
    const connection = wasm.connect();
    try {
      connection.insertArrowFromIPCStream(
        tableToIPC(new Table(Object.fromEntries(names.map((n, i) => [n, vectors[i]!]))), "stream"),
        {name: "t", create: true}
      );
      const typed = connection.query(`SELECT typeof(kind) AS kind, typeof(many) AS many FROM t LIMIT 1`).toArray()[0];
      expect({kind: typed.kind, many: typed.many}).toEqual({kind: "VARCHAR", many: "VARCHAR"});
      const sql = `SELECT kind, mixed, many, epoch_ms("at")::DOUBLE AS at_ms, nothing FROM t ORDER BY rowid`;
      const inserted = connection
        .query(sql)
        .toArray()
        .map((r: {toJSON(): object}) => ({...r.toJSON()}));
      const expected = await db.query(
        `SELECT kind, mixed, many, epoch_ms("at")::DOUBLE AS at_ms, nothing
        FROM read_parquet('${path}', file_row_number = true)
        ORDER BY file_row_number`
      );
      expect(inserted).toEqual(expected);
      // Sorted here: DuckDB-wasm 1.29's ORDER BY puts 'é€😀' before '' (DuckDB 1.1's string sort).
      type Count = {kind: string | null; n: number};
      const counts = (rows: Count[]) => rows.map((r) => `${r.kind}: ${r.n}`).sort();
      const grouped = connection.query(`SELECT kind, count(*)::INTEGER AS n FROM t GROUP BY ALL`).toArray();
      expect(counts(grouped.map((r: {toJSON(): Count}) => r.toJSON()))).toEqual(
        counts(await db.query<Count>(`SELECT kind, count(*)::INTEGER AS n FROM '${path}' GROUP BY ALL`))
      );
    } finally {
      connection.close();
    }
  }, 120_000); // Compiling DuckDB-wasm took 5 s here idle and up to 29 s with the machine loaded.
});

/** DuckDB-wasm as the pages run it, in this process (its blocking Node build over the same WebAssembly). */
async function duckdbWasm() {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const eh = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
  const mvp = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm");
  const wasm = await duckdb.createDuckDB(
    {mvp: {mainModule: mvp, mainWorker: ""}, eh: {mainModule: eh, mainWorker: ""}},
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME
  );
  await wasm.instantiate();
  return wasm;
}

// A direct read of the exported text and timestamp columns, where hyparquet's generic read is slowest:
// it makes a Uint8Array view per text value and a BigInt per timestamp, and at 2M spans that was most
// of a query's load. The export writes COMPRESSION uncompressed, and DuckDB stores a column either
// PLAIN (mostly distinct values such as trace_id) or with a dictionary page per row group (repeated
// values such as model); a table written as Parquet v2 (loaders/explore/tables.ts) stores distinct
// text DELTA_LENGTH_BYTE_ARRAY (the lengths delta-packed, then the bytes back to back) and distinct
// timestamps DELTA_BINARY_PACKED (a few bits a row where they are sorted; parquetDelta.ts). Here
// PLAIN and delta-length text is copied straight into the Arrow column's offsets and bytes; text
// whose every row group has a dictionary becomes an Arrow Dictionary vector (small integer codes into
// the distinct values, which DuckDB-wasm inserts as VARCHAR at a fraction of the cost of a string per
// row); timestamps are written as Arrow's 64-bit words. Each row group is decoded as soon as it has
// come, while the later ones download. Pages come as DATA_PAGE or DATA_PAGE_V2. Any
// column chunk this reader does not know (compression, another encoding or page type, a nested
// column) makes it return null, and the caller reads that column with hyparquet.
import {
  Dictionary,
  Int16,
  Int32,
  Int8,
  makeData,
  makeVector,
  TimestampMillisecond,
  Utf8,
  type Vector
} from "apache-arrow";
import type {
  AsyncBuffer,
  ColumnChunk,
  DataPageHeader,
  DataReader,
  FileMetaData,
  PageHeader,
  SchemaElement
} from "hyparquet";
import {deltaBinaryPacked} from "../lib/parquetDelta.js";

type Kind = "text" | "timestamp";

/** Whether the column is text or a microsecond timestamp, flat, uncompressed and in encodings this reader knows, in every row group. */
export function plainKind(metadata: FileMetaData, name: string): Kind | null {
  const element = metadata.schema.find((e, i) => i > 0 && e.name === name);
  if (!element || element.num_children || element.repetition_type === "REPEATED") return null;
  const kind = kindOf(element);
  if (!kind) return null;
  const chunks = metadata.row_groups.map((g) => g.columns.find((c) => c.meta_data?.path_in_schema.join(".") === name));
  return chunks.every((c) => c?.meta_data && knownChunk(c)) ? kind : null;
}

function kindOf(e: SchemaElement): Kind | null {
  if (e.type === "BYTE_ARRAY" && (e.converted_type === "UTF8" || e.logical_type?.type === "STRING")) return "text";
  const micros =
    e.converted_type === "TIMESTAMP_MICROS" ||
    (e.logical_type?.type === "TIMESTAMP" && e.logical_type.unit === "MICROS");
  return e.type === "INT64" && micros ? "timestamp" : null;
}

const ENCODINGS = new Set([
  "PLAIN",
  "RLE",
  "BIT_PACKED",
  "PLAIN_DICTIONARY",
  "RLE_DICTIONARY",
  "DELTA_BINARY_PACKED",
  "DELTA_LENGTH_BYTE_ARRAY"
]);

/** The value encoding each kind reads besides PLAIN and the dictionary's. */
const DELTA: Record<Kind, string> = {timestamp: "DELTA_BINARY_PACKED", text: "DELTA_LENGTH_BYTE_ARRAY"};

const knownChunk = ({meta_data: m}: ColumnChunk) =>
  m!.codec === "UNCOMPRESSED" && m!.encodings.every((e) => ENCODINGS.has(e));

const TWO_32 = 2 ** 32;

/**
 * Values in the row groups' dictionary pages, together, up to which a text column becomes an Arrow
 * Dictionary; beyond, it is copied out as plain text (a dictionary of mostly distinct values, such as
 * output excerpts, saves DuckDB little, and merging the row groups' dictionaries costs a JavaScript
 * string per value).
 */
export const MAX_DICTIONARY = 65_536;

/** Each row's code into a text column's distinct values. */
type Codes = Int8Array | Int16Array | Int32Array;

/** A row group's dictionary page: text as offsets into its bytes and, while the column stays a dictionary, each value's code in the column's; timestamps as words. */
interface PageDictionary {
  count: number;
  offsets: Int32Array;
  bytes: Uint8Array;
  codes: Int32Array | null;
  words: Int32Array;
}

/** Where a column's values go, row by row: Arrow's validity bitmap and the kind's own buffers. */
class Column {
  readonly valid: Uint8Array;
  nulls = 0;
  /** Rows written so far. */
  filled = 0;
  // Text as a dictionary: each row's code into `entries` (while codes is not null), in the narrowest
  // integer array that holds every code so far (widened when a code outgrows it).
  codes: Codes | null = null;
  entries: Uint8Array[] = [];
  private readonly ids = new Map<string, number>();
  // Text as plain Utf8.
  offsets = new Int32Array(0);
  data = new Uint8Array(0);
  bytes = 0;
  // Timestamps: epoch milliseconds as little-endian 32-bit halves.
  words = new Int32Array(0);
  /** Text is read as an Arrow Dictionary until a PLAIN page comes or the dictionaries grow past MAX_DICTIONARY, then as plain Utf8. */
  constructor(
    readonly kind: Kind,
    readonly rows: number
  ) {
    this.valid = new Uint8Array((rows + 7) >> 3);
    if (kind === "timestamp") this.words = new Int32Array(rows * 2);
    else this.codes = new Int8Array(rows);
  }

  /** Reads a dictionary page's `count` PLAIN values from `at` to `end`; null when they do not fit or a value is not representable. */
  dictionary(bytes: Uint8Array, view: DataView, at: number, end: number, count: number): PageDictionary | null {
    const page: PageDictionary = {
      count,
      offsets: new Int32Array(count + 1),
      bytes,
      codes: null,
      words: new Int32Array(0)
    };
    if (this.kind === "timestamp") {
      if (at + count * 8 > end) return null;
      page.words = new Int32Array(count * 2);
      for (let i = 0; i < count; i++, at += 8) if (!timestampWords(view, at, page.words, i)) return null;
      return page;
    }
    // Text: offsets[i] is where value i's bytes start in `bytes`, its length in the 4 bytes before.
    for (let i = 0; i < count; i++) {
      if (at + 4 > end) return null;
      page.offsets[i] = at + 4;
      at += 4 + view.getUint32(at, true);
    }
    if (at > end) return null;
    page.offsets[count] = at + 4;
    if (this.codes) {
      page.codes = new Int32Array(count);
      for (let i = 0; i < count; i++) page.codes[i] = this.code(bytes.subarray(page.offsets[i], valueEnd(page, i)));
    }
    return page;
  }

  /** The column's code for a value, adding it: keyed by its bytes (one char per byte), so any bytes stay distinct. */
  private code(value: Uint8Array): number {
    let key = "";
    for (let k = 0; k < value.length; k += 4096)
      key += String.fromCharCode.apply(null, value.subarray(k, k + 4096) as unknown as number[]);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.entries.length;
      this.ids.set(key, id);
      this.entries.push(value);
      // The codes so far into a wider array when this one outgrows theirs (a byte each until 128 values).
      const codes = this.codes!;
      if (id === 128 && codes instanceof Int8Array) this.codes = Int16Array.from(codes);
      else if (id === 32_768 && codes instanceof Int16Array) this.codes = Int32Array.from(codes);
    }
    return id;
  }

  /** Row `row` takes value `index` of the page dictionary; false when there is no such value. */
  fromDictionary(page: PageDictionary, index: number, row: number): boolean {
    if (index >= page.count) return false;
    this.present(row);
    if (this.kind === "timestamp") {
      this.words[2 * row] = page.words[2 * index];
      this.words[2 * row + 1] = page.words[2 * index + 1];
    } else if (this.codes) this.codes[row] = page.codes![index];
    else this.append(page.bytes, page.offsets[index], valueEnd(page, index), row);
    return true;
  }

  /**
   * Rows `row` … take the values `indices` of the page dictionary, none missing; false when an index
   * has no value. One loop for the page, not a call per row: at 2M spans the model column's read took
   * about half the time so (Node, warm: 24 against 47 ms).
   */
  fromDictionaryAll(page: PageDictionary, indices: Int32Array, row: number): boolean {
    const n = indices.length;
    const count = page.count;
    if (this.kind === "timestamp" || !this.codes) {
      for (let k = 0; k < n; k++) if (!this.fromDictionary(page, indices[k], row + k)) return false;
      return true;
    }
    const codes = this.codes;
    const pageCodes = page.codes!;
    for (let k = 0; k < n; k++) {
      const index = indices[k];
      if (index >= count) return false;
      codes[row + k] = pageCodes[index];
    }
    this.presentAll(row, n);
    return true;
  }

  /** Rows `row` … take the timestamps of `micros` microseconds (safe integers), none missing. */
  timestamps(micros: Float64Array, row: number) {
    const n = micros.length;
    for (let k = 0; k < n; k++) millisecondWords(micros[k], this.words, row + k);
    this.presentAll(row, n);
  }

  /** Reads one PLAIN value at `at` of the page into row `row`; returns the offset after it, or -1 when not representable. */
  value(bytes: Uint8Array, view: DataView, at: number, row: number): number {
    if (this.kind === "timestamp") {
      this.present(row);
      return timestampWords(view, at, this.words, row) ? at + 8 : -1;
    }
    const start = at + 4;
    return this.text(bytes, start, start + view.getUint32(at, true), row);
  }

  /** Row `row` takes the text in bytes [start, end); returns end. */
  text(bytes: Uint8Array, start: number, end: number, row: number): number {
    // A page of values in a column read as a dictionary so far (a writer's fallback): plain text from here on.
    if (this.codes) this.toPlain();
    this.present(row);
    this.append(bytes, start, end, row);
    return end;
  }

  /** Row `row` takes a timestamp of `micros` microseconds (a safe integer). */
  timestamp(micros: number, row: number) {
    this.present(row);
    millisecondWords(micros, this.words, row);
  }

  missing(row: number) {
    this.nulls++;
    this.filled = row + 1;
    if (this.kind === "text" && !this.codes) this.offsets[row + 1] = this.bytes;
  }

  private present(row: number) {
    this.valid[row >> 3] |= 1 << (row & 7);
    this.filled = row + 1;
  }

  /** Rows [row, row + n) present: their validity bits set, whole bytes at once. */
  private presentAll(row: number, n: number) {
    if (n === 0) return;
    const end = row + n;
    const valid = this.valid;
    let i = row;
    for (; i < end && i & 7; i++) valid[i >> 3] |= 1 << (i & 7);
    const whole = (end - i) >> 3;
    if (whole > 0) {
      valid.fill(0xff, i >> 3, (i >> 3) + whole);
      i += whole << 3;
    }
    for (; i < end; i++) valid[i >> 3] |= 1 << (i & 7);
    this.filled = end;
  }

  private append(bytes: Uint8Array, start: number, end: number, row: number) {
    const length = end - start;
    if (this.bytes + length > this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, this.bytes + length));
      grown.set(this.data.subarray(0, this.bytes));
      this.data = grown;
    }
    // Byte by byte: a subarray per value (a new view object) is what made hyparquet's read slow.
    const data = this.data;
    for (let k = 0, to = this.bytes; k < length; k++) data[to + k] = bytes[start + k];
    this.bytes += length;
    this.offsets[row + 1] = this.bytes;
  }

  /** Text from here on as plain Utf8: the rows read so far as a dictionary are written out as their values. */
  toPlain() {
    const codes = this.codes!;
    this.codes = null;
    this.offsets = new Int32Array(this.rows + 1);
    this.data = new Uint8Array(Math.max(1024, this.rows * 16));
    for (let row = 0; row < this.filled; row++) {
      if (this.valid[row >> 3] & (1 << (row & 7))) {
        const value = this.entries[codes[row]];
        this.append(value, 0, value.length, row);
      } else this.offsets[row + 1] = this.bytes;
    }
    this.entries = [];
    this.ids.clear();
  }

  vector(): Vector {
    const common = {length: this.rows, nullCount: this.nulls, nullBitmap: this.nulls > 0 ? this.valid : null};
    if (this.kind === "timestamp")
      return makeVector(
        makeData({...common, type: new TimestampMillisecond(), data: new BigInt64Array(this.words.buffer)})
      );
    // A column of nulls alone has no values to index: plain text, so no code points past an empty dictionary.
    if (this.codes && this.entries.length > 0) return this.dictionaryVector(this.codes, common);
    if (this.codes) this.toPlain();
    return makeVector(
      makeData({...common, type: new Utf8(), valueOffsets: this.offsets, data: this.data.subarray(0, this.bytes)})
    );
  }

  /** Codes in the narrowest integer that holds them (a model column's codes in a byte each). */
  private dictionaryVector(codes: Codes, common: {length: number; nullCount: number; nullBitmap: Uint8Array | null}) {
    // Widened as the values came (code), so the array is already the narrowest that holds them.
    const index = codes instanceof Int8Array ? new Int8() : codes instanceof Int16Array ? new Int16() : new Int32();
    return makeVector(
      makeData({...common, type: new Dictionary(new Utf8(), index), data: codes, dictionary: utf8Values(this.entries)})
    );
  }
}

/** The end of value i of a text dictionary page (its next value's start less that one's 4-byte length). */
const valueEnd = (page: PageDictionary, i: number) => page.offsets[i + 1] - 4;

/** A dictionary column's distinct values as a Utf8 vector. */
function utf8Values(values: readonly Uint8Array[]): Vector<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  values.forEach((v, i) => (offsets[i + 1] = offsets[i] + v.length));
  const data = new Uint8Array(offsets[values.length]);
  values.forEach((v, i) => data.set(v, offsets[i]));
  return makeVector(makeData({type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data}));
}

/** A microsecond INT64 at `at` as epoch milliseconds in words[2i], words[2i + 1]; false when not a safe integer. */
function timestampWords(view: DataView, at: number, words: Int32Array, i: number): boolean {
  const micros = view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true);
  if (!Number.isSafeInteger(micros)) return false;
  millisecondWords(micros, words, i);
  return true;
}

/** `micros` as epoch milliseconds in words[2i], words[2i + 1]. */
function millisecondWords(micros: number, words: Int32Array, i: number) {
  // Milliseconds, truncated toward zero as exploreColumns' timestampsAsMilliseconds reads them (+ 0: no -0).
  const ms = Math.trunc(micros / 1000) + 0;
  const high = Math.floor(ms / TWO_32);
  words[2 * i] = ms - high * TWO_32;
  words[2 * i + 1] = high;
}

/**
 * A page's definition levels (0 = null, 1 = present; RLE with maximum level 1), the reader moved past
 * them: in v1 behind a 4-byte length, in v2 of the header's length (none when it has no nulls). A
 * required column has none. Null when they are not what this reader knows.
 */
function definitionLevels(
  reader: DataReader,
  count: number,
  optional: boolean,
  v1: DataPageHeader | undefined,
  v2: PageHeader["data_page_header_v2"],
  readRleBitPackedHybrid: (reader: DataReader, width: number, output: Uint8Array, length?: number) => void
): Uint8Array | null {
  const levels = new Uint8Array(count);
  if (!optional || (v2 && !v2.definition_levels_byte_length && !v2.num_nulls)) return levels.fill(1);
  if (v1 && v1.definition_level_encoding !== "RLE") return null;
  if (v2 && !v2.definition_levels_byte_length) return null;
  readRleBitPackedHybrid(reader, 1, levels, v2?.definition_levels_byte_length);
  return levels;
}

/**
 * The column as an Arrow vector (text as Utf8 or a Dictionary of Utf8, timestamps as epoch
 * milliseconds, the values exploreColumns builds), or null when plainKind does not take it or a page
 * is not what it expects.
 */
export async function readPlainColumn(
  file: AsyncBuffer,
  metadata: FileMetaData,
  name: string,
  {maxDictionary = MAX_DICTIONARY}: {maxDictionary?: number} = {}
): Promise<Vector | null> {
  const kind = plainKind(metadata, name);
  if (!kind) return null;
  // Imported here, not at the top: a page that imports exploreData (Explore, notebooks) would preload
  // these modules (22 KB, bundled apart from hyparquet's index) before any query.
  const [{parquetHeader}, {readRleBitPackedHybrid}] = await Promise.all([
    import("hyparquet/src/column.js"),
    import("hyparquet/src/encoding.js")
  ]);
  const optional = metadata.schema.find((e, i) => i > 0 && e.name === name)!.repetition_type !== "REQUIRED";
  // Every row group's range requested at once; each is decoded as soon as it and those before it have
  // come, so decoding runs while the rest download (at 2M spans the download and the decoding took
  // about as long as each other in Chromium).
  const chunks = metadata.row_groups.map((group) => {
    const m = group.columns.find((c) => c.meta_data?.path_in_schema.join(".") === name)!.meta_data!;
    // The chunk's range as hyparquet reads it, so a fallback to hyparquet finds it in the cache.
    const start = Number(m.dictionary_page_offset || m.data_page_offset);
    const chunk = Promise.resolve(file.slice(start, start + Number(m.total_compressed_size)));
    // A failed range is reported when its turn comes (or by hyparquet after a fallback), not as unhandled before.
    chunk.catch(() => undefined);
    return chunk;
  });
  const column = new Column(kind, Number(metadata.num_rows));
  // Scratch for a page's indices and delta-decoded values, reused: a new array per page was as much
  // fresh memory again as the column itself.
  let indexScratch = new Int32Array(0);
  let valueScratch = new Float64Array(0);
  // The values of the dictionary pages read so far, together (against maxDictionary).
  let inDictionaries = 0;
  let row = 0;
  for (const chunk of chunks) {
    const buffer = await chunk;
    const view = new DataView(buffer);
    const bytes = new Uint8Array(buffer);
    const reader = {view, offset: 0};
    let dictionary: PageDictionary | null = null;
    while (reader.offset < view.byteLength) {
      const header = parquetHeader(reader);
      const pageStart = reader.offset;
      const pageEnd = pageStart + header.compressed_page_size;
      if (header.type === "DICTIONARY_PAGE") {
        const d = header.dictionary_page_header;
        if (!d || dictionary || (d.encoding !== "PLAIN" && d.encoding !== "PLAIN_DICTIONARY")) return null;
        // A dictionary of mostly distinct values (such as output excerpts) saves DuckDB little, and
        // merging the row groups' dictionaries costs a JavaScript string per value: plain text past this size.
        inDictionaries += d.num_values;
        if (column.codes && inDictionaries > maxDictionary) column.toPlain();
        dictionary = column.dictionary(bytes, view, pageStart, pageEnd, d.num_values);
        if (!dictionary) return null;
        reader.offset = pageEnd;
        continue;
      }
      const v1 = header.type === "DATA_PAGE" ? header.data_page_header : undefined;
      const v2 = header.type === "DATA_PAGE_V2" ? header.data_page_header_v2 : undefined;
      const count = v1?.num_values ?? v2?.num_values;
      const encoding = (v1 ?? v2)?.encoding;
      const coded = encoding === "RLE_DICTIONARY" || encoding === "PLAIN_DICTIONARY";
      const delta = encoding === DELTA[kind];
      if (count === undefined || (encoding !== "PLAIN" && !coded && !delta) || (coded && !dictionary)) return null;
      if (row + count > column.rows) return null;
      // v2's is_compressed is moot: plainKind took only uncompressed chunks.
      if (v2?.repetition_levels_byte_length) return null;
      const levels = definitionLevels(reader, count, optional, v1, v2, readRleBitPackedHybrid);
      if (!levels) return null;
      let present = 0;
      for (let i = 0; i < count; i++) present += levels[i];
      if (coded) {
        // The present values' indices into the row group's dictionary: a bit width, then RLE/bit-packed runs.
        if (indexScratch.length < present) indexScratch = new Int32Array(present);
        const indices = indexScratch.subarray(0, present);
        const width = view.getUint8(reader.offset++);
        if (width > 32) return null;
        if (width > 0) readRleBitPackedHybrid(reader, width, indices, pageEnd - reader.offset);
        if (present === count) {
          if (!column.fromDictionaryAll(dictionary!, indices, row)) return null;
          row += count;
        } else
          for (let i = 0, k = 0; i < count; i++, row++) {
            if (!levels[i]) column.missing(row);
            else if (!column.fromDictionary(dictionary!, indices[k++], row)) return null;
          }
      } else if (delta) {
        // Timestamps: the values themselves; text: the values' lengths, their bytes after them back to back.
        if (valueScratch.length < present) valueScratch = new Float64Array(present);
        const values = valueScratch.subarray(0, present);
        let at = deltaBinaryPacked(bytes, reader.offset, pageEnd, values);
        if (at < 0) return null;
        if (kind === "timestamp" && present === count) {
          column.timestamps(values, row);
          row += count;
        } else
          for (let i = 0, k = 0; i < count; i++, row++) {
            if (!levels[i]) column.missing(row);
            else if (kind === "timestamp") column.timestamp(values[k++], row);
            else {
              const length = values[k++];
              if (length < 0 || at + length > pageEnd) return null;
              at = column.text(bytes, at, at + length, row);
            }
          }
      } else {
        let at = reader.offset;
        for (let i = 0; i < count; i++, row++) {
          if (levels[i]) {
            at = column.value(bytes, view, at, row);
            if (at < 0) return null;
          } else column.missing(row);
        }
      }
      reader.offset = pageEnd;
    }
  }
  return row === column.rows ? column.vector() : null;
}

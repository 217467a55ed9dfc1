// A direct read of the exported columns hyparquet's generic read is slowest on: text stored PLAIN (no
// dictionary, as DuckDB writes a column of mostly distinct values such as trace_id) and INT64 timestamps,
// in uncompressed, flat columns (the export writes COMPRESSION uncompressed). hyparquet makes a
// Uint8Array view per text value and a BigInt per timestamp; at 2M spans that was most of a filter's
// read (trace_id alone half of it). Here the page bytes are copied straight into the Arrow column's
// offsets and data. Any column chunk this reader does not know (a dictionary page, compression, another
// page type) makes it return null, and the caller reads that column with hyparquet.
import {makeData, makeVector, TimestampMillisecond, Utf8, type Vector} from "apache-arrow";
import type {AsyncBuffer, ColumnChunk, FileMetaData, SchemaElement} from "hyparquet";

type Kind = "text" | "timestamp";

/** Whether the column is text or a microsecond timestamp, flat, and stored PLAIN and uncompressed in every row group. */
export function plainKind(metadata: FileMetaData, name: string): Kind | null {
  const element = metadata.schema.find((e, i) => i > 0 && e.name === name);
  if (!element || element.num_children || element.repetition_type === "REPEATED") return null;
  const kind = kindOf(element);
  if (!kind) return null;
  const chunks = metadata.row_groups.map((g) => g.columns.find((c) => c.meta_data?.path_in_schema.join(".") === name));
  return chunks.every((c) => c?.meta_data && plainChunk(c)) ? kind : null;
}

function kindOf(e: SchemaElement): Kind | null {
  if (e.type === "BYTE_ARRAY" && (e.converted_type === "UTF8" || e.logical_type?.type === "STRING")) return "text";
  const micros =
    e.converted_type === "TIMESTAMP_MICROS" ||
    (e.logical_type?.type === "TIMESTAMP" && e.logical_type.unit === "MICROS");
  return e.type === "INT64" && micros ? "timestamp" : null;
}

const plainChunk = ({meta_data: m}: ColumnChunk) =>
  m!.codec === "UNCOMPRESSED" &&
  m!.dictionary_page_offset === undefined &&
  m!.encodings.every((e) => e === "PLAIN" || e === "RLE" || e === "BIT_PACKED");

const TWO_32 = 2 ** 32;

/** Where a column's values go, row by row: Arrow's validity bitmap and the kind's own buffers. */
class Column {
  readonly valid: Uint8Array;
  nulls = 0;
  offsets = new Int32Array(0);
  data = new Uint8Array(0);
  bytes = 0;
  words = new Int32Array(0);
  constructor(
    readonly kind: Kind,
    readonly rows: number
  ) {
    this.valid = new Uint8Array((rows + 7) >> 3);
    if (kind === "text") {
      this.offsets = new Int32Array(rows + 1);
      this.data = new Uint8Array(Math.max(1024, rows * 16));
    } else this.words = new Int32Array(rows * 2);
  }
  /** Reads one present value at `at` of the page into row `row`; returns the offset after it, or -1 when not representable. */
  value(bytes: Uint8Array, view: DataView, at: number, row: number): number {
    this.valid[row >> 3] |= 1 << (row & 7);
    if (this.kind === "timestamp") {
      const micros = view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true);
      if (!Number.isSafeInteger(micros)) return -1;
      // Milliseconds, truncated toward zero as exploreColumns' timestampsAsMilliseconds reads them (+ 0: no -0).
      const ms = Math.trunc(micros / 1000) + 0;
      const high = Math.floor(ms / TWO_32);
      this.words[2 * row] = ms - high * TWO_32;
      this.words[2 * row + 1] = high;
      return at + 8;
    }
    const length = view.getUint32(at, true);
    const start = at + 4;
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
    return start + length;
  }
  missing(row: number) {
    this.nulls++;
    if (this.kind === "text") this.offsets[row + 1] = this.bytes;
  }
  vector(): Vector {
    const nullBitmap = this.nulls > 0 ? this.valid : null;
    return this.kind === "text"
      ? makeVector(
          makeData({
            type: new Utf8(),
            length: this.rows,
            nullCount: this.nulls,
            nullBitmap,
            valueOffsets: this.offsets,
            data: this.data.subarray(0, this.bytes)
          })
        )
      : makeVector(
          makeData({
            type: new TimestampMillisecond(),
            length: this.rows,
            nullCount: this.nulls,
            nullBitmap,
            data: new BigInt64Array(this.words.buffer)
          })
        );
  }
}

/**
 * The column as an Arrow vector (text as Utf8, timestamps as epoch milliseconds, as exploreColumns
 * builds them), or null when plainKind does not take it or a page is not what it expects.
 */
export async function readPlainColumn(file: AsyncBuffer, metadata: FileMetaData, name: string): Promise<Vector | null> {
  const kind = plainKind(metadata, name);
  if (!kind) return null;
  // Imported here, not at the top: a page that imports exploreData (Explore, notebooks) would preload
  // these modules (22 KB, bundled apart from hyparquet's index) before any query.
  const [{parquetHeader}, {readRleBitPackedHybrid}] = await Promise.all([
    import("hyparquet/src/column.js"),
    import("hyparquet/src/encoding.js")
  ]);
  const optional = metadata.schema.find((e, i) => i > 0 && e.name === name)!.repetition_type !== "REQUIRED";
  const column = new Column(kind, Number(metadata.num_rows));
  const chunks = await Promise.all(
    metadata.row_groups.map(async (group) => {
      const m = group.columns.find((c) => c.meta_data?.path_in_schema.join(".") === name)!.meta_data!;
      const start = Number(m.data_page_offset);
      return file.slice(start, start + Number(m.total_compressed_size));
    })
  );
  let row = 0;
  for (const buffer of chunks) {
    const view = new DataView(buffer);
    const bytes = new Uint8Array(buffer);
    const reader = {view, offset: 0};
    while (reader.offset < view.byteLength) {
      const header = parquetHeader(reader);
      const pageStart = reader.offset;
      const v1 = header.type === "DATA_PAGE" ? header.data_page_header : undefined;
      const v2 = header.type === "DATA_PAGE_V2" ? header.data_page_header_v2 : undefined;
      const count = v1?.num_values ?? v2?.num_values;
      if (count === undefined || (v1 ?? v2)!.encoding !== "PLAIN") return null;
      if (v2 && (v2.repetition_levels_byte_length || v2.is_compressed)) return null;
      // Definition levels (0 = null), RLE with maximum level 1: in v1 after a 4-byte length, in v2 of a given length.
      const levels = new Uint8Array(count);
      if (optional) {
        if (v1 && v1.definition_level_encoding !== "RLE") return null;
        readRleBitPackedHybrid(reader, 1, levels, v2?.definition_levels_byte_length);
      } else levels.fill(1);
      let at = reader.offset;
      for (let i = 0; i < count; i++, row++) {
        if (levels[i]) {
          at = column.value(bytes, view, at, row);
          if (at < 0) return null;
        } else column.missing(row);
      }
      reader.offset = pageStart + header.compressed_page_size;
    }
  }
  return row === column.rows ? column.vector() : null;
}

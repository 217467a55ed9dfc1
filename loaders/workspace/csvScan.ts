// Whether DuckDB's read_csv can read a native CSV file exactly as the JavaScript reader (csvRows in
// loaders/adapters/nativeCsv.ts) would: same cells, same records, and each record on the physical line
// after the one before, so that a row's line is its position plus one. That holds for a plain file: no
// quote character (so no quoted delimiter or line break), one line end (\n), no byte order mark, no
// empty line, only the header's delimiter (csv-parse splits on both comma and tab) and on every line
// as many cells as the header, and no U+FFFD (the JavaScript reader quarantines a record holding one).
// Anything else is read by the JavaScript reader, which handles all of it. Bytes that are not UTF-8
// are left to DuckDB, which refuses the file (and the JavaScript reader then reads it). Read in chunks,
// so a file of any size is scanned in constant memory; the searches are Buffer.indexOf (native code).
import {closeSync, openSync, readSync} from "node:fs";

/** A plain file's header cells (trimmed, as csvRecords keys them) and how many records follow it. */
export type CsvScan = {plain: true; header: string[]; records: number} | {plain: false; reason: string};

const NEWLINE = 10;
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** `delimiter`: the header's (csvHeader). Every line must have as many cells as the first. */
export function scanCsv(path: string, delimiter: "," | "\t", chunkBytes = 1 << 22): CsvScan {
  const other = delimiter === "," ? 9 : 44;
  const delim = delimiter.charCodeAt(0);
  const fd = openSync(path, "r");
  // Room before the chunk for the tail of the line the previous chunk cut off.
  let buffer = Buffer.allocUnsafe(chunkBytes * 2);
  let carried = 0;
  let lines = 0;
  let first = true;
  let header: string[] | undefined;
  let cells = 0;
  try {
    for (;;) {
      if (carried + chunkBytes > buffer.length) {
        // One line longer than the buffer: grow it, keeping the line's start.
        const grown = Buffer.allocUnsafe((carried + chunkBytes) * 2);
        buffer.copy(grown, 0, 0, carried);
        buffer = grown;
      }
      const read = readSync(fd, buffer, carried, chunkBytes, null);
      const end = carried + read;
      const data = buffer.subarray(0, end);
      if (first) {
        first = false;
        if (read >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf)
          return {plain: false, reason: "byte order mark"};
      }
      if (data.indexOf(34, carried) >= 0) return {plain: false, reason: "a quote character"};
      if (data.indexOf(13, carried) >= 0) return {plain: false, reason: "a carriage return"};
      if (data.indexOf(other, carried) >= 0) return {plain: false, reason: "the other delimiter"};
      // A replacement character may straddle the chunk boundary: the carried tail is searched again.
      if (data.indexOf(REPLACEMENT, Math.max(0, carried - 2)) >= 0)
        return {plain: false, reason: "a U+FFFD replacement character"};
      let start = 0;
      for (let nl; (nl = data.indexOf(NEWLINE, start)) >= 0; start = nl + 1) {
        if (!header) {
          header = data
            .toString("utf8", start, nl)
            .split(delimiter)
            .map((h) => h.trim());
          cells = header.length;
        }
        if (!plainLine(data, start, nl, delim, cells)) return {plain: false, reason: `line ${lines + 1}`};
        lines++;
      }
      if (read === 0) {
        // The last line, without a line end.
        if (start < end) {
          if (!header)
            header = data
              .toString("utf8", start, end)
              .split(delimiter)
              .map((h) => h.trim());
          cells = header.length;
          if (!plainLine(data, start, end, delim, cells)) return {plain: false, reason: `line ${lines + 1}`};
          lines++;
        }
        break;
      }
      data.copy(buffer, 0, start, end);
      carried = end - start;
    }
  } finally {
    closeSync(fd);
  }
  // The header is not a record.
  return header ? {plain: true, header, records: lines - 1} : {plain: false, reason: "no header"};
}

/** A line that is not empty and has as many cells as the header. */
function plainLine(data: Buffer, start: number, end: number, delim: number, cells: number): boolean {
  if (end === start) return false;
  let found = 0;
  for (let at = start; (at = data.indexOf(delim, at)) >= 0 && at < end; at++) if (++found >= cells) return false;
  return found === cells - 1;
}

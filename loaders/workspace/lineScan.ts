// What a reader that skips blank lines needs to know to number records by their physical line: how
// many non-blank lines the file has, and whether any blank line comes before one (which would shift
// the numbering). Read in chunks, so a file of any size is scanned in constant memory.
import {closeSync, openSync, readSync} from "node:fs";

export interface LineScan {
  /** Lines holding something other than spaces and carriage returns. */
  dataLines: number;
  /** A blank or whitespace-only line is followed by a data line somewhere in the file. */
  blankBeforeData: boolean;
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
}

const NEWLINE = 10;
// Blank as the line-by-line reader sees it (trim() strips spaces only): a tab-only line is data there,
// a malformed record, so it counts as data here too and the counts then disagree.
const isBlankByte = (b: number) => b === 32 || b === 13;

export function scanLines(path: string, chunkBytes = 1 << 22): LineScan {
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let dataLines = 0;
  let blankBeforeData = false;
  let sawBlank = false;
  let bom = false;
  // Whether the current line has shown only blank bytes so far; the state carries across chunks.
  let lineBlank = true;
  let first = true;
  try {
    for (let read; (read = readSync(fd, buffer, 0, chunkBytes, null)) > 0;) {
      let pos = 0;
      if (first) {
        first = false;
        bom = read >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
      }
      while (pos < read) {
        if (lineBlank) {
          while (pos < read && isBlankByte(buffer[pos])) pos++;
          if (pos === read) break;
          if (buffer[pos] === NEWLINE) {
            sawBlank = true;
            pos++;
            continue;
          }
          lineBlank = false;
          dataLines++;
          if (sawBlank) blankBeforeData = true;
        }
        const end = buffer.indexOf(NEWLINE, pos);
        if (end === -1 || end >= read) break;
        lineBlank = true;
        pos = end + 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return {dataLines, blankBeforeData, bom};
}

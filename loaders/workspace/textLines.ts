// A file's lines as Node reads them, for when DuckDB's line reader refuses the whole file (a byte
// that is not UTF-8, a line beyond its size limit): every line keeps its number, and a line that is
// not valid UTF-8 is marked, so that only that record is quarantined. Linear in the file: a line
// spread over many chunks is joined once, at its end.
import {createReadStream} from "node:fs";

export interface TextLine {
  /** 1-based physical line number. */
  line: number;
  /** The line without its line break (invalid bytes shown as U+FFFD). */
  text: string;
  /** Set when the line's bytes are not valid UTF-8. */
  invalidUtf8: boolean;
}

const NEWLINE = 10;
const strict = new TextDecoder("utf-8", {fatal: true, ignoreBOM: true});
const lenient = new TextDecoder("utf-8", {ignoreBOM: true});

export async function* textLines(path: string): AsyncGenerator<TextLine> {
  let pieces: Buffer[] = [];
  let line = 0;
  const finish = (bytes: Buffer): TextLine => {
    line++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 13) end--;
    const start = line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const body = bytes.subarray(start, end);
    try {
      return {line, text: strict.decode(body), invalidUtf8: false};
    } catch {
      return {line, text: lenient.decode(body), invalidUtf8: true};
    }
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      pieces.push(chunk.subarray(from, at));
      yield finish(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
      pieces = [];
      from = at + 1;
    }
    if (from < chunk.length) pieces.push(chunk.subarray(from));
  }
  if (pieces.length) yield finish(Buffer.concat(pieces));
}

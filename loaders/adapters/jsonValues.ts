// Reads the JSON a tracing tool writes, whatever its framing: one document (pretty or compact), one
// value per line (JSON Lines, the OTel collector's file exporter), or pretty documents one after
// another (the OTel Python console exporter). Streams by line, so a large JSON Lines file is never
// held whole, and reports the line each value starts on.
import {createReadStream} from "node:fs";
import {createInterface} from "node:readline";

export interface JsonValue {
  /** Line where the value starts (1-based). */
  line: number;
  /** The value's source text, for locating records inside it and for quarantine excerpts. */
  text: string;
  value?: unknown;
  /** Set when the text is not valid JSON; the value is then absent. */
  error?: string;
}

interface ScanState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

export interface JsonValuesOptions {
  /**
   * Integers written as JSON numbers lose precision beyond 2^53 in JSON.parse; OTLP/JSON requires
   * nanosecond times as strings, but some exporters write numbers. Keys matching this pattern have
   * long integer values quoted before parsing, so they reach the adapter exact.
   */
  exactIntegerKeys?: RegExp;
}

export async function* jsonValues(path: string, options: JsonValuesOptions = {}): AsyncGenerator<JsonValue> {
  const parse = options.exactIntegerKeys ? exactParser(options.exactIntegerKeys) : JSON.parse;
  const lines = createInterface({input: createReadStream(path, {encoding: "utf8"}), crlfDelay: Infinity});
  const state: ScanState = {depth: 0, inString: false, escaped: false};
  let buffer: string[] = [];
  let start = 0;
  let lineNumber = 0;
  // Once the first value fills exactly one line the file is JSON Lines: a bad line is then one bad
  // record, and must not swallow the lines after it while the scanner waits for a closing brace.
  let jsonLines: boolean | undefined;
  for await (const raw of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (!buffer.length) {
      if (line.trim() === "") continue;
      const fast = parseWholeLine(line, parse);
      jsonLines ??= fast !== undefined;
      if (fast) {
        yield {line: lineNumber, text: line, value: fast.value};
        continue;
      }
      if (jsonLines) {
        yield parsed(line, lineNumber, parse);
        continue;
      }
      start = lineNumber;
    }
    buffer.push(line);
    if (scanLine(state, line) && state.depth === 0) {
      yield parsed(buffer.join("\n"), start, parse);
      buffer = [];
    }
  }
  if (buffer.length) yield parsed(buffer.join("\n"), start, parse);
}

/** Fast path for JSON Lines: a line that is a complete object or array by itself. */
type Parse = (text: string) => unknown;

function exactParser(keys: RegExp): Parse {
  const pattern = new RegExp(`(?<!\\\\)("(?:${keys.source})"\\s*:\\s*)(\\d{16,})`, "g");
  return (text) => JSON.parse(text.replace(pattern, '$1"$2"'));
}

function parseWholeLine(line: string, parse: Parse): {value: unknown} | undefined {
  const t = line.trim();
  if (!((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]")))) return undefined;
  try {
    return {value: parse(t)};
  } catch {
    return undefined;
  }
}

/** Advances the bracket depth over one line; true when the line held any structure. */
function scanLine(state: ScanState, line: string): boolean {
  let structural = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (state.inString) {
      if (state.escaped) state.escaped = false;
      else if (c === 92) state.escaped = true;
      else if (c === 34) state.inString = false;
    } else if (c === 34) state.inString = true;
    else if (c === 123 || c === 91) (state.depth++, (structural = true));
    else if (c === 125 || c === 93) (state.depth--, (structural = true));
    else if (c > 32) structural = true;
  }
  return structural;
}

function parsed(text: string, line: number, parse: Parse): JsonValue {
  try {
    return {line, text, value: parse(text)};
  } catch (error) {
    return {line, text, error: `malformed JSON starting at line ${line}: ${(error as Error).message}`};
  }
}

/**
 * Finds the line of each record inside a value's text by the string a record holds (its id under a
 * key). Records usually appear in the order they are parsed, so the first occurrence from the last
 * hit on is taken, else the first in the text. Linear in the text: each key's occurrences are indexed
 * in one pass and lines come from a table of newline offsets, so a 50 MB one-line document with a
 * million spans costs one scan, not one scan per span (which took a quarter of an hour).
 */
export class LineLocator {
  private offset = 0;
  private line: number;
  private newlines: number[] | undefined;
  private readonly byKey = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly text: string,
    private readonly firstLine: number
  ) {
    this.line = firstLine;
  }

  /** The line of the last record found (the value's first line before any). */
  current(): number {
    return this.line;
  }

  /** Line of the first `"key": "value"` (any spacing) from the last hit on, else from the start. */
  lineOf(value: string | undefined, key: string): number {
    if (!value) return this.line;
    const offsets = this.occurrences(key).get(value);
    if (!offsets) return this.line;
    const i = firstAtOrAfter(offsets, this.offset);
    if (i < offsets.length) {
      this.offset = offsets[i];
      this.line = this.lineAt(this.offset);
      return this.line;
    }
    return this.lineAt(offsets[0]);
  }

  /** Every string value under `key` in the text, with the offsets where it occurs (one regex pass per key). */
  private occurrences(key: string): Map<string, number[]> {
    let index = this.byKey.get(key);
    if (index) return index;
    index = new Map();
    const escapedKey = JSON.stringify(key)
      .slice(1, -1)
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`"${escapedKey}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, "g");
    for (let m; (m = pattern.exec(this.text));) {
      let value: string;
      try {
        value = JSON.parse(`"${m[1]}"`) as string;
      } catch {
        continue;
      }
      const list = index.get(value);
      if (list) list.push(m.index);
      else index.set(value, [m.index]);
    }
    this.byKey.set(key, index);
    return index;
  }

  /** Line of an offset: the number of newlines before it, by binary search over their offsets. */
  private lineAt(offset: number): number {
    if (!this.newlines) {
      this.newlines = [];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) this.newlines.push(i);
    }
    return this.firstLine + firstAtOrAfter(this.newlines, offset);
  }
}

/** Index of the first element ≥ value in an ascending list (its length when none is). */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first record of a file from its head: the whole head when it is one document, else its first line; an array's first element. */
export function firstRecord(head: string): unknown {
  for (const candidate of [head, head.split("\n", 1)[0]]) {
    try {
      const value = JSON.parse(candidate);
      return Array.isArray(value) ? value[0] : value;
    } catch {
      // cut off by the head's size, or not one document: try the first line
    }
  }
  return undefined;
}

// Formats written as one JSON document (promptfoo, Inspect) are recognized by their top-level keys.
// A workspace file's head is only its first 64 KB, so the keys are read with a scanner that tolerates
// a document cut off anywhere, instead of JSON.parse (which needs the whole file).
export function topLevelKeys(head: string): string[] | undefined {
  let i = head.search(/\S/);
  if (i < 0 || head[i] !== "{") return undefined;
  const keys: string[] = [];
  let depth = 0;
  let candidate: string | null = null;
  for (; i < head.length; i++) {
    const ch = head[i];
    if (ch === '"') {
      const start = i + 1;
      for (i++; i < head.length && head[i] !== '"'; i++) if (head[i] === "\\") i++;
      candidate = depth === 1 ? head.slice(start, i) : null;
    } else if (ch === ":") {
      if (candidate !== null) keys.push(keyText(candidate));
      candidate = null;
    } else if (ch === "{" || ch === "[") {
      depth++;
      candidate = null;
    } else if (ch === "}" || ch === "]") {
      depth--;
      candidate = null;
      if (depth === 0) break;
    } else if (!/\s/.test(ch)) candidate = null;
  }
  return keys;
}

/** A key's text with its escapes decoded; an invalid escape (`"\\q"`) keeps the raw text, so recognizing never throws. */
function keyText(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * JSON.parse of a whole document whose error names the line and column, not only the offset (Node 20
 * gives "at position 53"): a person opens the file at a line. The position is the parser's own.
 */
export function parseJsonDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (!position) throw new Error(`not valid JSON: ${message}`);
    const {line, column} = lineAndColumn(text, Number(position[1]));
    throw new Error(`not valid JSON at line ${line}, column ${column}: ${message}`);
  }
}

/** 1-based line and column (in UTF-16 units, as the parser counts) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return {line, column: offset - lineStart + 1};
}

/** Characters of a text as a person counts them (code points), like DuckDB's length(). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;
export const asNumber = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

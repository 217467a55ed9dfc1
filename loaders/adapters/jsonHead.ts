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
      if (candidate !== null) keys.push(JSON.parse(`"${candidate}"`) as string);
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

/** Characters of a text as a person counts them (code points), like DuckDB's length(). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const asString = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
export const asNumber = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

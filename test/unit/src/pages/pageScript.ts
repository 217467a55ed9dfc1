// Counts the lines of JavaScript in an Observable Framework page: every line inside a ```js fence
// and every line that an inline ${…} expression touches. Pages are layout and prose; code that
// computes belongs in src/components/, where tsc and unit tests see it.

export interface PageScriptCount {
  /** Lines inside ```js fences (fence lines themselves excluded). */
  fenced: number;
  /** Markdown lines touched by an inline ${…} expression. */
  inline: number;
  total: number;
}

/** Index just past the `}` closing the ${ whose body starts at start (template literals, strings and comments inside are skipped). */
function skipExpression(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === "`") {
      i = skipTemplate(text, i + 1);
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}" && --depth === 0) return i + 1;
    i++;
  }
  throw new Error(`unclosed \${ at offset ${start - 2}`);
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Index just past the backquote closing a template literal whose body starts at start. */
function skipTemplate(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === "\\") i += 2;
    else if (text[i] === "`") return i + 1;
    else if (text[i] === "$" && text[i + 1] === "{") i = skipExpression(text, i + 2);
    else i++;
  }
  throw new Error(`unclosed template literal at offset ${start - 1}`);
}

export function countPageScript(markdown: string): PageScriptCount {
  const lines = markdown.split("\n");
  let fenced = 0;
  const prose: string[] = [];
  let fence: "js" | "other" | null = null;
  for (const line of lines) {
    const opener = /^\s*(```+|~~~+)\s*(\S*)/.exec(line);
    if (fence === null && opener) {
      fence = /^(js|javascript)$/.test(opener[2]) ? "js" : "other";
      prose.push("");
      continue;
    }
    if (fence !== null && /^\s*(```+|~~~+)\s*$/.test(line)) {
      fence = null;
      prose.push("");
      continue;
    }
    if (fence === "js") fenced++;
    // Lines inside fences are blanked so their ${ are not taken for inline expressions; line numbers stay.
    prose.push(fence === null ? line : "");
  }
  const text = prose.join("\n");
  const touched = new Set<number>();
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length - 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$" || text[i + 1] !== "{") continue;
    const end = skipExpression(text, i + 2);
    for (let l = lineAt(i); l <= lineAt(end - 1); l++) touched.add(l);
    i = end - 1;
  }
  return {fenced, inline: touched.size, total: fenced + touched.size};
}

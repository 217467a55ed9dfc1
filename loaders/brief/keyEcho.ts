// A model server's answer is untrusted: a server (or a model told to by injected text) could hand the
// API key back inside the draft, hidden in an encoding, and the draft would carry it into the site.
// This finds the key in the forms an echo is likely to take; the draft is then rejected whole.
import {unescapeText} from "../hermetic/scanDist.js";

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, "").toLowerCase();

function decodedRuns(text: string, run: RegExp, decode: (s: string) => string): string[] {
  return (text.match(run) ?? []).map(decode);
}

/** The encodings of `key` that `text` holds, if any: plain, base64 (any alignment), hex, URL-encoded, reversed or spaced out. */
export function keyEchoes(text: string, key: string): string[] {
  if (key.length < 8) return [];
  const found = new Set<string>();
  for (const t of [text, unescapeText(text)]) {
    if (t.includes(key)) found.add("plain");
    const base64 = decodedRuns(t, /[A-Za-z0-9+/_-]{12,}={0,2}/g, (s) =>
      Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1")
    );
    // A run decodes from its start, so an echo that begins mid-group is found by dropping 1–3 characters first.
    const shifted = (t.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? []).flatMap((s) =>
      [1, 2, 3].map((n) => Buffer.from(s.slice(n).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1"))
    );
    if ([...base64, ...shifted].some((d) => d.includes(key.slice(3, -3)))) found.add("base64");
    const hex = decodedRuns(t, /(?:[0-9a-fA-F]{2}){8,}/g, (s) => Buffer.from(s, "hex").toString("latin1"));
    if (
      [
        ...hex,
        ...decodedRuns(t, /(?:[0-9a-fA-F]{2}){8,}/g, (s) => Buffer.from(s.slice(1), "hex").toString("latin1"))
      ].some((d) => d.includes(key))
    )
      found.add("hex");
    if (
      /%[0-9a-fA-F]{2}/.test(t) &&
      t
        .replace(/(?:%[0-9a-fA-F]{2})+/g, (s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        })
        .includes(key)
    )
      found.add("url-encoded");
    if ([...t].reverse().join("").includes(key)) found.add("reversed");
    if (alnum(key).length >= 12 && alnum(t).includes(alnum(key))) found.add("spaced");
  }
  // "spaced" also holds for every other echo; name it only when nothing more specific does.
  if (found.size > 1) found.delete("spaced");
  return [...found];
}

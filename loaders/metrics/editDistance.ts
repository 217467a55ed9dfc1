// How much a user changed a model output: Levenshtein edits divided by the longer text's length, so
// 0 = kept as is and 1 = rewritten entirely. Counted in Unicode code points (what a reader calls
// characters), with fastest-levenshtein doing the counting.
import {distance} from "fastest-levenshtein";

export function normalizedEditDistance(original: string, edited: string): number {
  const [a, b] = inBasicPlane(original, edited);
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : distance(a, b) / longer;
}

/**
 * fastest-levenshtein compares UTF-16 code units, so an emoji would count as two characters. Each
 * code point outside the Basic Multilingual Plane is replaced, in both texts alike, by one BMP
 * character that neither text uses, which keeps the distance per code point.
 */
function inBasicPlane(a: string, b: string): [string, string] {
  const astral = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
  if (!/[\uD800-\uDBFF]/.test(a + b)) return [a, b];
  const used = new Set([...a, ...b]);
  const substitutes = new Map<string, string>();
  let next = 0xe000;
  const substitute = (ch: string) => {
    let s = substitutes.get(ch);
    if (s === undefined) {
      while (used.has(String.fromCharCode(next))) next++;
      if (next > 0xffff)
        throw new RangeError(
          "normalizedEditDistance: too many distinct characters outside the Basic Multilingual Plane"
        );
      s = String.fromCharCode(next++);
      substitutes.set(ch, s);
    }
    return s;
  };
  const map = (text: string) => text.replace(astral, substitute);
  return [map(a), map(b)];
}

// Per-case outcomes of a run, packed for the page: two bits per case of the suite (in the suite's case
// order): 0 not graded, 1 failed, 2 passed. At 1M eval results that is 250 KB before base64, so the
// triage page can compare any two runs a PM picks in the browser instead of shipping every pair.
export type Outcome = 0 | 1 | 2;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Packs outcomes (one per case) into base64, four cases a byte, the first case in the lowest bits. */
export function packOutcomes(outcomes: readonly Outcome[]): string {
  const bytes = new Uint8Array(Math.ceil(outcomes.length / 4));
  outcomes.forEach((o, i) => (bytes[i >> 2] |= o << ((i & 3) * 2)));
  return toBase64(bytes);
}

/** Bytes as standard base64 (packBits in packedBits.ts shares it). */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? B64[n & 63] : "=";
  }
  return out;
}

/** A run's outcomes, one byte a case (each an Outcome), in the suite's case order. */
export type Outcomes = Uint8Array;

/** Each base64 character's six bits, by character code ("=" and anything else read as 0). */
const SIXTETS = new Uint8Array(128);
for (let i = 0; i < B64.length; i++) SIXTETS[B64.charCodeAt(i)] = i;

/**
 * The outcomes of `cases` cases packed by packOutcomes. Decoded by table lookup into typed arrays: the
 * eval triage page unpacks every run it compares or grids on each filter change (up to 38k cases a run
 * at 1M eval results), and a decoder that searched each character and built a JavaScript array took
 * 15-60 ms a run there, this one well under 1 ms.
 */
export function unpackOutcomes(packed: string, cases: number): Outcomes {
  const bytes = fromBase64(packed, Math.ceil(cases / 4), "unpackOutcomes", `${cases} cases`);
  const outcomes = new Uint8Array(cases);
  for (let i = 0; i < cases; i++) outcomes[i] = (bytes[i >> 2] >> ((i & 3) * 2)) & 3;
  return outcomes;
}

/** Base64 decoded by table lookup, checked to hold at least `need` bytes (`what` names the caller and its count). */
export function fromBase64(packed: string, need: number, caller: string, what: string): Uint8Array {
  const padding = packed.endsWith("==") ? 2 : packed.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array(Math.floor(packed.length / 4) * 3);
  if (bytes.length - padding < need) throw new RangeError(`${caller}: ${packed.length} characters cannot hold ${what}`);
  for (let k = 0, j = 0; j < bytes.length; k += 4, j += 3) {
    const n =
      (SIXTETS[packed.charCodeAt(k)] << 18) |
      (SIXTETS[packed.charCodeAt(k + 1)] << 12) |
      (SIXTETS[packed.charCodeAt(k + 2)] << 6) |
      SIXTETS[packed.charCodeAt(k + 3)];
    bytes[j] = n >> 16;
    bytes[j + 1] = n >> 8;
    bytes[j + 2] = n;
  }
  return bytes;
}

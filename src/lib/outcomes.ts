// Per-case outcomes of a run, packed for the page: two bits per case of the suite (in the suite's case
// order): 0 not graded, 1 failed, 2 passed. At 1M eval results that is 250 KB before base64, so the
// triage page can compare any two runs a PM picks in the browser instead of shipping every pair.
export type Outcome = 0 | 1 | 2;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Packs outcomes (one per case) into base64, four cases a byte, the first case in the lowest bits. */
export function packOutcomes(outcomes: readonly Outcome[]): string {
  const bytes = new Uint8Array(Math.ceil(outcomes.length / 4));
  outcomes.forEach((o, i) => (bytes[i >> 2] |= o << ((i & 3) * 2)));
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

/** The outcomes of `cases` cases packed by packOutcomes. */
export function unpackOutcomes(packed: string, cases: number): Outcome[] {
  const bytes: number[] = [];
  for (let i = 0; i < packed.length; i += 4) {
    const [a, b, c, d] = [0, 1, 2, 3].map((k) => (packed[i + k] === "=" ? 0 : B64.indexOf(packed[i + k])));
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes.push((n >> 16) & 255);
    if (packed[i + 2] !== "=") bytes.push((n >> 8) & 255);
    if (packed[i + 3] !== "=") bytes.push(n & 255);
  }
  if (bytes.length * 4 < cases)
    throw new RangeError(`unpackOutcomes: ${packed.length} characters cannot hold ${cases} cases`);
  return Array.from({length: cases}, (_, i) => ((bytes[i >> 2] >> ((i & 3) * 2)) & 3) as Outcome);
}

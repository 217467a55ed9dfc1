// Seeded pseudo-random numbers: sfc32 seeded through the xmur3 string hash. Each (seed, stream)
// pair gives its own sequence, so changing how one table is generated never shifts another.
export type Rng = () => number;

function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

export function sfc32(a: number, b: number, c: number, d: number): Rng {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A generator for one named stream of one seed; uniform on [0, 1). */
export function createRng(seed: number | string, stream: string): Rng {
  const next = xmur3(`${seed}/${stream}`);
  const rng = sfc32(next(), next(), next(), next());
  for (let i = 0; i < 12; i++) rng(); // sfc32's first outputs are poorly mixed
  return rng;
}

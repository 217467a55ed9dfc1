// Benjamini–Hochberg (1995) adjusted p-values controlling the false discovery rate across many
// comparisons (segment effects): q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎ / j, capped at 1, returned in the
// input order. A segment is a discovery at level α when its q ≤ α.
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  for (const p of pValues)
    if (!(p >= 0 && p <= 1)) throw new RangeError(`benjaminiHochberg: p-values must be in [0, 1], got ${p}`);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({p, i})).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (m * order[k].p) / (k + 1));
    adjusted[order[k].i] = running;
  }
  return adjusted;
}

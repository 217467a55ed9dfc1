// Input-length buckets of eval triage: the build groups cases by them (loaders/queries/evalTables.ts)
// and the browser turns a bucket's label back into its bounds to list its cases (src/case.md).

/** Input-length buckets in characters (≈ 4 characters per token), upper edges exclusive. */
export const lengthEdges = [500, 1000, 2000, 4000, 6000, 10000, 20000] as const;

const kilo = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export function lengthBucketLabels(edges: readonly number[] = lengthEdges): string[] {
  return [
    `< ${kilo(edges[0])}`,
    ...edges.slice(1).map((e, i) => `${kilo(edges[i])}–${kilo(e)}`),
    `≥ ${kilo(edges[edges.length - 1])}`
  ];
}

/** A bucket's bounds in characters, from its label: min inclusive, max exclusive; null for an unknown label. */
export function lengthBucketBounds(
  label: string,
  edges: readonly number[] = lengthEdges
): {min?: number; max?: number} | null {
  const i = lengthBucketLabels(edges).indexOf(label);
  if (i < 0) return null;
  return {...(i > 0 ? {min: edges[i - 1]} : {}), ...(i < edges.length ? {max: edges[i]} : {})};
}

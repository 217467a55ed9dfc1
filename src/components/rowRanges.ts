// Which rows of a Parquet file to decode for a few wanted rows (caseData.ts): hyparquet reads whole
// column chunks of a row group anyway, so one range per group that holds a wanted row, from its first
// to its last, decodes each chunk once.

/** First row of each row group, and the total: [0, g1, g2, …, rows]. */
export function groupStarts(groupRows: readonly number[]): number[] {
  const starts = [0];
  for (const n of groupRows) starts.push(starts.at(-1)! + n);
  return starts;
}

/** The row ranges [start, end) to read for the wanted rows: one per row group holding any, from its first to its last. */
export function rangesFor(indices: readonly number[], starts: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  let g = 0;
  for (const i of [...indices].sort((a, b) => a - b)) {
    while (i >= starts[g + 1]) g++;
    const last = ranges.at(-1);
    if (last && last[0] >= starts[g]) last[1] = i + 1;
    else ranges.push([i, i + 1]);
  }
  return ranges;
}

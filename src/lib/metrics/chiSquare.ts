// Pearson's χ² test of homogeneity: do two or more samples (rows) share one distribution over the
// same categories (columns)? Used to compare production's input mix with the eval set's.
import {regularizedGammaQ} from "./gamma.js";

/** P(X ≥ x) for X ~ χ²(df): the test's p-value. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSurvival: df must be > 0, got ${df}`);
  if (!(x >= 0)) throw new RangeError(`chiSquareSurvival: x must be ≥ 0, got ${x}`);
  return regularizedGammaQ(df / 2, x / 2);
}

export interface ChiSquareTest {
  statistic: number;
  df: number;
  /** null when the test is undefined (fewer than two non-empty rows or columns). */
  pValue: number | null;
  /** Expected counts under homogeneity, for the columns kept. */
  expected: number[][];
  /** Indexes of the columns kept: a column empty in every row carries no information and is dropped. */
  columns: number[];
  /** Cells with an expected count below 5, where the χ² approximation is rough. */
  smallExpectedCells: number;
}

/** Test of homogeneity on a table of counts, rows = samples, columns = categories (no continuity correction). */
export function chiSquareHomogeneity(counts: readonly (readonly number[])[]): ChiSquareTest {
  checkCounts(counts);
  const width = counts[0]?.length ?? 0;
  const columns = Array.from({length: width}, (_, j) => j).filter((j) => counts.some((row) => row[j] > 0));
  const rows = counts.map((row) => columns.map((j) => row[j])).filter((row) => row.some((v) => v > 0));
  const rowTotals = rows.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = columns.map((_, j) => rows.reduce((a, row) => a + row[j], 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const expected = rows.map((_, i) => colTotals.map((c) => (rowTotals[i] * c) / total));
  let statistic = 0;
  let smallExpectedCells = 0;
  rows.forEach((row, i) =>
    row.forEach((observed, j) => {
      const e = expected[i][j];
      statistic += ((observed - e) * (observed - e)) / e;
      if (e < 5) smallExpectedCells++;
    })
  );
  const df = (rows.length - 1) * (columns.length - 1);
  return {
    statistic,
    df,
    pValue: df > 0 ? chiSquareSurvival(statistic, df) : null,
    expected,
    columns,
    smallExpectedCells
  };
}

function checkCounts(counts: readonly (readonly number[])[]): void {
  const width = counts[0]?.length;
  for (const row of counts) {
    if (row.length !== width)
      throw new RangeError(`chiSquareHomogeneity: every row needs ${width} columns, got ${row.length}`);
    for (const v of row)
      if (!(v >= 0) || !Number.isFinite(v))
        throw new RangeError(`chiSquareHomogeneity: counts must be finite and ≥ 0, got ${v}`);
  }
}

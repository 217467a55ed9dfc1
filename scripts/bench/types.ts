// Benchmarks report ratios against a reference measured in the same run (usually DuckDB reading the
// same file with no validation), so results compare across machines; tests never assert timings.
export interface BenchResult {
  name: string;
  seconds: number;
  /** The reference it is compared to, measured in the same run. */
  reference: {name: string; seconds: number} | null;
  /** Target for seconds / reference.seconds (or absolute seconds when reference is null). */
  target: {max: number; of: "ratio" | "seconds" | "bytes"};
  /** The measured value compared with the target (ratio, seconds or bytes). */
  value: number;
  note?: string;
}

export type Bench = (options: {scaleDir: string}) => Promise<BenchResult[]>;

export async function time<T>(fn: () => Promise<T>): Promise<{seconds: number; value: T}> {
  const start = performance.now();
  const value = await fn();
  return {seconds: (performance.now() - start) / 1000, value};
}

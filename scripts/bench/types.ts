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

/**
 * The fastest of `runs` timings. On a shared machine every disturbance only adds time, so the minimum
 * is the steadiest estimate of what the work costs; the reference and the measured work get the same
 * number of runs, so neither is favoured.
 */
export async function fastest<T>(runs: number, fn: () => Promise<T>): Promise<{seconds: number; value: T}> {
  let best: {seconds: number; value: T} | undefined;
  for (let i = 0; i < runs; i++) {
    const run = await time(fn);
    if (!best || run.seconds < best.seconds) best = run;
  }
  return best!;
}

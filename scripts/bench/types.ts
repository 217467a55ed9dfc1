// Benchmarks report ratios against a reference measured in the same run (usually DuckDB reading the
// same file with no validation), so results compare across machines; tests never assert timings.
export interface BenchResult {
  name: string;
  seconds: number;
  /** The reference it is compared to, measured in the same run. */
  reference: {name: string; seconds: number} | null;
  /** Target for seconds / reference.seconds (or absolute seconds when reference is null). */
  target: {max: number; of: "ratio" | "seconds" | "bytes" | "requests"};
  /**
   * A figure measured beside a target rather than a target of the issue's: printed as "info" with
   * the bound it is read against, never counted as met or missed (the note names the result that is).
   */
  informational?: boolean;
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
 * The fastest of `runs` timings of a reference and of the work measured against it, run in turns
 * (reference, work, reference, work…) so that both see the same machine. On a shared machine every
 * disturbance only adds time, so the minimum is the steadiest estimate of what each costs.
 */
export async function fastestInTurns(
  runs: number,
  reference: () => Promise<unknown>,
  work: () => Promise<unknown>
): Promise<{reference: number; work: number}> {
  let best = {reference: Infinity, work: Infinity};
  for (let i = 0; i < runs; i++) {
    best = {...best, reference: Math.min(best.reference, (await time(reference)).seconds)};
    best = {...best, work: Math.min(best.work, (await time(work)).seconds)};
  }
  return best;
}

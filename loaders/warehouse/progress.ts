// A progress line per ingest stage on a terminal, rewritten in place; nothing in CI logs or pipes,
// where a line per file would drown the build's own messages.

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** "ingest 3/7 spans.jsonl: 17,877 rows, 41,203 rows/s" */
export function progressLine(
  stage: string,
  done: number,
  total: number,
  item: string,
  rows: number,
  seconds: number
): string {
  const rate = seconds > 0 ? `, ${Math.round(rows / seconds).toLocaleString("en-US")} rows/s` : "";
  return `${stage} ${done}/${total} ${item}: ${rows.toLocaleString("en-US")} rows${rate}`;
}

export interface Progress {
  step(done: number, total: number, item: string, rows: number, seconds: number): void;
  end(): void;
}

export function stageProgress(
  stage: string,
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env
): Progress {
  const quiet = !stream.isTTY || Boolean(env.CI);
  let shown = false;
  return {
    step(done, total, item, rows, seconds) {
      if (quiet) return;
      stream.write(`\r\u001b[2K${progressLine(stage, done, total, item, rows, seconds)}`);
      shown = true;
    },
    end() {
      if (shown) stream.write("\n");
    }
  };
}

/**
 * With WORKBENCH_PROFILE=1, the wall and CPU seconds of each named stage on stderr (for measuring a
 * build stage by stage, docs/scale.md); otherwise the stage just runs.
 */
export async function profiled<T>(
  stage: string,
  run: () => Promise<T>,
  env: NodeJS.ProcessEnv = process.env
): Promise<T> {
  if (env.WORKBENCH_PROFILE !== "1") return run();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await run();
  } finally {
    const used = process.cpuUsage(cpu);
    const wall = (performance.now() - started) / 1000;
    process.stderr.write(
      `profile ${stage}: ${wall.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu\n`
    );
  }
}

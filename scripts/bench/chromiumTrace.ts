// Where a measurement's CPU went, by thread, from a Chromium trace (browser.startTracing): the bench's
// "CPU in all Chromium's processes" split into the page's main thread, DuckDB-wasm's worker, V8's
// background threads (compiling DuckDB's WebAssembly to optimized code, garbage collection) and the
// rest. Each thread's time is the thread time (tdur) of its top-level tasks that start in the window.

/** The trace categories this reads (and the page's performance marks, for the window). */
export const TRACE_CATEGORIES = [
  "toplevel",
  "v8",
  "v8.wasm",
  "disabled-by-default-v8.gc",
  "devtools.timeline",
  "blink.user_timing"
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {name?: string};
}

export interface ThreadCpu {
  /** Milliseconds of CPU: the renderer's main thread, DuckDB-wasm's worker, V8's background compilation of WebAssembly and its background GC, the rest of the renderer's pool threads, every other thread. */
  main: number;
  worker: number;
  wasmTierUp: number;
  backgroundGc: number;
  pool: number;
  other: number;
}

const TOP_LEVEL = new Set(["ThreadControllerImpl::RunTask", "ThreadPool_RunTask"]);

/** The CPU of the trace's threads between the performance marks `from` and `to` (as the page set them). */
export function threadCpu(trace: {traceEvents: TraceEvent[]} | TraceEvent[], from: string, to: string): ThreadCpu {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const thread = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") thread.set(`${e.pid}/${e.tid}`, e.args?.name ?? "");
  const mark = (name: string) => {
    const found = events.find((e) => e.name === name);
    if (!found) throw new Error(`the trace has no performance mark ${name} (is blink.user_timing traced?)`);
    return found.ts;
  };
  const [start, end] = [mark(from), mark(to)];
  const cpu: ThreadCpu = {main: 0, worker: 0, wasmTierUp: 0, backgroundGc: 0, pool: 0, other: 0};
  for (const e of events) {
    if (e.ph !== "X" || e.ts < start || e.ts > end || e.tdur === undefined) continue;
    const name = thread.get(`${e.pid}/${e.tid}`) ?? "";
    const ms = e.tdur / 1000;
    if (e.name === "wasm.TopTierCompilation") cpu.wasmTierUp += ms;
    else if (/^V8\.GC_.*BACKGROUND/.test(e.name) && name.startsWith("ThreadPool")) cpu.backgroundGc += ms;
    if (!TOP_LEVEL.has(e.name)) continue;
    if (name === "CrRendererMain") cpu.main += ms;
    else if (name.startsWith("DedicatedWorker")) cpu.worker += ms;
    else if (name.startsWith("ThreadPoolForegroundWorker")) cpu.pool += ms;
    else cpu.other += ms;
  }
  // The pool's tasks hold the compilation and the GC (nested inside them): the rest is what is left.
  cpu.pool = Math.max(0, cpu.pool - cpu.wasmTierUp - cpu.backgroundGc);
  return cpu;
}

export const threadCpuText = (c: ThreadCpu): string =>
  `main thread ${c.main.toFixed(0)}, DuckDB-wasm's worker ${c.worker.toFixed(0)}, WebAssembly tier-up ${c.wasmTierUp.toFixed(0)}, background GC ${c.backgroundGc.toFixed(0)}, other pool tasks ${c.pool.toFixed(0)}, other threads ${c.other.toFixed(0)} ms CPU`;

import {describe, expect, test} from "vitest";
import {threadCpu} from "../../../../scripts/bench/chromiumTrace.js";

const thread = (tid: number, name: string) => ({name: "thread_name", ph: "M", pid: 1, tid, ts: 0, args: {name}});
const task = (tid: number, ts: number, tdur: number, name = "ThreadControllerImpl::RunTask") => ({
  name,
  ph: "X",
  pid: 1,
  tid,
  ts,
  dur: tdur * 2,
  tdur
});
const mark = (name: string, ts: number) => ({name, ph: "R", pid: 1, tid: 1, ts});

describe("threadCpu(trace, from, to)", () => {
  test("sums each thread's top-level tasks inside the marks, the tier-up and GC apart from the pool's rest", () => {
    const trace = [
      thread(1, "CrRendererMain"),
      thread(2, "DedicatedWorker thread"),
      thread(3, "ThreadPoolForegroundWorker"),
      thread(4, "CrBrowserMain"),
      mark("start", 1000),
      mark("end", 9000),
      task(1, 500, 7000), // before the window: not counted
      task(1, 2000, 3000),
      task(1, 2100, 1000, "FunctionCall"), // nested: counted within its task
      task(2, 3000, 5000),
      task(3, 4000, 9000, "ThreadPool_RunTask"),
      task(3, 4100, 6000, "wasm.TopTierCompilation"),
      task(3, 5000, 1000, "V8.GC_MC_BACKGROUND_MARKING"),
      task(4, 8000, 500),
      task(2, 9500, 4000) // after it
    ];
    expect(threadCpu(trace, "start", "end")).toEqual({
      main: 3,
      worker: 5,
      wasmTierUp: 6,
      backgroundGc: 1,
      pool: 2,
      other: 0.5
    });
  });

  test("names the missing mark", () => {
    expect(() => threadCpu([mark("start", 0)], "start", "end")).toThrow("the trace has no performance mark end");
  });
});

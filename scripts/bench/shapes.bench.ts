// Ingest time per MB must not grow with the input: for every format and shape (many short lines,
// very long lines, one-line documents, pretty documents, records nested 10,000 deep) the same file is
// generated at 1 MB and at 50 MB and ingested alone; the result is (time per MB at 50 MB) / (time per
// MB at 1 MB). A linear reader gives about 1 (less, as the 1 MB run carries the fixed costs); a
// quadratic step gives about 50. A one-line 50 MB OTLP document took 14.5 minutes before LineLocator
// indexed each key once.
import {createWriteStream, existsSync, mkdirSync, renameSync} from "node:fs";
import {once} from "node:events";
import {join} from "node:path";
import {configSchema} from "../../loaders/schema/config.js";
import {openDatabase} from "../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../loaders/warehouse/ingest.js";
import type {Bench, BenchResult} from "./types.js";
import {time} from "./types.js";

const MB = 1 << 20;
const SIZES = [1, 50];
/** Time per MB may grow by this factor from 1 MB to 50 MB; a quadratic step would show ~50. */
const MAX_RATIO = 2;

interface Shape {
  name: string;
  file: string;
  /** Writes about `bytes` bytes through `put`, in order. */
  write(put: (text: string) => Promise<void>, bytes: number): Promise<void>;
}

const start = 1_793_000_000_000_000_000n;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const otlpSpan = (i: number, extra = "") =>
  `{"traceId":"${hex(Math.floor(i / 4), 32)}","spanId":"${hex(i + 1, 16)}",${i % 4 ? `"parentSpanId":"${hex(i - (i % 4) + 1, 16)}",` : ""}"name":"chat gpt-4.1","startTimeUnixNano":"${start + BigInt(i) * 1_000_000n}","endTimeUnixNano":"${start + BigInt(i) * 1_000_000n + 250_000_000n}","status":{"code":1},"attributes":[${extra}{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4.1"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"${100 + (i % 50)}"}},{"key":"app.feature","value":{"stringValue":"support-chat"}}]}`;
const evalLine = (i: number, excerpt = "ok") =>
  JSON.stringify({
    run_id: `r${Math.floor(i / 1000)}`,
    case_id: `c${i}`,
    suite: "golden",
    started_at: "2026-11-01T09:00:00Z",
    model: "gpt-4.1",
    passed: i % 3 > 0,
    score: (i % 10) / 10,
    latency_ms: 900 + (i % 100),
    output_excerpt: excerpt
  }) + "\n";

/** Calls line(i) until about `bytes` are written. */
async function lines(put: (t: string) => Promise<void>, bytes: number, line: (i: number) => string): Promise<void> {
  for (let written = 0, i = 0; written < bytes; i++) {
    const text = line(i);
    await put(text);
    written += text.length;
  }
}

const deepValue = `{"arrayValue":{"values":[`.repeat(10_000) + `{"stringValue":"x"}` + "]}}".repeat(10_000);

const shapes: Shape[] = [
  {
    name: "native JSONL, short lines",
    file: "evals.jsonl",
    write: (put, bytes) => lines(put, bytes, (i) => evalLine(i))
  },
  {
    name: "native JSONL, 1 MB lines",
    file: "evals.jsonl",
    write: (put, bytes) => lines(put, bytes, (i) => evalLine(i, "x".repeat(MB)))
  },
  {
    name: "native JSONL, malformed lines (line-by-line reader)",
    file: "evals.jsonl",
    write: (put, bytes) => lines(put, bytes, (i) => (i % 100 === 0 ? "{not json\n" : evalLine(i)))
  },
  {
    name: "native CSV",
    file: "corrections.csv",
    write: async (put, bytes) => {
      await put("event_id,at,feature,action,original_text,edited_text\n");
      await lines(
        put,
        bytes,
        (i) => `e${i},2026-11-01T10:00:00Z,support-chat,edited,"The original, text ${i}","The edited text ${i}"\n`
      );
    }
  },
  {
    name: "OTLP JSON Lines, a document per line",
    file: "traces.jsonl",
    write: (put, bytes) => lines(put, bytes, (i) => `{"resourceSpans":[{"scopeSpans":[{"spans":[${otlpSpan(i)}]}]}]}\n`)
  },
  {
    name: "OTLP, one document on one line",
    file: "traces.json",
    write: async (put, bytes) => {
      await put(`{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[`);
      await lines(put, bytes, (i) => (i ? "," : "") + otlpSpan(i));
      await put("]}]}]}\n");
    }
  },
  {
    name: "OTLP, one pretty document",
    file: "traces.json",
    write: async (put, bytes) => {
      await put(`{\n  "resourceSpans": [\n    {\n      "scopeSpans": [\n        {\n          "spans": [\n`);
      await lines(
        put,
        bytes,
        (i) => (i ? ",\n" : "") + "            " + otlpSpan(i).replaceAll(`,"`, `,\n              "`)
      );
      await put("\n          ]\n        }\n      ]\n    }\n  ]\n}\n");
    }
  },
  {
    name: "OTLP JSON Lines, every tenth record nested 10,000 deep",
    file: "traces.jsonl",
    write: (put, bytes) =>
      lines(
        put,
        bytes,
        (i) =>
          `{"resourceSpans":[{"scopeSpans":[{"spans":[${otlpSpan(i, i % 10 === 0 ? `{"key":"app.segment","value":${deepValue}},` : "")}]}]}]}\n`
      )
  }
];

async function generate(dir: string, shape: Shape, megabytes: number): Promise<string> {
  const path = join(dir, shape.file);
  if (existsSync(path)) return dir;
  mkdirSync(dir, {recursive: true});
  const out = createWriteStream(`${path}.tmp`);
  await shape.write(async (text) => {
    if (!out.write(text)) await once(out, "drain");
  }, megabytes * MB);
  out.end();
  await once(out, "finish");
  renameSync(`${path}.tmp`, path);
  return dir;
}

async function ingestSeconds(dir: string): Promise<number> {
  const db = await openDatabase();
  try {
    const {seconds, value} = await time(() => ingestWorkspace(db, dir, configSchema.parse({})));
    const [outcome] = value;
    if (outcome.status !== "ingested") throw new Error(`${dir}: ${outcome.status}: ${outcome.message}`);
    return seconds;
  } finally {
    db.close();
  }
}

const bench: Bench = async ({scaleDir}) => {
  const results: BenchResult[] = [];
  for (const [n, shape] of shapes.entries()) {
    const perMb: number[] = [];
    for (const size of SIZES) {
      const dir = await generate(join(scaleDir, "shapes", `${n}-${size}mb`), shape, size);
      // The small file is timed three times (fastest kept), as fixed costs and noise weigh most there.
      const runs = size === SIZES[0] ? 3 : 1;
      let best = Infinity;
      for (let r = 0; r < runs; r++) best = Math.min(best, await ingestSeconds(dir));
      perMb.push(best / size);
    }
    const [small, large] = [perMb[0], perMb[perMb.length - 1]];
    // The fixed cost of any ingest (tables, validation passes, requests), from a 10 KB file of the
    // shape: at 1 MB it is most of the time, so the note also gives the time per MB beyond it.
    const fixedDir = await generate(join(scaleDir, "shapes", `${n}-10kb`), shape, 0.01);
    let fixed = Infinity;
    for (let r = 0; r < 3; r++) fixed = Math.min(fixed, await ingestSeconds(fixedDir));
    const marginal = (perMbSeconds: number, size: number) => Math.max(0, (perMbSeconds * size - fixed) / size) * 1000;
    results.push({
      name: `ingest time per MB, ${shape.name}, ${SIZES[SIZES.length - 1]} MB against ${SIZES[0]} MB`,
      seconds: large * SIZES[SIZES.length - 1],
      reference: {
        name: `${SIZES[0]} MB scaled to ${SIZES[SIZES.length - 1]} MB`,
        seconds: small * SIZES[SIZES.length - 1]
      },
      target: {max: MAX_RATIO, of: "ratio"},
      value: large / small,
      note: `${(small * 1000).toFixed(0)} ms/MB at ${SIZES[0]} MB, ${(large * 1000).toFixed(0)} ms/MB at ${SIZES[SIZES.length - 1]} MB; beyond the fixed ${fixed.toFixed(2)} s: ${marginal(small, SIZES[0]).toFixed(0)} and ${marginal(large, SIZES[SIZES.length - 1]).toFixed(0)} ms/MB`
    });
    console.error(`  ${shape.name}: ${(small * 1000).toFixed(0)} → ${(large * 1000).toFixed(0)} ms/MB`);
  }
  return results;
};

export default bench;

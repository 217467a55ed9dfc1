// 2M production spans (with 400k user corrections, 20k eval results and 5k safety flags, so every
// production page has data): ingested with full validation into an on-disk warehouse and aggregated
// for the traces, corrections, drift and safety pages, against DuckDB reading the same files with
// read_json and no validation into a database file, in the same run (the fastest of five runs of
// each, taken in turns). Also the size of each page's data at that scale.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync
} from "node:fs";
import {join} from "node:path";
import {seededRandom} from "../../src/lib/metrics/seededRandom.js";
import {correctionsPage} from "../../loaders/queries/corrections.js";
import {driftPage} from "../../loaders/queries/drift.js";
import {safetyPage} from "../../loaders/queries/safety.js";
import {tracesPage} from "../../loaders/queries/traces.js";
import {configSchema} from "../../loaders/schema/config.js";
import {quotedString, openDatabase} from "../../loaders/warehouse/duckdb.js";
import {ingestWorkspace, type IngestConfig} from "../../loaders/warehouse/ingest.js";
import type {Workspace} from "../../loaders/workspace/config.js";
import type {Bench, BenchResult} from "./types.js";
import {fastestInTurns, time} from "./types.js";

/** Runs of the reference and of the build (ingest and aggregates), the fastest of each compared. */
const RUNS = 5;
const SPANS = 2_000_000;
const CORRECTIONS = 400_000;
const EVAL_RESULTS = 20_000;
const FLAGS = 5_000;
const DAYS = 90;
const START = Date.UTC(2026, 7, 23);
const PAGE_BYTES_MAX = 2_000_000;

const features = ["support-chat", "ticket-summarization", "autocomplete"] as const;
const models = {
  "support-chat": ["gpt-4.1", "claude-sonnet-4"],
  "ticket-summarization": ["gpt-4.1-mini"],
  autocomplete: ["gemini-2.5-flash"]
} as const;
const providers: Record<string, string> = {
  "gpt-4.1": "openai",
  "gpt-4.1-mini": "openai",
  "claude-sonnet-4": "anthropic",
  "gemini-2.5-flash": "google"
};
const categories = [
  "billing",
  "refunds",
  "shipping",
  "account-access",
  "technical-bug",
  "multi-step-troubleshooting",
  "cancellation",
  "product-question"
];
const segments = ["enterprise", "smb", "self-serve"];
const actions = ["accepted", "accepted", "accepted", "edited", "rejected", "ignored", "escalated"];
const texts = [
  "Thanks for reaching out! I checked order #13386 and our team will follow up within 24 hours.",
  "Your refund was issued and should arrive in 5–7 business days.",
  "Please reset the password from Settings > Security, then sign in again."
];

export const config = {
  prices: [
    {model: "gpt-4.1", input_per_mtok: 2, output_per_mtok: 8},
    {model: "gpt-4.1-mini", input_per_mtok: 0.4, output_per_mtok: 1.6},
    {model: "claude-sonnet-4", input_per_mtok: 3, output_per_mtok: 15},
    {model: "gemini-2.5-flash", input_per_mtok: 0.3, output_per_mtok: 2.5}
  ]
};

/** Writes lines through a buffer; the file appears under its name only once complete. */
async function writeLines(path: string, lines: (emit: (line: string) => void) => void): Promise<void> {
  const temp = `${path}.partial`;
  const fd = openSync(temp, "w");
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length) writeSync(fd, buffer.join("\n") + "\n");
    buffer = [];
  };
  try {
    lines((line) => {
      buffer.push(line);
      if (buffer.length >= 20_000) flush();
    });
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const hex = (random: () => number, n: number) =>
  Array.from({length: n}, () => Math.floor(random() * 16).toString(16)).join("");
const iso = (ms: number) => new Date(ms).toISOString();

export interface ProductionSizes {
  spans: number;
  corrections: number;
  evalResults: number;
  flags: number;
}

const defaultSizes: ProductionSizes = {
  spans: SPANS,
  corrections: CORRECTIONS,
  evalResults: EVAL_RESULTS,
  flags: FLAGS
};

/**
 * The generator's version, kept beside the files it wrote (in a dot file, which a workspace does not
 * read): files of another version are written again, not reused. 2: each eval run is one suite's.
 */
const GENERATOR_VERSION = "2";

/**
 * A deterministic production workspace of `sizes.spans` spans (whole traces), written once and reused;
 * scale.bench.ts writes it at 1M, 5M and 20M spans.
 */
export async function generate(
  dir: string,
  {spans: SPANS, corrections: CORRECTIONS, evalResults: EVAL_RESULTS, flags: FLAGS}: ProductionSizes = defaultSizes
): Promise<void> {
  const version = join(dir, ".generator-version");
  if (
    ["spans", "corrections", "eval_results", "flags"].every((t) => existsSync(join(dir, `${t}.jsonl`))) &&
    existsSync(version) &&
    readFileSync(version, "utf8") === GENERATOR_VERSION
  )
    return;
  mkdirSync(dir, {recursive: true});
  const random = seededRandom(20261122);
  await writeLines(join(dir, "spans.jsonl"), (emit) => {
    for (let written = 0; written < SPANS;) {
      const trace = hex(random, 32);
      const at = START + Math.floor(random() * DAYS * 86_400_000);
      const feature = pick(random, features);
      const model = pick(random, models[feature]);
      const late = at > START + ((DAYS * 2) / 3) * 86_400_000;
      const category =
        feature === "support-chat" && late && random() < 0.1 ? "data-export-request" : pick(random, categories);
      const root = hex(random, 16);
      const llmMs = Math.round(300 + random() * 2500);
      const failed = random() < 0.012;
      const input_tokens = 400 + Math.floor(random() * 2000);
      const output_tokens = failed ? undefined : 20 + Math.floor(random() * 400);
      const reported = providers[model] === "openai" && !failed;
      const tool = feature === "support-chat" && random() < 0.4;
      const finish = failed ? undefined : random() < 0.004 ? "content_filter" : random() < 0.015 ? "length" : "stop";
      const spans: object[] = [
        {
          trace_id: trace,
          span_id: root,
          name: feature,
          kind: "chain",
          start_time: iso(at),
          duration_ms: llmMs + 150,
          feature,
          segment: pick(random, segments),
          category,
          prompt_version: `${feature}-v1`,
          input_chars: 50 + Math.floor(random() * 8000),
          status: failed ? "error" : "ok"
        },
        {
          trace_id: trace,
          span_id: hex(random, 16),
          parent_span_id: root,
          name: "kb.search",
          kind: "retrieval",
          start_time: iso(at + 5),
          duration_ms: Math.round(20 + random() * 150),
          status: "ok"
        },
        ...(tool
          ? [
              {
                trace_id: trace,
                span_id: hex(random, 16),
                parent_span_id: root,
                name: "orders.lookup",
                kind: "tool",
                start_time: iso(at + 40),
                duration_ms: Math.round(50 + random() * 300),
                status: "ok"
              }
            ]
          : []),
        {
          trace_id: trace,
          span_id: hex(random, 16),
          parent_span_id: root,
          name: "chat",
          kind: "llm",
          start_time: iso(at + 100),
          duration_ms: llmMs,
          feature,
          model,
          provider: providers[model],
          input_tokens,
          output_tokens,
          cost_usd: reported ? Math.round((input_tokens * 2 + output_tokens! * 8) / 100) / 1e4 : undefined,
          status: failed ? "error" : "ok",
          finish_reason: finish,
          error_message: failed ? "503 service unavailable" : undefined,
          output_excerpt: failed ? undefined : pick(random, texts)
        }
      ];
      for (const s of spans) emit(JSON.stringify(s));
      written += spans.length;
    }
  });
  await writeLines(join(dir, "corrections.jsonl"), (emit) => {
    for (let i = 0; i < CORRECTIONS; i++) {
      const feature = pick(random, features);
      const segment = pick(random, segments);
      const action =
        feature === "autocomplete" && segment === "enterprise" && random() < 0.3 ? "ignored" : pick(random, actions);
      const original_text = pick(random, texts);
      emit(
        JSON.stringify({
          event_id: `evt-${i}`,
          at: iso(START + Math.floor(random() * DAYS * 86_400_000)),
          feature,
          model: pick(random, models[feature]),
          prompt_version: `${feature}-v1`,
          segment,
          category: pick(random, categories),
          action,
          original_text,
          edited_text:
            action === "edited"
              ? `${original_text.slice(0, 30 + Math.floor(random() * 30))} Please reply with a screenshot.`
              : undefined
        })
      );
    }
  });
  await writeLines(join(dir, "eval_results.jsonl"), (emit) => {
    for (let i = 0; i < EVAL_RESULTS; i++) {
      // Runs of 1,000 cases, each one suite's (the features take turns), so that consecutive runs of a
      // suite grade the same cases. Until 2026-12-06 the suite turned with every row, so each run_id
      // spanned three suites: merged runs, which ingest now quarantines whole (loaders/warehouse/evalRuns.ts).
      const run = Math.floor(i / 1000);
      const feature = features[run % 3];
      emit(
        JSON.stringify({
          run_id: `${feature}-run-${run}`,
          case_id: `case-${i % 1000}`,
          suite: `${feature}-golden`,
          feature,
          // A run every 4 days; past 22 runs (88 days) the runs wrap and shift by a minute, staying in the window.
          started_at: iso(START + ((run % 22) * 4 * 86_400_000 + Math.floor(i / 22_000) * 60_000)),
          model: models[feature][0],
          passed: random() < 0.85,
          category: categories[i % categories.length],
          input_chars: 50 + ((i * 7919) % 8000)
        })
      );
    }
  });
  await writeLines(join(dir, "flags.jsonl"), (emit) => {
    for (let i = 0; i < FLAGS; i++) {
      const resolved = random() < 0.8;
      emit(
        JSON.stringify({
          flag_id: `flag-${i}`,
          at: iso(START + Math.floor(random() * DAYS * 86_400_000)),
          feature: pick(random, features),
          category: pick(random, ["hallucination", "pii-leak", "unsafe-advice", "policy-violation"]),
          severity: pick(random, ["low", "medium", "high", "critical"]),
          root_cause: pick(random, ["prompt", "capability", "policy", "unknown"]),
          status: resolved ? "resolved" : "open",
          decision: resolved ? "prompt fix shipped" : undefined,
          excerpt: "Order #24891 shipped via express yesterday."
        })
      );
    }
  });
  writeFileSync(version, GENERATOR_VERSION);
}

export const files = ["spans", "corrections", "eval_results", "flags"];

/** DuckDB's plain reader of a format's files. */
export const readerOf = (format: "jsonl" | "csv") => (format === "csv" ? "read_csv" : "read_json");

/**
 * DuckDB reading every file with read_json and no validation into tables of a database file, as the
 * warehouse is one: the reference. Writing to disk costs DuckDB about as much again as the reading,
 * so an in-memory reference would compare storage, not validation. With DuckDB's defaults its closing
 * checkpoint merges the partial row groups of the parallel reads, which the ingest no longer does
 * (ingest.ts); `vacuum: false` gives the like-for-like read, for a bench's note beside its target.
 */
export async function reference(
  dir: string,
  path: string,
  {
    tables = files,
    format = "jsonl",
    vacuum = true
  }: {tables?: readonly string[]; format?: "jsonl" | "csv"; vacuum?: boolean} = {}
): Promise<void> {
  const reader = readerOf(format);
  removeDatabase(path);
  const db = await openDatabase(path);
  try {
    if (!vacuum) await db.run("SET max_vacuum_tasks = 0");
    for (const f of tables)
      await db.run(`CREATE TABLE ${f} AS SELECT * FROM ${reader}(${quotedString(join(dir, `${f}.${format}`))})`);
    await db.run("CHECKPOINT");
  } finally {
    db.close();
    removeDatabase(path);
  }
}

export function removeDatabase(path: string): void {
  rmSync(path, {force: true});
  rmSync(`${path}.wal`, {force: true});
}

/**
 * A cold build's ingest, as the site build does it: the warehouse file removed, the workspace read into
 * a fresh one, checkpointed (so its time includes writing to disk) and closed. The production and scale
 * benches time this same step.
 */
export async function coldIngest(dir: string, warehouse: string, config: IngestConfig): Promise<void> {
  removeDatabase(warehouse);
  const db = await openDatabase(warehouse);
  try {
    await ingestWorkspace(db, dir, config);
    await db.run("CHECKPOINT");
  } finally {
    db.close();
  }
}

const pages = {traces: tracesPage, corrections: correctionsPage, drift: driftPage, safety: safetyPage};

/** Builds the warehouse as a site build does, then each page's data on its own read-only connection. */
async function ingestAndAggregate(
  dir: string,
  warehouse: string,
  workspace: Workspace
): Promise<{ingest: number; seconds: Record<string, number>; bytes: Record<string, number>}> {
  const ingest = await time(() => coldIngest(dir, warehouse, workspace.config));
  const seconds: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const [name, page] of Object.entries(pages)) {
    const run = await time(async () => {
      const db = await openDatabase(warehouse, {readOnly: true});
      try {
        return JSON.stringify(await page(db, workspace));
      } finally {
        db.close();
      }
    });
    seconds[name] = run.seconds;
    bytes[name] = Buffer.byteLength(run.value);
  }
  return {ingest: ingest.seconds, seconds, bytes};
}

const bench: Bench = async ({scaleDir}) => {
  const dir = join(scaleDir, "production-2m");
  console.error(`  generating ${SPANS.toLocaleString("en-US")} spans into ${dir} (once)`);
  await generate(dir);
  const warehouse = join(scaleDir, "production-2m.duckdb");
  const workspace: Workspace = {root: dir, config: configSchema.parse(config), configFiles: []};
  // Ingest and aggregates are timed together, as one build, so the fastest run is one whole build
  // and the parts reported are that run's.
  let fastest: Awaited<ReturnType<typeof ingestAndAggregate>> | undefined;
  const total = (r: NonNullable<typeof fastest>) => r.ingest + Object.values(r.seconds).reduce((a, b) => a + b, 0);
  const measured = await fastestInTurns(
    RUNS,
    () => reference(dir, join(scaleDir, "production-2m-reference.duckdb")),
    async () => {
      const run = await ingestAndAggregate(dir, warehouse, workspace);
      if (!fastest || total(run) < total(fastest)) fastest = run;
    }
  );
  const {ingest, seconds, bytes} = fastest!;
  const aggregate = total(fastest!) - ingest;
  const ref = measured.reference;
  const reference_ = {name: "DuckDB read_json of the same files into a database file, no validation", seconds: ref};
  const results: BenchResult[] = [
    {
      name: "production: 2M spans + 400k corrections ingested and aggregated for the 4 pages",
      seconds: ingest + aggregate,
      reference: reference_,
      target: {max: 2, of: "ratio"},
      value: (ingest + aggregate) / ref,
      note: `ingest ${ingest.toFixed(2)} s, pages ${Object.entries(seconds)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(", ")}`
    },
    {
      name: "production: ingest with validation alone (same run)",
      seconds: ingest,
      reference: reference_,
      target: {max: 2, of: "ratio"},
      value: ingest / ref
    },
    {
      name: "production: the 4 pages' aggregates alone, each loader on its own connection (same run)",
      seconds: aggregate,
      reference: reference_,
      target: {max: 2, of: "ratio"},
      value: aggregate / ref
    },
    ...Object.entries(bytes).map(([name, b]): BenchResult => ({
      name: `production: ${name} page data at 2M spans`,
      seconds: seconds[name],
      reference: null,
      target: {max: PAGE_BYTES_MAX, of: "bytes"},
      value: b
    }))
  ];
  return results;
};

export default bench;

/** The 2M-span workspace and its config, for the append bench (append.bench.ts), which splits it by day. */
export {generate as generateProduction, config as productionConfig};

// 1M eval results: warehouse ingest of a native JSONL file, and the aggregates of the four eval pages
// (triage, bake-off, frontier, launch gate), each against DuckDB reading the same file into a table
// with no validation, measured in the same run (both in memory; the fastest of three runs of each, taken in turns);
// plus the size of each page's JSON.
import {createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {once} from "node:events";
import {seededRandom} from "../../src/lib/metrics/seededRandom.js";
import {bakeoff} from "../../loaders/queries/bakeoff.js";
import {bakeoffCases} from "../../loaders/queries/bakeoffCases.js";
import {evalTriage} from "../../loaders/queries/evalTriage.js";
import {frontier} from "../../loaders/queries/frontier.js";
import {launchGate} from "../../loaders/queries/launchGate.js";
import {configSchema} from "../../loaders/schema/config.js";
import {quotedString, openDatabase} from "../../loaders/warehouse/duckdb.js";
import {ingestWorkspace} from "../../loaders/warehouse/ingest.js";
import type {Bench, BenchResult} from "./types.js";
import {fastestInTurns, time} from "./types.js";

/** Runs of the reference and of the ingest, the fastest of each compared. */
const RUNS = 3;
const SUITES = ["support-chat-golden", "summarization-golden", "autocomplete-golden", "extraction-golden"];
const RUNS_PER_SUITE = 50;
const CASES_PER_RUN = 5000;
const MODELS = [
  {model: "gpt-4.1", provider: "openai", input: 2, output: 8, skill: 0.04, latency: 1350},
  {model: "gpt-4.1-mini", provider: "openai", input: 0.4, output: 1.6, skill: -0.03, latency: 720},
  {model: "claude-sonnet-4", provider: "anthropic", input: 3, output: 15, skill: 0.05, latency: 1200},
  {model: "claude-3-5-haiku", provider: "anthropic", input: 0.8, output: 4, skill: -0.04, latency: 640},
  {model: "gemini-2.5-flash", provider: "google", input: 0.3, output: 2.5, skill: -0.05, latency: 520}
];
const CATEGORIES = [
  "billing",
  "refunds",
  "shipping",
  "account-access",
  "technical-bug",
  "multi-step-troubleshooting",
  "cancellation",
  "product-question"
];
const EXCERPTS = [
  "Customer asks why the card was declined at renewal (order #54368). Sent the help-center article.",
  "Happy to help with this. I can confirm that our team will follow up within 24 hours.",
  "I'm sorry, but I can't help with that request."
];

export const config = {
  prices: MODELS.map((m) => ({
    model: m.model,
    provider: m.provider,
    input_per_mtok: m.input,
    output_per_mtok: m.output
  })),
  budgets: {cost_per_request_usd: {"support-chat": 0.012}, latency_p95_ms: {"support-chat": 3500}},
  launches: [
    {
      feature: "support-chat",
      suite: "support-chat-golden",
      candidate: {model: "claude-sonnet-4", prompt_version: "p5"},
      baseline: {model: "gpt-4.1", prompt_version: "p5"},
      gates: [
        {metric: "pass_rate", min: 0.85},
        {metric: "latency_p95_ms", max: 2500},
        {metric: "cost_per_request_usd", max: 0.012},
        {metric: "refusal_rate", max: 0.03}
      ]
    },
    {
      feature: "summarization",
      suite: "summarization-golden",
      candidate: {model: "gpt-4.1-mini"},
      gates: [
        {metric: "pass_rate", min: 0.8},
        {metric: "mean_score", min: 0.7},
        {metric: "error_rate", max: 0.01}
      ]
    }
  ]
};

/** 1M rows of 4 suites × 50 runs × 5,000 cases, about 300 bytes a row; written once, deterministically. */
async function generate(dir: string): Promise<string> {
  const file = join(dir, "eval_results.jsonl");
  if (existsSync(file)) return file;
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, "workbench.config.json"), JSON.stringify(config, null, 2));
  const random = seededRandom(20261123);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const temp = `${file}.tmp`;
  const out = createWriteStream(temp);
  let buffer = "";
  for (const [s, suite] of SUITES.entries()) {
    const feature = suite.replace("-golden", "");
    const cases = Array.from({length: CASES_PER_RUN}, (_, i) => ({
      category: CATEGORIES[(i * 7 + s) % CATEGORIES.length],
      chars: Math.round(Math.exp(6.5 + 0.8 * normal())),
      difficulty: normal()
    }));
    for (let k = 0; k < RUNS_PER_SUITE; k++) {
      const m = MODELS[(k * 7 + s) % MODELS.length];
      const prompt = `p${1 + Math.floor(k / 10)}`;
      const started = new Date(Date.UTC(2026, 0, 1 + k, 6 + s)).toISOString();
      const runId = `${suite}-${String(k).padStart(3, "0")}-${m.model}-${prompt}`;
      for (const [i, c] of cases.entries()) {
        const base =
          0.82 +
          m.skill -
          (c.category === "multi-step-troubleshooting" && m.skill < 0 ? 0.18 : 0) -
          (prompt === "p5" && c.chars > 6000 ? 0.3 : 0);
        const error = random() < 0.005;
        const refused = !error && random() < 0.01;
        const passed = !error && !refused && random() < base + 0.1 * Math.tanh(-c.difficulty);
        const row: Record<string, unknown> = {
          run_id: runId,
          case_id: `${feature}-${String(i + 1).padStart(5, "0")}`,
          suite,
          started_at: started,
          feature,
          model: m.model,
          provider: m.provider,
          prompt_version: prompt,
          dataset_version: `${feature}-v1`,
          category: c.category,
          input_chars: c.chars,
          grader: "model",
          passed,
          refused
        };
        if (error) row.error = "timeout after 30000 ms";
        else {
          const inputTokens = 900 + Math.round(c.chars / 4);
          const outputTokens = Math.max(3, Math.round(200 * Math.exp(0.35 * normal())));
          row.score = Math.round((passed ? 0.7 + 0.3 * random() : 0.69 * random()) * 1000) / 1000;
          row.latency_ms = Math.round(m.latency * Math.exp(0.35 * normal()));
          row.input_tokens = inputTokens;
          row.output_tokens = outputTokens;
          if (m.provider === "openai")
            row.cost_usd = Math.round(((inputTokens * m.input + outputTokens * m.output) / 1e6) * 1e7) / 1e7;
          if (i % 5 === 0) row.output_excerpt = EXCERPTS[(i + k) % EXCERPTS.length];
        }
        buffer += JSON.stringify(row) + "\n";
        if (buffer.length > 1 << 20) {
          if (!out.write(buffer)) await once(out, "drain");
          buffer = "";
        }
      }
    }
  }
  out.end(buffer);
  await once(out, "finish");
  renameSync(temp, file);
  return file;
}

const bench: Bench = async ({scaleDir}) => {
  const dir = join(scaleDir, "evals-1m");
  const file = await generate(dir);
  const workbench = configSchema.parse(config);

  let db = await openDatabase();
  const measured = await fastestInTurns(
    RUNS,
    async () => {
      const refDb = await openDatabase();
      try {
        await refDb.run(`CREATE TABLE t AS SELECT * FROM read_json(${quotedString(file)})`);
      } finally {
        refDb.close();
      }
    },
    async () => {
      db.close();
      db = await openDatabase();
      await ingestWorkspace(db, dir, workbench);
    }
  );
  const reference = {seconds: measured.reference};
  const ingest = {seconds: measured.work};
  const [{rows}] = await db.query<{rows: number}>(`SELECT count(*)::INTEGER AS rows FROM eval_results`);
  const pages: Record<string, unknown> = {};
  const aggregates = await time(async () => {
    pages["eval-triage"] = await evalTriage(db);
    pages.bakeoff = await bakeoff(db, {config: workbench});
    pages.frontier = await frontier(db);
    pages["launch-gate"] = await launchGate(db, {config: workbench});
  });
  // The bake-off's file for filters (fetched with the first filter) has the same 2 MB budget; it is
  // not one of the aggregates timed above.
  pages["bakeoff-cases"] = await bakeoffCases(db);
  db.close();

  const ref = {name: "DuckDB read_json into a table, no validation", seconds: reference.seconds};
  const results: BenchResult[] = [
    {
      name: "evals: ingest 1M eval results (validate, quarantine, price)",
      seconds: ingest.seconds,
      reference: ref,
      target: {max: 2, of: "ratio"},
      value: ingest.seconds / reference.seconds,
      note: `${rows.toLocaleString("en-US")} rows accepted`
    },
    {
      name: "evals: aggregates of the four eval pages",
      seconds: aggregates.seconds,
      reference: ref,
      target: {max: 5, of: "seconds"},
      value: aggregates.seconds,
      note: `${(aggregates.seconds / reference.seconds).toFixed(2)}× the reference`
    }
  ];
  for (const [page, value] of Object.entries(pages)) {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    results.push({
      name: `evals: ${page} page JSON at 1M results`,
      seconds: 0,
      reference: null,
      target: {max: 2e6, of: "bytes"},
      value: bytes
    });
  }
  return results;
};

export default bench;

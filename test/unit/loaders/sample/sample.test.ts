// The sample workspace: deterministic, valid against the canonical tables, and carrying every
// planted story at the magnitude recorded in loaders/sample/story.ts.
import {mkdtemp, readFile, readdir, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {normalizedEditDistance} from "../../../../loaders/metrics/editDistance.js";
import {DATA_END, DATA_START, DAY_MS, weekOf} from "../../../../loaders/sample/calendar.js";
import {costUsd, MODELS, NEW_CATEGORY, TICKET_CATEGORIES, type ModelName} from "../../../../loaders/sample/catalog.js";
import {evalResults} from "../../../../loaders/sample/evalResults.js";
import {createRng} from "../../../../loaders/sample/random.js";
import * as story from "../../../../loaders/sample/story.js";
import {SAMPLE_NOTEBOOK_NAME} from "../../../../loaders/sample/notebook.js";
import {CONFIG_FILE, writeWorkspace} from "../../../../loaders/sample/writeWorkspace.js";
import {configSchema} from "../../../../loaders/schema/config.js";
import {zodTable} from "../../../../loaders/schema/fields.js";
import {canonicalTables} from "../../../../loaders/schema/tables.js";

type Row = Record<string, any>;
type Workspace = Record<string, Row[]>;

const SAMPLE_DIR = join(import.meta.dirname, "../../../../data/sample");
let tmp: string;
let rows: Workspace;

async function readWorkspace(dir: string): Promise<Workspace> {
  const tables = await Promise.all(
    canonicalTables.map(async (t) => [t.name, jsonl(await readFile(join(dir, `${t.name}.jsonl`), "utf8"))] as const)
  );
  return Object.fromEntries(tables);
}

const jsonl = (text: string): Row[] =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Row);
const rate = (xs: readonly Row[], test: (r: Row) => boolean): number => xs.filter(test).length / xs.length;
const passRate = (xs: readonly Row[]): number => rate(xs, (r) => r.passed);
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of xs) {
    const group = groups.get(key(x)) ?? [];
    group.push(x);
    groups.set(key(x), group);
  }
  return groups;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

function wilson(successes: number, n: number, z = 1.96): [number, number] {
  const p = successes / n;
  const center = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [center - half, center + half];
}

/** Probability that a random positive outscores a random negative; ties count half. */
function auc(scored: readonly {score: number; positive: boolean}[]): number {
  const pos = scored.filter((s) => s.positive).map((s) => s.score);
  const neg = scored.filter((s) => !s.positive).map((s) => s.score);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const runsOf = (suite: string): Row[][] => {
  const byRun = groupBy(
    rows.eval_results!.filter((r) => r.suite === suite),
    (r) => r.run_id as string
  );
  return [...byRun.values()].sort((a, b) => Date.parse(a[0]!.started_at) - Date.parse(b[0]!.started_at));
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "workbench-sample-"));
  await writeWorkspace(join(tmp, "a"));
  rows = await readWorkspace(join(tmp, "a"));
}, 60_000);

afterAll(() => rm(tmp, {recursive: true, force: true}));

describe("writeWorkspace(dir, {seed})", () => {
  // The two seed tests generate at scale 2,000 (a tenth of the sample, the same generators): three full
  // samples cost 4.8 s of CPU, a third of this file. At full size, byte-identical output for the same
  // seed is checked against the committed data/sample/ below, which another process generated.
  const small = 2_000;

  it("writes byte-identical files for the same seed", async () => {
    await Promise.all([
      writeWorkspace(join(tmp, "s1"), {scale: small}),
      writeWorkspace(join(tmp, "s2"), {scale: small})
    ]);
    const files = (await readdir(join(tmp, "s1"), {recursive: true})).filter((f) => f !== "notebooks").sort();
    expect(files).toEqual(
      [...canonicalTables.map((t) => `${t.name}.jsonl`), CONFIG_FILE, `notebooks/${SAMPLE_NOTEBOOK_NAME}`].sort()
    );
    expect((await readdir(join(tmp, "a"), {recursive: true})).filter((f) => f !== "notebooks").sort()).toEqual(files);
    for (const file of files)
      expect((await readFile(join(tmp, "s2", file))).equals(await readFile(join(tmp, "s1", file))), file).toBe(true);
  });

  it("writes different rows for a different seed", async () => {
    await writeWorkspace(join(tmp, "other"), {seed: 7, scale: small});
    expect(
      (await readFile(join(tmp, "other", "spans.jsonl"))).equals(await readFile(join(tmp, "s1", "spans.jsonl")))
    ).toBe(false);
  });

  it("matches the committed data/sample/ (regenerate with npx tsx scripts/generate-sample.ts)", async () => {
    for (const file of (await readdir(join(tmp, "a"), {recursive: true})).filter((f) => f !== "notebooks"))
      expect((await readFile(join(SAMPLE_DIR, file))).equals(await readFile(join(tmp, "a", file))), file).toBe(true);
  });

  it("writes at least `scale` eval results and spans", async () => {
    // Above the default sample's size in both tables, so each must grow; larger scales cost time, not proof.
    const scale = 20_000;
    expect(rows.eval_results!.length).toBeLessThan(scale);
    expect(rows.spans!.length).toBeLessThan(scale);
    const written = await writeWorkspace(join(tmp, "scaled"), {scale});
    const count = (table: string) => written.find((f) => f.file.endsWith(`${table}.jsonl`))!.rows;
    expect(count("eval_results")).toBeGreaterThanOrEqual(scale);
    expect(count("spans")).toBeGreaterThanOrEqual(scale);
  }, 60_000);
});

describe("sample workspace rows", () => {
  it("pass zodTable(spec) for every canonical table", () => {
    for (const spec of canonicalTables) {
      const schema = zodTable(spec);
      for (const row of rows[spec.name]!) {
        const result = schema.safeParse(row);
        if (!result.success) throw new Error(`${spec.name}: ${JSON.stringify(row)}\n${result.error.message}`);
      }
    }
  });

  it("have keys in canonical field order, no nulls, and unique table keys", () => {
    for (const spec of canonicalTables) {
      const order = spec.fields.map((f) => f.name);
      const misordered = rows[spec.name]!.filter(
        (row) => Object.keys(row).join() !== order.filter((name) => name in row).join()
      );
      expect(misordered.slice(0, 3), spec.name).toEqual([]);
      expect(rows[spec.name]!.filter((row) => Object.values(row).includes(null)).slice(0, 3), spec.name).toEqual([]);
      const keys = new Set(rows[spec.name]!.map((row) => spec.key.map((k) => row[k] ?? "").join("\u0000")));
      expect(keys.size, spec.name).toBe(rows[spec.name]!.length);
    }
  });

  it("carry UTC timestamps inside the data period", () => {
    for (const spec of canonicalTables) {
      const outside = rows[spec.name]!.map((row) => row[spec.timeField!] as string).filter(
        (t) => !t.endsWith("Z") || Date.parse(t) < DATA_START || Date.parse(t) >= DATA_END
      );
      expect(outside.slice(0, 3), spec.name).toEqual([]);
    }
  });

  it("have the target sizes and stay under 23 MB", async () => {
    const counts = Object.fromEntries(canonicalTables.map((t) => [t.name, rows[t.name]!.length]));
    expect(counts.eval_results).toBeGreaterThanOrEqual(15_000);
    expect(counts.eval_results).toBeLessThanOrEqual(30_000);
    expect(counts.spans).toBeGreaterThanOrEqual(16_000);
    expect(counts.spans).toBeLessThanOrEqual(24_000);
    expect(counts.corrections).toBeGreaterThanOrEqual(6_500);
    expect(counts.predictions).toBe(6_000);
    expect(counts.flags).toBe(150);
    const files = (await readdir(join(tmp, "a"), {recursive: true})).filter((f) => f !== "notebooks");
    const bytes = (await Promise.all(files.map((f) => readFile(join(tmp, "a", f))))).reduce((n, b) => n + b.length, 0);
    // 17.9 MB until every eval result carried its case's input and expected output and every passing
    // case its output (4.7 MB more, for the case view: #14).
    expect(bytes).toBeLessThan(23e6);
  });

  it("have a workbench.config.json that configSchema accepts", async () => {
    const config = configSchema.parse(JSON.parse(await readFile(join(tmp, "a", CONFIG_FILE), "utf8")));
    expect(config.sources.map((s) => s.table)).toEqual(canonicalTables.map((t) => t.name));
    expect(config.prices.map((p) => p.model).sort()).toEqual(Object.keys(MODELS).sort());
  });
});

describe("story 1: sum-v4 broke long inputs", () => {
  const isLong = (r: Row) => r.input_chars > story.LONG_INPUT_CHARS;

  it("grades the same cases, with fixed category and length, in every weekly run", () => {
    const runs = runsOf(story.SUMMARIZATION_SUITE.suite);
    expect(runs.length).toBeGreaterThanOrEqual(8);
    const signature = (run: Row[]) =>
      run
        .map((r) => `${r.case_id}|${r.category}|${r.input_chars}`)
        .sort()
        .join();
    for (const run of runs) expect(signature(run)).toBe(signature(runs[0]!));
    expect(runs[0]!.length).toBe(story.SUMMARIZATION_SUITE.cases);
    expect(rate(runs[0]!, isLong)).toBeCloseTo(story.SUMMARIZATION_SUITE.longShare, 2);
  });

  it("drops the long-input pass rate from ~0.88 to ~0.55 in the latest run, short inputs unchanged", () => {
    const runs = runsOf(story.SUMMARIZATION_SUITE.suite);
    const [before, latest] = runs.slice(-2) as [Row[], Row[]];
    expect([before[0]!.prompt_version, latest[0]!.prompt_version]).toEqual(["sum-v3", "sum-v4"]);
    expect(latest[0]!.model).toBe(before[0]!.model);
    const {"sum-v3": v3, "sum-v4": v4} = story.SUMMARIZATION_PASS_RATES;
    expect(passRate(before.filter(isLong))).toBeCloseTo(v3.long, 2);
    expect(passRate(latest.filter(isLong))).toBeCloseTo(v4.long, 1);
    expect(Math.abs(passRate(latest.filter(isLong)) - v4.long)).toBeLessThan(0.01);
    expect(Math.abs(passRate(before.filter((r) => !isLong(r))) - v3.short)).toBeLessThan(0.01);
    expect(Math.abs(passRate(latest.filter((r) => !isLong(r))) - v4.short)).toBeLessThan(0.01);
  });
});

describe("story 1 in the case view: inputs, expected and passing outputs", () => {
  const summaries = () => rows.eval_results!.filter((r) => r.suite === story.SUMMARIZATION_SUITE.suite);

  it("gives every eval result its case's input and expected output, the same in every run, and a passing case its output", () => {
    const evals = rows.eval_results!;
    expect(evals.every((r) => typeof r.input_excerpt === "string" && typeof r.expected_excerpt === "string")).toBe(
      true
    );
    for (const [, results] of groupBy(evals, (r) => `${r.suite}|${r.case_id}`)) {
      expect(unique(results.map((r) => r.input_excerpt)).length).toBe(1);
      expect(unique(results.map((r) => r.expected_excerpt)).length).toBe(1);
    }
    expect(evals.filter((r) => r.passed && r.output_excerpt === undefined)).toEqual([]);
    // Cases differ (autocomplete's short drafts repeat; tickets carry an order number).
    expect(unique(evals.map((r) => r.input_excerpt)).length).toBeGreaterThan(700);
  });

  it("names a summarization input's full length at its start, so a long input shows as long", () => {
    for (const r of summaries())
      expect(r.input_excerpt.startsWith(`Ticket thread, ${r.input_chars} characters.`)).toBe(true);
  });

  it("draws the texts from a stream of their own: without it, every other value is the same", () => {
    const plain = [...evalResults(createRng(story.DEFAULT_SEED, "eval_results"))];
    expect(plain.length).toBe(rows.eval_results!.length);
    const withoutTexts = rows.eval_results!.map((r, i) => {
      const {input_excerpt: _i, expected_excerpt: _e, ...rest} = r;
      // A passing case's output is new unless the rows' stream gave it one.
      if (r.passed && plain[i]!.output_excerpt === undefined) {
        expect(r.output_excerpt).toBe(r.expected_excerpt);
        delete rest.output_excerpt;
      }
      return rest;
    });
    expect(withoutTexts).toEqual(JSON.parse(JSON.stringify(plain)));
  });
});

describe("story 2: the bake-off", () => {
  const bakeoff = () =>
    runsOf(story.SUPPORT_CHAT_SUITE.suite).filter(
      (run) =>
        weekOf(Date.parse(run[0]!.started_at)) === story.BAKEOFF_WEEK && run[0]!.prompt_version === story.BAKEOFF_PROMPT
    );
  const byModel = () => new Map(bakeoff().map((run) => [run[0]!.model as string, run]));
  const easy = (r: Row) => (story.EASY_CATEGORIES as readonly string[]).includes(r.category);
  const multiStep = (r: Row) => r.category === "multi-step-troubleshooting";

  it("runs five models on the same case ids in the same week", () => {
    const runs = bakeoff();
    expect(runs.map((run) => run[0]!.model).sort()).toEqual(Object.keys(story.BAKEOFF_PASSES_PER_50).sort());
    const ids = (run: Row[]) =>
      run
        .map((r) => r.case_id)
        .sort()
        .join();
    for (const run of runs) expect(ids(run)).toBe(ids(runs[0]!));
  });

  it("has cheaper models within 2 points on easy categories but 15–25 points behind on multi-step troubleshooting", () => {
    const runs = byModel();
    for (const [expensive, cheap] of story.BAKEOFF_PAIRS) {
      const [e, c] = [runs.get(expensive)!, runs.get(cheap)!];
      const easyGap = passRate(e.filter(easy)) - passRate(c.filter(easy));
      const hardGap = passRate(e.filter(multiStep)) - passRate(c.filter(multiStep));
      expect(easyGap, `${expensive} vs ${cheap}, easy`).toBeGreaterThanOrEqual(0);
      expect(easyGap, `${expensive} vs ${cheap}, easy`).toBeLessThanOrEqual(0.02);
      expect(hardGap, `${expensive} vs ${cheap}, multi-step`).toBeGreaterThanOrEqual(0.15);
      expect(hardGap, `${expensive} vs ${cheap}, multi-step`).toBeLessThanOrEqual(0.25);
    }
  });

  it("has cheaper models answer faster", () => {
    const runs = byModel();
    const median = (model: string) =>
      quantile(
        runs
          .get(model)!
          .filter((r) => r.latency_ms !== undefined)
          .map((r) => r.latency_ms),
        0.5
      );
    for (const [expensive, cheap] of story.BAKEOFF_PAIRS) expect(median(cheap)).toBeLessThan(median(expensive) * 0.7);
  });

  it("reports cost only for OpenAI rows, grades model scores at 0.7 and mixes graders", () => {
    const results = rows.eval_results!;
    const reported = (r: Row) => r.cost_usd !== undefined;
    expect(results.filter(reported).every((r) => r.provider === "openai")).toBe(true);
    const openaiOk = results.filter((r) => r.provider === "openai" && !r.error);
    expect(openaiOk.every(reported)).toBe(true);
    for (const r of openaiOk.slice(0, 500))
      expect(r.cost_usd).toBeCloseTo(costUsd(r.model as ModelName, r.input_tokens, r.output_tokens), 7);
    for (const r of results.filter((r) => r.grader !== "programmatic" && r.score !== undefined))
      expect(r.passed).toBe(r.score >= 0.7);
    expect(unique(results.map((r) => r.grader)).sort()).toEqual(["human", "model", "programmatic"]);
    const chat = results.filter((r) => r.suite === story.SUPPORT_CHAT_SUITE.suite);
    expect(rate(chat, (r) => r.refused)).toBeGreaterThan(0.005);
    expect(rate(chat, (r) => r.refused)).toBeLessThan(0.03);
  });
});

describe("story 3: launch gates", () => {
  const config = () => configSchema.parse(JSON.parse(JSON.stringify(rowsConfig)));
  let rowsConfig: unknown;
  beforeAll(async () => {
    rowsConfig = JSON.parse(await readFile(join(tmp, "a", CONFIG_FILE), "utf8"));
  });
  const latestRun = (suite: string, model: string, prompt: string) =>
    runsOf(suite)
      .filter((run) => run[0]!.model === model && run[0]!.prompt_version === prompt)
      .at(-1)!;
  const gate = (launch: {gates: {metric: string; min?: number; max?: number}[]}, metric: string) =>
    launch.gates.find((g) => g.metric === metric)!;

  it("puts the support-chat candidate's pass rate just above its gate, with an interval straddling it", () => {
    const launch = config().launches.find((l) => l.feature === "support-chat")!;
    const run = latestRun(launch.suite, launch.candidate.model, launch.candidate.prompt_version!);
    const passes = run.filter((r) => r.passed).length;
    expect(run.length).toBe(400);
    expect(passes / run.length).toBeGreaterThanOrEqual(0.86);
    expect(passes / run.length).toBeLessThanOrEqual(0.87);
    const [low, high] = wilson(passes, run.length);
    const min = gate(launch, "pass_rate").min!;
    expect(low).toBeLessThan(min);
    expect(high).toBeGreaterThan(min);
  });

  it("has the candidate pass its latency, cost and refusal gates", () => {
    const launch = config().launches.find((l) => l.feature === "support-chat")!;
    const run = latestRun(launch.suite, launch.candidate.model, launch.candidate.prompt_version!);
    const p95 = quantile(
      run.filter((r) => r.latency_ms !== undefined).map((r) => r.latency_ms),
      0.95
    );
    expect(p95).toBeGreaterThanOrEqual(2100);
    expect(p95).toBeLessThanOrEqual(2300);
    expect(p95).toBeLessThan(gate(launch, "latency_p95_ms").max!);
    const refusal = rate(run, (r) => r.refused);
    expect(refusal).toBeGreaterThanOrEqual(0.01);
    expect(refusal).toBeLessThanOrEqual(0.02);
    expect(run.every((r) => r.cost_usd === undefined)).toBe(true);
    const priced = run.filter((r) => r.input_tokens !== undefined);
    const cost = priced.reduce((n, r) => n + costUsd(r.model, r.input_tokens, r.output_tokens), 0) / priced.length;
    expect(cost).toBeLessThan(gate(launch, "cost_per_request_usd").max!);
  });

  it("has sum-v4 clearly fail the summarization pass-rate gate", () => {
    const launch = config().launches.find((l) => l.feature === "ticket-summarization")!;
    const run = latestRun(launch.suite, launch.candidate.model, launch.candidate.prompt_version!);
    const [, high] = wilson(run.filter((r) => r.passed).length, run.length);
    expect(high).toBeLessThan(gate(launch, "pass_rate").min!);
  });
});

describe("story 4: production traces", () => {
  const llm = () => rows.spans!.filter((s) => s.kind === "llm");
  const roots = () => rows.spans!.filter((s) => s.kind === "chain");

  it("builds each trace from a root chain span, a retrieval span and an llm span", () => {
    const traces = groupBy(rows.spans!, (s) => s.trace_id as string);
    for (const spans of traces.values()) {
      const [root, ...children] = spans;
      expect(root!.kind).toBe("chain");
      expect(root!.parent_span_id).toBeUndefined();
      for (const field of ["feature", "segment", "category", "prompt_version", "input_chars"])
        expect(root![field], field).toBeDefined();
      expect(children.every((c) => c.parent_span_id === root!.span_id)).toBe(true);
      expect(children.map((c) => c.kind).filter((k) => k !== "tool")).toEqual(["retrieval", "llm"]);
    }
    expect(DATA_END - Date.parse(roots()[0]!.start_time)).toBeGreaterThanOrEqual(8 * 7 * DAY_MS);
  });

  it("varies finish reasons, status and cost reporting on llm spans", () => {
    expect(unique(llm().map((s) => s.finish_reason)).sort()).toEqual(
      ["content_filter", "length", "stop", undefined].sort()
    );
    expect(rate(llm(), (s) => s.status === "error")).toBeGreaterThan(0.005);
    expect(rate(llm(), (s) => s.cost_usd === undefined)).toBeGreaterThan(0.2);
    expect(rows.spans!.some((s) => s.kind === "tool")).toBe(true);
  });

  it("has gpt-4.1's p95 latency creep up in the last two weeks, and no other model's", () => {
    const ratio = (model: string) => {
      const spans = llm().filter((s) => s.model === model && s.status === "ok");
      const late = (s: Row) => Date.parse(s.start_time) >= story.LATENCY_CREEP.from;
      return (
        quantile(
          spans.filter(late).map((s) => s.duration_ms),
          0.95
        ) /
        quantile(
          spans.filter((s) => !late(s)).map((s) => s.duration_ms),
          0.95
        )
      );
    };
    expect(ratio(story.LATENCY_CREEP.model)).toBeGreaterThan(1.3);
    for (const model of ["gpt-4.1-mini", "gemini-2.5-flash"])
      expect(Math.abs(ratio(model) - 1), model).toBeLessThan(0.2);
  });

  it("has data-export-request appear in week 6 and grow to ~12% of support-chat traffic", () => {
    const chat = roots().filter((s) => s.feature === "support-chat");
    const share = (week: number) =>
      rate(
        chat.filter((s) => weekOf(Date.parse(s.start_time)) === week),
        (s) => s.category === NEW_CATEGORY
      );
    expect(chat.filter((s) => s.category === NEW_CATEGORY).every((s) => weekOf(Date.parse(s.start_time)) >= 6)).toBe(
      true
    );
    expect(share(6)).toBeGreaterThan(0);
    expect(share(9)).toBeGreaterThanOrEqual(0.1);
    expect(share(9)).toBeLessThanOrEqual(0.14);
    expect(rows.eval_results!.some((r) => r.category === NEW_CATEGORY)).toBe(false);
  });

  it("has data-export-request rejected or escalated far more often", () => {
    const chat = rows.corrections!.filter(
      (c) => c.feature === "support-chat" && Date.parse(c.at) >= story.NEW_CATEGORY_DRIFT.from
    );
    const bad = (c: Row) => c.action === "rejected" || c.action === "escalated";
    expect(
      rate(
        chat.filter((c) => c.category === NEW_CATEGORY),
        bad
      )
    ).toBeGreaterThan(
      2 *
        rate(
          chat.filter((c) => c.category !== NEW_CATEGORY),
          bad
        )
    );
  });
});

describe("story 5: corrections", () => {
  it("has enterprise users ignore ~40% of autocomplete suggestions, others ~12%", () => {
    const auto = rows.corrections!.filter((c) => c.feature === "autocomplete");
    const ignored = (segment: string) =>
      rate(
        auto.filter((c) => c.segment === segment),
        (c) => c.action === "ignored"
      );
    expect(Math.abs(ignored("enterprise") - story.AUTOCOMPLETE_IGNORE_RATE.enterprise)).toBeLessThan(0.05);
    for (const segment of ["smb", "self-serve"] as const)
      expect(Math.abs(ignored(segment) - story.AUTOCOMPLETE_IGNORE_RATE[segment])).toBeLessThan(0.03);
  });

  it("has summaries corrected more often after sum-v4 shipped", () => {
    const summaries = rows.corrections!.filter((c) => c.feature === "ticket-summarization");
    const corrected = (c: Row) => c.action === "edited" || c.action === "rejected";
    const after = summaries.filter((c) => c.prompt_version === "sum-v4");
    expect(after.length).toBeGreaterThan(100);
    expect(rate(after, corrected)).toBeGreaterThan(
      1.3 *
        rate(
          summaries.filter((c) => c.prompt_version === "sum-v3"),
          corrected
        )
    );
  });

  it("reports edit distance for some edits, correctly, and leaves it to ingest for others", () => {
    const edited = rows.corrections!.filter((c) => c.action === "edited");
    expect(rate(edited, (c) => c.edit_distance !== undefined)).toBeGreaterThan(0.3);
    expect(rate(edited, (c) => c.edit_distance === undefined)).toBeGreaterThan(0.3);
    for (const c of edited.filter((c) => c.edit_distance !== undefined)) {
      expect(c.edit_distance).toBe(Math.round(normalizedEditDistance(c.original_text, c.edited_text) * 1000) / 1000);
    }
  });

  it("plants the prompt injection exactly once in corrections and once in spans", () => {
    const has = (text: unknown) => typeof text === "string" && text.includes(story.PROMPT_INJECTION);
    expect(rows.corrections!.filter((c) => has(c.original_text) || has(c.edited_text)).length).toBe(1);
    expect(rows.spans!.filter((s) => has(s.output_excerpt)).length).toBe(1);
  });

  it("plants the fake email and phone number in a few texts", () => {
    const texts = (table: string, field: string) =>
      rows[table]!.map((r) => r[field]).filter((t): t is string => typeof t === "string");
    const count = (table: string, field: string) =>
      texts(table, field).filter((t) => t.includes(story.FAKE_PII.email) && t.includes(story.FAKE_PII.phone)).length;
    expect(count("corrections", "edited_text")).toBe(story.FAKE_PII.corrections);
    expect(count("spans", "output_excerpt")).toBe(story.FAKE_PII.spans);
    expect(count("flags", "excerpt")).toBe(story.FAKE_PII.flags);
  });
});

describe("story 6: classifiers", () => {
  const task = (name: string) => rows.predictions!.filter((p) => p.task === name);

  it("has the router confuse refunds↔billing and multi-step↔technical-bug most", () => {
    const errors = task("ticket-routing").filter((p) => p.label !== p.predicted);
    const pairs = groupBy(errors, (p) => [p.label, p.predicted].sort().join("↔"));
    const top = [...pairs]
      .sort((a, b) => b[1].length - a[1].length)
      .slice(0, 2)
      .map(([pair]) => pair);
    expect(top.sort()).toEqual(story.ROUTING_CONFUSED_PAIRS.map((pair) => [...pair].sort().join("↔")).sort());
    const accuracy = (model: string) =>
      rate(
        task("ticket-routing").filter((p) => p.model === model),
        (p) => p.label === p.predicted
      );
    expect(accuracy("routing-v2")).toBeGreaterThan(accuracy("routing-v1") + 0.04);
    expect(unique(task("ticket-routing").map((p) => p.label)).sort()).toEqual([...TICKET_CATEGORIES].sort());
  });

  it("has a toxicity guardrail with ROC AUC ≈ 0.9, tied scores, and overconfidence at high scores", () => {
    const tox = task("toxicity-guardrail");
    expect(auc(tox.map((p) => ({score: p.score, positive: p.label === "toxic"})))).toBeGreaterThan(0.87);
    expect(auc(tox.map((p) => ({score: p.score, positive: p.label === "toxic"})))).toBeLessThan(0.93);
    expect(unique(tox.map((p) => p.score)).length).toBeLessThan(tox.length / 10);
    const high = tox.filter((p) => p.score >= 0.8);
    const meanScore = high.reduce((n, p) => n + p.score, 0) / high.length;
    expect(high.length).toBeGreaterThan(50);
    expect(rate(high, (p) => p.label === "toxic")).toBeLessThan(meanScore - 0.15);
  });

  it("has the summary judge agree 85% with humans and pass 30% of human fails", () => {
    const judge = task("summary-judge");
    expect(rate(judge, (p) => p.label === p.predicted)).toBeCloseTo(story.JUDGE.agreement, 3);
    expect(
      rate(
        judge.filter((p) => p.label === "fail"),
        (p) => p.predicted === "pass"
      )
    ).toBeCloseTo(story.JUDGE.lenientRate, 3);
  });

  it("prices a missed toxic output far above a false block in the config", async () => {
    const config = configSchema.parse(JSON.parse(await readFile(join(tmp, "a", CONFIG_FILE), "utf8")));
    const tox = config.classifiers.find((c) => c.task === "toxicity-guardrail")!;
    expect(tox.positive_label).toBe("toxic");
    expect(tox.cost_false_negative).toBeGreaterThan(10 * tox.cost_false_positive);
    expect(config.classifiers.map((c) => c.task)).toContain("ticket-routing");
  });
});

describe("story 7: trust & safety flags", () => {
  const flags = () => rows.flags!;
  const share = (xs: Row[], cause: string) => rate(xs, (f) => f.root_cause === cause);

  it("has root causes that differ by category", () => {
    const hallucination = flags().filter((f) => f.category === "hallucination");
    const causes = ["prompt", "capability", "policy", "unknown"];
    expect(causes.reduce((a, b) => (share(hallucination, a) >= share(hallucination, b) ? a : b))).toBe("capability");
    expect(
      share(
        flags().filter((f) => f.category === "refusal-overreach"),
        "policy"
      )
    ).toBeGreaterThanOrEqual(0.6);
    expect(unique(flags().map((f) => f.category)).sort()).toEqual(Object.keys(story.FLAG_BASE_COUNTS).sort());
  });

  it("keeps 20 flags open and gives every resolved one a decision", () => {
    expect(flags().filter((f) => f.status === "open").length).toBe(story.OPEN_FLAGS.newest + story.OPEN_FLAGS.older);
    expect(flags().every((f) => (f.status === "resolved") === (f.decision !== undefined))).toBe(true);
  });

  it("spikes hallucination flags after sum-v4 shipped", () => {
    const hallucination = flags().filter((f) => f.category === "hallucination");
    const after =
      hallucination.filter((f) => Date.parse(f.at) >= story.SUM_V4_SHIPPED_AT).length /
      ((DATA_END - story.SUM_V4_SHIPPED_AT) / DAY_MS);
    const before =
      hallucination.filter((f) => Date.parse(f.at) < story.SUM_V4_SHIPPED_AT).length /
      ((story.SUM_V4_SHIPPED_AT - DATA_START) / DAY_MS);
    expect(after).toBeGreaterThan(2.5 * before);
  });
});

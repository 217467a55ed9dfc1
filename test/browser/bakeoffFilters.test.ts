// The bake-off's routing plan, its table of each option's quality, cost and latency, and its
// eval-against-production table under a filter, in Chromium on
// the sample site. Every expected figure is computed here from the sample's raw files
// (eval_results.jsonl, spans.jsonl, the config's prices and budgets), not from the loaders. Run after a build.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Locator, Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtMs, fmtPct, fmtPts, fmtUsd} from "../../src/lib/format.js";
import {fmtInt} from "../../src/components/format.js";
import {latestRuns} from "./latestRuns.js";
import {builtSite, downloadFrom, serveSite} from "./site.js";

const {projectRoot, dist, screenshotDir} = builtSite("bakeoff.html");
const site = serveSite(dist);

type Row = {
  case_id: string;
  suite: string;
  model: string;
  prompt_version: string;
  started_at: string;
  category: string;
  tags?: string;
  passed: boolean;
  latency_ms: number | null;
  cost_usd?: number;
  input_tokens?: number;
  output_tokens?: number;
  score?: number;
  error?: string;
};
type Span = {
  trace_id: string;
  parent_span_id?: string;
  kind: string;
  model?: string;
  feature?: string;
  category?: string;
  duration_ms: number;
};

const sample = (file: string) => readFileSync(join(projectRoot, "data", "sample", file), "utf8");
const lines = <T>(file: string): T[] =>
  sample(file)
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
const rows = lines<Row>("eval_results.jsonl");
const config = JSON.parse(sample("workbench.config.json"));
const z = 1.959963984540054;

/** The latest run of each model · prompt of a suite, keeping the rows in the slice: what the filtered bake-off compares. */
function sliceRuns(suite: string, inSlice: (r: Row) => boolean): Map<string, Row[]> {
  return new Map([...latestRuns(rows, suite)].map(([key, rs]) => [key, rs.filter(inSlice)]));
}

/** Reported cost (unless a $0 despite tokens), else tokens × the model's price per million tokens. */
function costOf(r: Row): number | null {
  const tokens = (r.input_tokens ?? 0) + (r.output_tokens ?? 0);
  if (r.cost_usd !== undefined && !(r.cost_usd === 0 && tokens > 0)) return r.cost_usd;
  const p = config.prices.find((x: {model: string}) => x.model === r.model);
  if (!p || r.input_tokens === undefined) return null;
  return (r.input_tokens * p.input_per_mtok + (r.output_tokens ?? 0) * p.output_per_mtok) / 1e6;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Type 7 quantile (numpy's default). */
function q7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
}

function wilson(k: number, n: number): [number, number] {
  const p = k / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [c - h, c + h];
}

/** The slice's best single option: the most passes, the cheaper on a tie. */
function bestOf(runs: Map<string, Row[]>): [string, Row[]] {
  const passes = (rs: Row[]) => rs.filter((r) => r.passed).length;
  const cost = (rs: Row[]) => mean(rs.map((r) => costOf(r) ?? Infinity));
  return [...runs].sort(([, a], [, b]) => passes(b) - passes(a) || cost(a) - cost(b))[0];
}

/** Traced requests by their root span: feature, category, duration, and the models of their calls (snapshots as their model). */
function requests() {
  const spans = lines<Span>("spans.jsonl");
  const models = new Map<string, Set<string>>();
  for (const s of spans.filter((x) => x.kind === "llm" && x.model))
    models.set(s.trace_id, (models.get(s.trace_id) ?? new Set()).add(s.model!.replace(/-\d{4}-\d{2}-\d{2}$/, "")));
  return spans
    .filter((s) => !s.parent_span_id)
    .map((s) => ({...s, model: [...(models.get(s.trace_id) ?? [])].sort().join(" + ")}));
}

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, " ").trim();

describe("bake-off routing under a filter", () => {
  test("a category replays the slice's recommendation for it over its cases, against the slice's best", async () => {
    const {page, errors, close} = await site.watch(
      "/bakeoff?suite=support-chat-golden&category=refunds",
      "[data-testid=bakeoff-slice-note]"
    );
    try {
      await page.locator("[data-testid=routing-summary]").waitFor();
      const routes = new Map<string, string>();
      for (const tr of await page.locator("[data-testid=category-recommendations] tbody tr").all()) {
        const cells = await tr.locator("td").allInnerTexts();
        routes.set(cells[0].trim(), cells[1].trim());
      }
      expect([...routes.keys()]).toEqual(["refunds"]);
      const runs = sliceRuns("support-chat-golden", (r) => r.category === "refunds");
      const routed = runs.get(routes.get("refunds")!)!;
      const n = routed.length;
      const k = routed.filter((r) => r.passed).length;
      const [low, high] = wilson(k, n);
      const cost = mean(routed.map((r) => costOf(r)!));
      const p95 = q7(
        routed.flatMap((r) => (r.latency_ms == null ? [] : [r.latency_ms])),
        0.95
      );
      const [bestName, best] = bestOf(runs);
      // Something to compare: on refunds the plan is a cheaper option than the slice's best.
      expect(routes.get("refunds")).not.toBe(bestName);
      const bestPass = new Map(best.map((r) => [r.case_id, r.passed]));
      const shared = routed.filter((r) => bestPass.has(r.case_id));
      const diff = (k - shared.filter((r) => bestPass.get(r.case_id)).length) / shared.length;
      const summary = await text(page.locator("[data-testid=routing-summary]"));
      expect(summary).toContain(
        `uses 1 option and passes ${fmtPct(k / n)} of ${n} cases (95% CI ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}%) at ${fmtUsd(cost)} per request, p95 ${fmtMs(p95)}`
      );
      expect(summary).toContain(`${bestName} alone`);
      expect(summary).toContain(`(${fmtPts(diff)}, 95% CI`);
      expect(summary).toContain(`on ${shared.length} shared cases`);
      const table = await text(page.locator("[data-testid=routing-table]"));
      expect(table).toContain(
        `${bestName} best single option ${fmtPct(best.filter((r) => r.passed).length / best.length)}`
      );
      // Its download holds the slice's two lines, named after the slice.
      const csv = await downloadFrom(
        page,
        page.locator(".with-csv", {has: page.locator("[data-testid=routing-table]")})
      );
      expect(csv.filename).toBe("bakeoff-routing-category-refunds-support-chat-golden.csv");
      expect(csv.csv.map((r) => [r.system, Number(r["pass.n"])])).toEqual([
        ["routing plan", n],
        [bestName, best.length]
      ]);
      // No section stays on all cases any more, so the note that listed them is gone.
      expect(await page.locator("#bakeoff-filter-note").count()).toBe(0);
      await page.locator("[data-testid=routing-summary]").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-routing-1280.png")});
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test("the long-input tag routes every category of the slice to the slice's best, as its recommendations say", async () => {
    const {page, close} = await site.watch(
      "/bakeoff?suite=summarization-golden&tag=long-input",
      "[data-testid=bakeoff-slice-note]"
    );
    try {
      const runs = sliceRuns("summarization-golden", (r) => r.tags === "long-input");
      const [bestName, best] = bestOf(runs);
      const recommended = await page
        .locator("[data-testid=category-recommendations] tbody tr td:nth-child(2)")
        .allInnerTexts();
      expect(recommended.length).toBe(new Set(best.map((r) => r.category)).size);
      expect(new Set(recommended.map((x) => x.trim()))).toEqual(new Set([bestName]));
      expect(await text(page.locator("[data-testid=routing-summary]"))).toContain(
        `Every category is routed to ${bestName}, the best single option`
      );
      const plan = await text(page.locator("[data-testid=routing-table] tbody tr").first());
      expect(plan).toContain(`${fmtPct(best.filter((r) => r.passed).length / best.length)}`);
      expect(plan).toContain(`n = ${best.length}`);
    } finally {
      await close();
    }
  });
});

describe("bake-off table of each option's quality, cost and latency under a filter", () => {
  test("a category recomputes every option's n, pass rate, mean score, latency and errors on its cases, and its download", async () => {
    const {page, errors, close} = await site.watch(
      "/bakeoff?suite=support-chat-golden&category=refunds",
      "[data-testid=bakeoff-slice-note]"
    );
    try {
      const runs = sliceRuns("support-chat-golden", (r) => r.category === "refunds");
      const all = latestRuns(rows, "support-chat-golden");
      const table = page.locator("[data-testid=options-table]");
      await table.waitFor();
      for (const [option, mine] of runs) {
        const row = await text(table.locator(`tr[data-option='${option}']`));
        const n = mine.length;
        const k = mine.filter((r) => r.passed).length;
        const [low, high] = wilson(k, n);
        expect(row).toContain(`${fmtPct(k / n)} ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}% · n = ${n}`);
        // Something to compare: the slice's cases are fewer than the suite's.
        expect(n).toBeLessThan(all.get(option)!.length);
        const scores = mine.flatMap((r) => (r.score == null ? [] : [r.score]));
        const m = mean(scores);
        const cell = await text(table.locator(`tr[data-option='${option}'] td:nth-child(4)`));
        const [shownMean, shownLow, shownHigh] = cell.split(/[\s–]+/).map(Number);
        expect(shownMean).toBe(Number(m.toFixed(3)));
        // The percentile bootstrap's interval lies about the normal one (mean ± z·sd/√n) on these scores.
        const se = Math.sqrt(scores.reduce((a, x) => a + (x - m) ** 2, 0) / (scores.length - 1) / scores.length);
        expect(Math.abs(shownLow - (m - z * se))).toBeLessThan(0.02);
        expect(Math.abs(shownHigh - (m + z * se))).toBeLessThan(0.02);
        const latencies = mine.flatMap((r) => (r.latency_ms == null ? [] : [r.latency_ms]));
        expect(row).toContain([0.5, 0.95, 0.99].map((p) => fmtMs(q7(latencies, p))).join(" · "));
        const errored = mine.filter((r) => r.error != null).length;
        expect(row).toContain(`${fmtPct(errored / n)} n = ${fmtInt(n)}`);
        // The cost and the tokens are sums over the slice's requests (bakeoff-cases.json keeps
        // them per category and tag set): the mean cost per request, and the mean tokens where reported.
        const costs = mine.map(costOf);
        expect(costs.every((c) => c !== null)).toBe(true);
        const cost = await text(table.locator(`tr[data-option='${option}'] td:nth-child(5)`));
        expect(cost).toContain(fmtUsd(mean(costs as number[])));
        const input = mine.flatMap((r) => r.input_tokens ?? []);
        const output = mine.flatMap((r) => r.output_tokens ?? []);
        // The page shows the mean at the 0.1 token the build rounds it to, not rounded again to a
        // whole token (2,044.46 read 2,045 when it was).
        const tokens = (xs: number[]) =>
          (Math.round(mean(xs) * 10) / 10).toLocaleString("en-US", {
            minimumFractionDigits: 1,
            maximumFractionDigits: 1
          });
        expect(cost).toContain(`${tokens(input)} in · ${tokens(output)} out tokens`);
        // Something to compare: the slice's mean tokens are not the whole suite's.
        expect(mean(input)).not.toBe(mean(all.get(option)!.flatMap((r) => r.input_tokens ?? [])));
      }
      // The table's download and the latency chart's are the slice's, named after it.
      const csv = await downloadFrom(page, page.locator(".with-csv", {has: table}));
      expect(csv.filename).toBe("bakeoff-options-category-refunds-support-chat-golden.csv");
      const byOption = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]);
      expect(csv.csv.map((r): [string, number] => [r.option!, Number(r["pass.n"])]).sort(byOption)).toEqual(
        [...runs].map(([option, mine]): [string, number] => [option, mine.length]).sort(byOption)
      );
      await table.scrollIntoViewIfNeeded();
      // At 1,280 px every column shows without scrolling the table's box (its last ones used to be cut).
      expect(await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth)).toBe(0);
      // Second lines that wrap break only between their " · " parts, never inside an interval or "n = …".
      const brokenParts = await table.evaluate((t) => {
        const broken: string[] = [];
        for (const line of t.querySelectorAll("td div.muted")) {
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const value = node.nodeValue ?? "";
            let start = 0;
            for (const part of value.split(" · ")) {
              const trimmed = part.trim();
              if (trimmed) {
                const range = document.createRange();
                const at = value.indexOf(trimmed, start);
                range.setStart(node, at);
                range.setEnd(node, at + trimmed.length);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (lines.size > 1) broken.push(trimmed);
              }
              start += part.length + 3;
            }
          }
        }
        return broken;
      });
      expect(brokenParts).toEqual([]);
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-options-1280.png")});
      await page.setViewportSize({width: 390, height: 844});
      await table.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-options-390.png")});
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("bake-off eval against production under a filter", () => {
  const budget = config.budgets.latency_p95_ms["support-chat"];

  test("a category puts the slice's eval p95 beside the same model's traced requests in that category, at 390 px", async () => {
    const {page, errors, close} = await site.watch(
      "/bakeoff?suite=support-chat-golden&category=refunds",
      "[data-testid=bakeoff-slice-note]",
      390
    );
    try {
      const runs = sliceRuns("support-chat-golden", (r) => r.category === "refunds");
      const traced = requests().filter((r) => r.feature === "support-chat" && r.category === "refunds");
      expect(await text(page.locator("[data-testid=production-table] p"))).toContain(
        "every traced request of support-chat in category refunds served by the same model"
      );
      let shown = 0;
      for (const [option, mine] of runs) {
        const latencies = mine.flatMap((r) => (r.latency_ms == null ? [] : [r.latency_ms]));
        const evalP95 = q7(latencies, 0.95);
        const model = mine[0].model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
        const prod = traced.filter((r) => r.model === model);
        const row = await text(page.locator(`[data-testid=production-table] tr[data-option='${option}']`));
        expect(row).toContain(`${fmtMs(evalP95)} n = ${latencies.length}`);
        if (!prod.length) {
          expect(row).toContain("no traces of this model");
          continue;
        }
        const prodP95 = q7(
          prod.map((r) => r.duration_ms),
          0.95
        );
        expect(row).toContain(`${fmtMs(prodP95)} ${prod.length.toLocaleString("en-US")} requests`);
        expect(prod.length).toBeLessThan(
          requests().filter((r) => r.feature === "support-chat" && r.model === model).length
        );
        shown++;
        const over = evalP95 <= budget && prodP95 > budget;
        expect(row.includes("over in production (p95 latency")).toBe(over);
      }
      // Something to compare: the category's traffic is a part of the feature's, for every model with traces.
      expect(shown).toBeGreaterThan(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.locator("[data-testid=production-table]").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-production-390.png")});
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test("a tag alone keeps all of the feature's traffic, and says so", async () => {
    const {page, close} = await site.watch(
      "/bakeoff?suite=summarization-golden&tag=long-input",
      "[data-testid=bakeoff-slice-note]"
    );
    try {
      const runs = sliceRuns("summarization-golden", (r) => r.tags === "long-input");
      const traced = requests().filter((r) => r.feature === "ticket-summarization");
      expect(await text(page.locator("[data-testid=production-table] p"))).toContain("carry no eval tag");
      for (const [option, mine] of runs) {
        const model = mine[0].model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
        const prod = traced.filter((r) => r.model === model);
        const row = await text(page.locator(`[data-testid=production-table] tr[data-option='${option}']`));
        const latencies = mine.flatMap((r) => (r.latency_ms == null ? [] : [r.latency_ms]));
        const evalP95 = q7(latencies, 0.95);
        expect(row).toContain(`${fmtMs(evalP95)} n = ${latencies.length}`);
        if (prod.length) expect(row).toContain(`${prod.length.toLocaleString("en-US")} requests`);
      }
    } finally {
      await close();
    }
  });
});

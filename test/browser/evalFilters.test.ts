// Filters on eval triage and bake-off, in Chromium on the sample site: the filtered figures equal a
// computation written here from the sample's raw eval_results.jsonl (pass rates, changed cases, cost
// from the reported cost or tokens × the config's prices, type-7 p95), the filter survives a reload
// from the URL, the downloads under the filtered tables hold the filtered rows; unfiltered, neither page
// loads DuckDB-wasm; filtered, triage loads its runs' case figures and, for the listed cases' text, those
// cases' rows of the exported eval_results and DuckDB-wasm, bake-off only its cases file. Run after a build.
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import type {Locator, Page} from "playwright-core";
import {describe, expect, test} from "vitest";
import {fmtMs, fmtPct, fmtPts, fmtUsd} from "../../src/lib/format.js";
import {builtSite, downloadFrom, expectOneFilterFailure, failThenRecover, serveSite, type ServedSite} from "./site.js";

const {projectRoot, dist, screenshotDir} = builtSite("bakeoff.html");

type Row = {
  run_id: string;
  case_id: string;
  suite: string;
  model: string;
  prompt_version: string;
  started_at: string;
  category: string;
  input_chars: number;
  tags?: string;
  passed: boolean;
  score?: number;
  output_excerpt?: string;
  latency_ms: number;
  cost_usd?: number;
  input_tokens: number;
  output_tokens: number;
};
const sample = join(projectRoot, "data", "sample");
const rows: Row[] = readFileSync(join(sample, "eval_results.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const prices: {model: string; input_per_mtok: number; output_per_mtok: number}[] = JSON.parse(
  readFileSync(join(sample, "workbench.config.json"), "utf8")
).prices;

/** Reported cost, else tokens × the model's price per million tokens. */
function cost(r: Row): number {
  if (r.cost_usd !== undefined) return r.cost_usd;
  const p = prices.find((x) => x.model === r.model)!;
  return (r.input_tokens * p.input_per_mtok + r.output_tokens * p.output_per_mtok) / 1e6;
}

/** Linear interpolation between order statistics (numpy's default). */
function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * 0.95;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

const heavy = (url: string) => /duckdb|\.parquet|\.wasm/.test(url);

const open = (site: ServedSite, path: string, ready: string, width = 1280) => site.watch(path, ready, width);

/** The download block under the table after a heading (the page's every-run table, its regressed cases). */
const blockAfter = (page: Page, heading: string) =>
  page.locator(`#${heading}`).locator("xpath=following::div[contains(@class,'with-csv')][1]");

/** The slice's regressed cases' CSV, once it is named so: the listed cases follow the runs (their text is read after). */
async function listedOnSlice(page: Page, filename: string) {
  const block = blockAfter(page, "cases-that-regressed");
  await expect.poll(async () => (await downloadFrom(page, block)).filename, {timeout: 30_000}).toBe(filename);
  return downloadFrom(page, block);
}

/** The every-run table's download, once the candidate's n on it is `n` (the runs recomputed on the slice). */
async function runsWhenCandidateHas(page: Page, candidate: string, n: number) {
  const block = blockAfter(page, "every-run-of-the-suite");
  await expect
    .poll(async () => (await downloadFrom(page, block)).csv.find((r) => r.run_id === candidate)?.n, {timeout: 60_000})
    .toBe(String(n));
  return downloadFrom(page, block);
}

const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, " ");

describe("eval triage filters", () => {
  const site = serveSite(dist);
  const [baseline, candidate] = ["sum-20261110-gpt-4.1-mini-sum-v3", "sum-20261117-gpt-4.1-mini-sum-v4"];
  /** The page on the sample's long-input regression: the pair chosen, and compared as candidate and baseline. */
  const openPair = () =>
    open(
      site,
      `/eval-triage?suite=summarization-golden&after=${candidate}&candidate=${candidate}&baseline=${baseline}`,
      "[data-testid=chosen-comparison]"
    );
  /** A row of the 10k–20k characters slice. */
  const inLong = (r: Row) => r.input_chars >= 10_000 && r.input_chars < 20_000;

  /** The pair on the cases both graded whose input length is in [min, max), from the raw rows. */
  function expected(min: number, max: number) {
    const inSlice = (r: Row) => r.input_chars >= min && r.input_chars < max;
    const before = new Map(rows.filter((r) => r.run_id === baseline && inSlice(r)).map((r) => [r.case_id, r.passed]));
    const shared = rows.filter((r) => r.run_id === candidate && before.has(r.case_id));
    const b = shared.filter((r) => before.get(r.case_id)).length;
    const a = shared.filter((r) => r.passed).length;
    const flipped = (from: boolean) =>
      shared
        .filter((r) => before.get(r.case_id) === from && r.passed !== from)
        .map((r) => r.case_id)
        .sort();
    return {
      n: shared.length,
      before: b / shared.length,
      after: a / shared.length,
      regressed: flipped(true),
      improved: flipped(false)
    };
  }

  test("input length 10k–20k recomputes the chosen pair from the raw rows, shows the long-input regression, and keeps it in the URL", async () => {
    const {page, requests, errors, close} = await openPair();
    try {
      const whole = expected(0, Infinity);
      const cards = page.locator("[data-testid=chosen-comparison]");
      expect(await text(cards)).toContain(`n = ${whole.n} shared`);
      // A cell with nothing to show shows nothing (display(null) prints "null").
      expect(await page.locator("#observablehq-main .observablehq--null").count()).toBe(0);
      const loaded = requests.length;
      const wholeRuns = await downloadFrom(page, blockAfter(page, "every-run-of-the-suite"));
      expect(wholeRuns.filename).toBe("triage-runs-summarization-golden.csv");
      expect(wholeRuns.csv.find((r) => r.run_id === candidate)?.n).toBe(
        String(rows.filter((r) => r.run_id === candidate).length)
      );

      await page.locator("#triage-filters-cases").getByLabel("Input length", {exact: true}).selectOption("10k–20k");
      const long = expected(10_000, 20_000);
      await expect.poll(() => text(cards), {timeout: 20_000}).toContain(`n = ${long.n} shared`);
      const shown = await text(cards);
      expect(shown).toContain(`Baseline ${fmtPct(long.before)}`);
      expect(shown).toContain(`Candidate ${fmtPct(long.after)}`);
      expect(shown).toContain(
        `Change ${fmtPts(long.after - long.before)} ${long.regressed.length} regressed · ${long.improved.length} improved`
      );
      // The planted story: the drop is concentrated in long inputs.
      expect(long.after - long.before).toBeLessThan(whole.after - whole.before - 0.2);
      const ids = (what: string) => page.locator(`[data-testid=chosen-${what}] tbody tr a`).allInnerTexts();
      expect((await ids("regressed")).sort()).toEqual(long.regressed);
      expect((await ids("improved")).sort()).toEqual(long.improved);

      // The downloads under the filtered tables hold the filtered rows and say so in their names.
      const regressed = await downloadFrom(page, page.locator("[data-testid=chosen-regressed] .with-csv"));
      expect(regressed.csv.map((r) => r.case_id).sort()).toEqual(long.regressed);
      expect(regressed.filename).toBe(`triage-chosen-regressed-${baseline}-${candidate}-length-10k_20k.csv`);
      const categories = await downloadFrom(
        page,
        page.locator(".with-csv", {has: page.locator("[data-testid=chosen-categories]")})
      );
      expect(categories.csv.reduce((n, r) => n + Number(r.shared), 0)).toBe(long.n);

      // The consecutive pair (opened at the same two runs) and where its change is follow the slice too.
      const pairCards = page.locator("[data-testid=pair-slice-cards]");
      expect(await text(pairCards)).toContain(`n = ${long.n} shared`);
      expect(await text(pairCards)).toContain(`Pass rate after ${fmtPct(long.after)}`);
      const byLength = await downloadFrom(
        page,
        page.locator(".card", {hasText: "By input length (characters)"}).locator(".with-csv")
      );
      expect(byLength.filename).toBe(`triage-by-length-${baseline}-${candidate}-length-10k_20k.csv`);
      expect(byLength.csv.map((r) => [r.value, Number(r.n), Number(r.regressed)])).toEqual([
        ["10k–20k", long.n, long.regressed.length]
      ]);
      // The grid: each option's latest run on the slice's cases, counted from the raw rows.
      const grid = await downloadFrom(page, page.locator(".card .with-csv").nth(2));
      expect(grid.filename).toBe("triage-grid-length-summarization-golden-length-10k_20k.csv");
      for (const row of grid.csv) {
        const mine = rows.filter((r) => r.run_id === row.run_id && r.input_chars >= 10_000 && r.input_chars < 20_000);
        expect([row.value, Number(row.n)]).toEqual(["10k–20k", mine.length]);
        expect(Number(row.rate)).toBeCloseTo(mine.filter((r) => r.passed).length / mine.length, 4);
      }
      expect(grid.csv.length).toBeGreaterThan(1);

      // Each run of the suite on the slice (its own pass rate and mean score on its 10k–20k cases) and the
      // consecutive pair's regressed cases, counted from the raw rows.
      const runsCsv = await runsWhenCandidateHas(
        page,
        candidate,
        rows.filter((r) => r.run_id === candidate && inLong(r)).length
      );
      expect(runsCsv.filename).toBe("triage-runs-summarization-golden-length-10k_20k.csv");
      const suiteRuns = [...new Set(rows.filter((r) => r.suite === "summarization-golden").map((r) => r.run_id))];
      expect(runsCsv.csv.map((r) => r.run_id).sort()).toEqual(suiteRuns.sort());
      for (const run of runsCsv.csv) {
        const mine = rows.filter((r) => r.run_id === run.run_id && inLong(r));
        const scores = mine.map((r) => r.score).filter((x): x is number => x !== undefined);
        expect(Number(run.n), run.run_id).toBe(mine.length);
        expect(Number(run["pass.rate"]), run.run_id).toBeCloseTo(mine.filter((r) => r.passed).length / mine.length, 4);
        expect(Number(run["score.mean"]), run.run_id).toBeCloseTo(scores.reduce((a, x) => a + x, 0) / scores.length, 4);
        expect(Number(run["score.n"]), run.run_id).toBe(scores.length);
      }
      const listed = await listedOnSlice(page, `triage-regressed-${baseline}-${candidate}-length-10k_20k.csv`);
      expect(listed.csv.map((r) => r.case_id).sort()).toEqual(long.regressed);
      for (const c of listed.csv) {
        const raw = rows.find((r) => r.run_id === candidate && r.case_id === c.case_id)!;
        expect(raw.output_excerpt?.startsWith(c.excerpt), c.case_id).toBe(true);
      }
      // The pair, grid and chosen comparison come from the packed outcomes the page already had, with the
      // slice's code loaded on first use (triageSlice.ts); the runs from the runs' case figures, fetched
      // once; the listed cases' texts from the texts file, by range requests for those texts alone. No
      // DuckDB-wasm and no Parquet file at any point, and the unfiltered page loaded none of them.
      await page.waitForTimeout(300);
      expect(requests.some((u) => u.includes("/triageSlice."))).toBe(true);
      expect(
        requests.slice(0, loaded).filter((u) => /\/(triageSlice|triageRunSlice)\.|eval-triage-(cases|texts)/.test(u))
      ).toEqual([]);
      expect(requests.filter(heavy)).toEqual([]);
      expect(requests.filter((u) => /eval-triage-cases\.[0-9a-f]+\.json/.test(u))).toHaveLength(1);
      const textsFile = readdirSync(join(dist, "_file", "data")).find((f) =>
        /^eval-triage-texts\.[\w-]+\.json$/.test(f)
      )!;
      const textsSize = statSync(join(dist, "_file", "data", textsFile)).size;
      const textsRead: number[] = await page.evaluate(
        `performance.getEntriesByType("resource").filter((e) => e.name.includes("/eval-triage-texts.")).map((e) => e.encodedBodySize)`
      );
      // The head (two reads), the pair's header, and at least one read of texts; fewer bytes than the file.
      expect(textsRead.length).toBeGreaterThanOrEqual(4);
      expect(textsRead.reduce((a, b) => a + b, 0)).toBeLessThan(textsSize);
      expect(new URL(page.url()).searchParams.get("length")).toBe("10k–20k");
      await page.locator("#triage-filters-cases").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "eval-triage-filtered-1280.png")});

      await page.reload();
      await cards.waitFor({timeout: 60_000});
      await expect.poll(() => text(cards), {timeout: 20_000}).toContain(`n = ${long.n} shared`);
      const length = page.locator("#triage-filters-cases").getByLabel("Input length", {exact: true});
      expect(await length.locator("option:checked").innerText()).toBe("10k–20k");
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  // The page keeps the runs' case figures and the texts file's index for the visit: a fetch of either
  // that failed once must be fetched again by the next filter, not failed again from memory. Meanwhile
  // one message at the filters says so, and the sections reading them (runs, listed cases) are empty.
  test("a dropped fetch of the case figures and of the texts' index fails that filter alone, said once at the filters: the next one fetches again and answers", async () => {
    const {page, close} = await openPair();
    try {
      const cards = page.locator("[data-testid=chosen-comparison]");
      const long = expected(10_000, 20_000);
      // The sections the figures fill hold nothing: no table or chart left from before the filter.
      const sections = [
        "pass-rate-run-by-run",
        "cases-that-regressed",
        "cases-that-improved",
        "every-run-of-the-suite"
      ];
      const dropped = await failThenRecover(page, {
        select: page.locator("#triage-filters-cases").getByLabel("Input length", {exact: true}),
        value: "10k–20k",
        drop: /eval-triage-(cases|texts)\.[\w-]+\.json/,
        stale: sections.map((id) => `#${id} + div .with-csv`).join(", "),
        // The message sits under the case filter, above the pair's picker.
        failed: async () => {
          const y = async (l: Locator) => (await l.boundingBox())!.y;
          const message = await y(page.locator(".filter-failure"));
          expect(message).toBeGreaterThan(await y(page.locator("#triage-filters-cases")));
          expect(message).toBeLessThan(await y(page.getByLabel("Runs", {exact: true})));
        },
        unfiltered: () =>
          expect.poll(() => text(cards), {timeout: 20_000}).toContain(`n = ${expected(0, Infinity).n} shared`),
        recovered: async () => {
          await runsWhenCandidateHas(page, candidate, rows.filter((r) => r.run_id === candidate && inLong(r)).length);
          const listed = await listedOnSlice(page, `triage-regressed-${baseline}-${candidate}-length-10k_20k.csv`);
          expect(listed.csv.map((r) => r.case_id).sort()).toEqual(long.regressed);
        }
      });
      expect([...dropped].sort()).toEqual(["cases", "texts"]);
    } finally {
      await close();
    }
  });

  // The runs are counted from the case figures; the listed cases' texts come from another file. When
  // only the texts fail, the message says that the case lists are missing, not the filtered figures,
  // which show: the runs table is the slice's.
  test("a dropped fetch of the listed cases' texts alone says so, and leaves the filtered runs on the page", async () => {
    const {page, close} = await openPair();
    try {
      const long = expected(10_000, 20_000);
      // Every read of the texts fails while the host is down: the page reads the file's index once early
      // (and forgets a failure), then again for the listed cases.
      let down = true;
      await page
        .context()
        .route(/eval-triage-texts\.[\w-]+\.json/, (route) =>
          down ? route.abort("connectionreset") : route.continue()
        );
      const length = page.locator("#triage-filters-cases").getByLabel("Input length", {exact: true});
      await length.selectOption("10k–20k");
      await expectOneFilterFailure(
        page,
        /The listed cases could not be loaded \(.+\); the runs and rates shown are filtered\. Choose another value of the filter, then this one again, or reload the page/
      );
      // The runs are the slice's; the two case lists are empty.
      await runsWhenCandidateHas(page, candidate, rows.filter((r) => r.run_id === candidate && inLong(r)).length);
      const lists = ["cases-that-regressed", "cases-that-improved"].map((id) => `#${id} + div .with-csv`).join(", ");
      expect(await page.locator(lists).count()).toBe(0);
      down = false;
      await length.selectOption({index: 0});
      await length.selectOption("10k–20k");
      const listed = await listedOnSlice(page, `triage-regressed-${baseline}-${candidate}-length-10k_20k.csv`);
      expect(listed.csv.map((r) => r.case_id).sort()).toEqual(long.regressed);
      expect(await page.locator(".filter-failure").count()).toBe(0);
    } finally {
      await close();
    }
  });

  test("at 390 px the filtered comparison fits the screen", async () => {
    const {page, close} = await open(
      site,
      `/eval-triage?suite=summarization-golden&candidate=${candidate}&baseline=${baseline}&tag=long-input`,
      "[data-testid=chosen-filter-note]",
      390
    );
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // A picker shows its chosen option whole: the text, in the select's own font, fits inside it
      // beside the arrow (about 20 px in Chromium). Two full run labels were cut here.
      const cut = await page.evaluate(() => {
        const context = document.createElement("canvas").getContext("2d")!;
        return [...document.querySelectorAll("select")].flatMap((select) => {
          const style = getComputedStyle(select);
          context.font = style.font;
          const text = select.selectedOptions[0]?.text ?? "";
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
          return select.offsetParent && context.measureText(text).width > room ? [text] : [];
        });
      });
      expect(cut).toEqual([]);
      await page.locator("#triage-filters-cases").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "eval-triage-filtered-390.png")});
    } finally {
      await close();
    }
  });
});

describe("bake-off filters", () => {
  const site = serveSite(dist);

  /** The latest run of each option (model · prompt) of a suite, as the bake-off picks them. */
  function latestRuns(suite: string): Map<string, string> {
    const latest = new Map<string, Row>();
    for (const r of rows.filter((x) => x.suite === suite)) {
      const key = `${r.model} · ${r.prompt_version}`;
      const seen = latest.get(key);
      const later =
        !seen || r.started_at > seen.started_at || (r.started_at === seen.started_at && r.run_id > seen.run_id);
      if (later) latest.set(key, r);
    }
    return new Map([...latest].map(([k, r]) => [k, r.run_id]));
  }

  function expected(suite: string, keep: (r: Row) => boolean) {
    const options = [...latestRuns(suite)].map(([option, run]) => {
      const mine = rows.filter((r) => r.run_id === run && keep(r));
      return {
        option,
        passed: new Map(mine.map((r) => [r.case_id, r.passed])),
        rate: mine.filter((r) => r.passed).length / mine.length,
        n: mine.length,
        cost: mine.reduce((s, r) => s + cost(r), 0) / mine.length,
        p95: p95(mine.map((r) => r.latency_ms))
      };
    });
    const best = [...options].sort((a, b) => b.rate - a.rate || a.cost - b.cost)[0];
    const difference = (o: (typeof options)[number]) => {
      const shared = [...o.passed.keys()].filter((id) => best.passed.has(id));
      return shared.reduce((d, id) => d + Number(o.passed.get(id)) - Number(best.passed.get(id)), 0) / shared.length;
    };
    return {options, best: best.option, difference};
  }

  test("a category recomputes pass rates, differences from the best, cost and p95 from the raw rows, and keeps it in the URL", async () => {
    const {page, requests, errors, close} = await open(
      site,
      "/bakeoff?suite=support-chat-golden",
      "[data-testid=difference-table]"
    );
    try {
      // Unfiltered: no cases file, no DuckDB-wasm.
      expect(requests.filter((u) => heavy(u) || /bakeoff-cases/.test(u))).toEqual([]);
      await page.locator("#bakeoff-filters").getByLabel("Category", {exact: true}).selectOption("refunds");
      await page.locator("[data-testid=bakeoff-slice-note]").waitFor({timeout: 30_000});
      const e = expected("support-chat-golden", (r) => r.category === "refunds");
      expect(await text(page.locator("[data-testid=bakeoff-slice-note]"))).toContain(`Best on this slice: ${e.best}`);
      for (const o of e.options) {
        const row = page.locator("[data-testid=slice-cost-table] tbody tr", {
          has: page.locator(`strong:text-is("${o.option}")`)
        });
        expect(await text(row)).toBe(
          `${o.option} ${fmtPct(o.rate)} n = ${o.n} ${fmtUsd(o.cost)} n = ${o.n} ${fmtMs(o.p95)} n = ${o.n}`
        );
        const diff = page.locator("[data-testid=difference-table] tbody tr", {
          has: page.locator(`strong:text-is("${o.option}")`)
        });
        expect(await text(diff)).toContain(o.option === e.best ? "best" : fmtPts(e.difference(o)));
      }
      const download = await downloadFrom(
        page,
        page.locator(".with-csv", {has: page.locator("[data-testid=slice-cost-table]")})
      );
      expect(download.filename).toBe("bakeoff-support-chat-golden-category-refunds.csv");
      expect(download.csv.map((r) => [r.option, Number(r["pass.n"])]).sort()).toEqual(
        e.options.map((o) => [o.option, o.n]).sort()
      );
      // The cards and the category sections follow the slice: the best card is the slice's best, and
      // the category grid and recommendations hold the one category kept.
      const best = e.options.find((o) => o.option === e.best)!;
      expect(await text(page.locator(".card", {has: page.locator("h2", {hasText: /^Best pass rate$/})}))).toContain(
        `${fmtPct(best.rate)} ${best.option}`
      );
      expect(await text(page.locator(".card", {has: page.locator("h2", {hasText: /^Best pass rate$/})}))).toContain(
        `n = ${best.n}`
      );
      const recs = page.locator("[data-testid=category-recommendations] tbody tr");
      expect(await recs.count()).toBe(1);
      expect(await text(recs.first())).toContain("refunds");
      const cells = await downloadFrom(
        page,
        page.locator(".with-csv", {has: page.locator("[data-testid=category-recommendations]")})
      );
      expect(cells.filename).toBe("bakeoff-category-recommendations-category-refunds-support-chat-golden.csv");
      expect(cells.csv.map((r) => r.category)).toEqual(["refunds"]);
      // The cases file, never DuckDB-wasm.
      expect(requests.filter((u) => /bakeoff-cases/.test(u))).toHaveLength(1);
      expect(requests.filter(heavy)).toEqual([]);
      expect(new URL(page.url()).searchParams.get("category")).toBe("refunds");
      await page.locator("#bakeoff-filters").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-1280.png")});

      await page.reload();
      await page.locator("[data-testid=bakeoff-slice-note]").waitFor({timeout: 60_000});
      expect(await page.locator("#bakeoff-filters select option:checked").first().innerText()).toBe("refunds");
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test("the long-input tag shows sum-v4's loss against the 2-point margin, and fits 390 px", async () => {
    const {page, close} = await open(
      site,
      "/bakeoff?suite=summarization-golden&tag=long-input",
      "[data-testid=bakeoff-slice-note]",
      390
    );
    try {
      const e = expected("summarization-golden", (r) => r.tags === "long-input");
      const v4 = e.options.find((o) => o.option.endsWith("sum-v4"))!;
      expect(e.best).not.toBe(v4.option);
      const diff = page.locator("[data-testid=difference-table] tbody tr", {
        has: page.locator(`strong:text-is("${v4.option}")`)
      });
      expect(await text(diff)).toContain(fmtPts(e.difference(v4)));
      expect(await text(diff)).toMatch(/fail/i);
      // The recommendation on the slice leaves sum-v4 out for failing the margin.
      const rec = await text(page.locator("[data-testid=recommendation]"));
      expect(rec).toContain(`${v4.option}: more than`);
      expect(rec).toContain(fmtPts(e.difference(v4)).replace("+", ""));
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.locator("#bakeoff-filters").scrollIntoViewIfNeeded();
      await page.screenshot({path: join(screenshotDir, "bakeoff-filtered-390.png")});
    } finally {
      await close();
    }
  });

  // The cases file is kept for the visit once fetched: a fetch of it that failed must be fetched again by
  // the next filter. Meanwhile one message at the filters says so, and no section shows the unfiltered
  // suite's figures (or its own "Failed to fetch") under the filter.
  test("a dropped fetch of the cases file is said once at the filters, and the next filter fetches it again and answers", async () => {
    const {page, close} = await open(site, "/bakeoff?suite=support-chat-golden", "[data-testid=difference-table]");
    try {
      const e = expected("support-chat-golden", (r) => r.category === "refunds");
      const dropped = await failThenRecover(page, {
        select: page.locator("#bakeoff-filters").getByLabel("Category", {exact: true}),
        value: "refunds",
        drop: /bakeoff-cases\.[\w-]+\.json/,
        stale: "#observablehq-main .card, [data-testid=difference-table]",
        recovered: async () => {
          await page.locator("[data-testid=bakeoff-slice-note]").waitFor({timeout: 30_000});
          expect(await text(page.locator("[data-testid=bakeoff-slice-note]"))).toContain(
            `Best on this slice: ${e.best}`
          );
        }
      });
      expect(dropped).toHaveLength(1);
    } finally {
      await close();
    }
  });
});

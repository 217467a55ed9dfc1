// Issue #14's "a page without exploration transfers no more than it does today", measured in Chromium.
// Read as the issue's "How" puts it ("DuckDB-wasm loads only when a page needs it: pages whose
// questions are answered by the precomputed JSON keep loading no WASM"): the target is that every page
// but Explore, the case view and the notebooks, opened unfiltered on this checkout's dist/, fetches none
// of exploration's machinery (DuckDB-wasm, Arrow, a Parquet file). Beside it, for information, each page
// that gained filters is weighed unfiltered against a site built from the commit before the filters
// (TRANSFER_BENCH_BASE, default 2befbf5: the parent of the first commit of src/components/pageFilters.ts):
// those pages carry their filter form and download links, the issue's own items 2 and 5, so they weigh a
// few kB more (0.4-1.8% on 2026-12-07), and no page with a table can carry its download without its
// code. The old site is built once, from a git worktree of that commit sharing this checkout's
// node_modules, into .workbench/bench/transfer-<commit>-sample-<tree>, from this checkout's sample
// workspace (data/sample as committed, <tree> its git tree id): the same data on both sides, so that a
// change of the sample (bf3eac7 gave passing cases an output, 32 kB more of triage's listed excerpts) is
// not counted against the pages' code. Bytes are every response body the page fetched until it rendered
// (as served, uncompressed), and the same files gzipped (what a compressing host sends). Run npm run
// build first.
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import type {Browser} from "playwright-core";
import {projectRoot} from "../../loaders/workspace/config.js";
import {launchChromium} from "../../test/browser/browser.js";
import {serveStatic} from "../../test/browser/server.js";
import type {Bench, BenchResult} from "./types.js";

const BASE = process.env.TRANSFER_BENCH_BASE ?? "2befbf5";
const PAGES = ["traces", "drift", "eval-triage", "bakeoff", "corrections"];
/** The pages that read Parquet by design: Explore and the case view (a case's rows). notebooks/ is not listed. */
const EXPLORING = new Set(["explore.html", "case.html"]);
/**
 * A request for exploration's machinery: DuckDB-wasm (its module, worker or WebAssembly), Arrow, the
 * Parquet reader (hyparquet) or a Parquet file.
 */
const MACHINERY = /duckdb|apache-arrow|hyparquet|\.wasm$|\.parquet$|\.arrow$/i;

function run(command: string, args: string[], cwd: string): void {
  const r = spawnSync(command, args, {
    cwd,
    stdio: "inherit",
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}
  });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${r.status})`);
}

/** The old commit's site, built once from a worktree of it over this checkout's committed sample. */
function baseSite(scaleDir: string): string {
  const sample = spawnSync("git", ["rev-parse", "--short=10", "HEAD:data/sample"], {
    cwd: projectRoot,
    encoding: "utf8"
  });
  if (sample.status !== 0) throw new Error(`git rev-parse HEAD:data/sample failed: ${sample.stderr}`);
  const tree = join(scaleDir, `transfer-${BASE}-sample-${sample.stdout.trim()}`);
  const dist = join(tree, "dist");
  if (existsSync(join(dist, "traces.html"))) return dist;
  rmSync(tree, {recursive: true, force: true});
  run("git", ["worktree", "prune"], projectRoot);
  run("git", ["worktree", "add", "--detach", tree, BASE], projectRoot);
  symlinkSync(join(projectRoot, "node_modules"), join(tree, "node_modules"));
  // The committed sample, not the old commit's, in place of the worktree's own.
  rmSync(join(tree, "data", "sample"), {recursive: true, force: true});
  const archive = spawnSync("git", ["archive", "HEAD", "data/sample"], {cwd: projectRoot, maxBuffer: 1 << 30});
  if (archive.status !== 0) throw new Error(`git archive HEAD data/sample failed: ${archive.stderr}`);
  const unpack = spawnSync("tar", ["-x", "-C", tree], {input: archive.stdout});
  if (unpack.status !== 0) throw new Error(`unpacking the sample into ${tree} failed: ${unpack.stderr}`);
  run(join(projectRoot, "node_modules", ".bin", "tsx"), ["scripts/build.ts"], tree);
  return dist;
}

/**
 * What an unfiltered page fetches until it has rendered: every request it made (`requested`, failed
 * ones too), and with `bodies` the bytes of those that finished, as served and gzipped.
 */
async function transferred(
  browser: Browser,
  dist: string,
  path: string,
  {bodies: weigh = true}: {bodies?: boolean} = {}
): Promise<{raw: number; gzip: number; files: string[]; requested: string[]}> {
  const server = await serveStatic(dist);
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  try {
    await context.route("**/*", (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort()
    );
    const files: string[] = [];
    const requested: string[] = [];
    // The bodies as served: a range request's (eval triage's suite block) is the range, not the file.
    const bodies: Promise<Buffer | undefined>[] = [];
    context.on("request", (request) => requested.push(new URL(request.url()).pathname));
    context.on("requestfinished", (request) => {
      files.push(new URL(request.url()).pathname);
      if (weigh) bodies.push(request.response().then((r) => r?.body()));
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}${path}`, {waitUntil: "networkidle"});
    await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0);
    await page.waitForLoadState("networkidle");
    let raw = 0;
    let gzip = 0;
    for (const [k, body] of (await Promise.all(bodies)).entries()) {
      if (!body) throw new Error(`transfer: no body for ${files[k]}`);
      raw += body.length;
      gzip += gzipSync(body, {level: 6}).length;
    }
    return {raw, gzip, files, requested};
  } finally {
    await context.close();
    await server.close();
  }
}

const bench: Bench = async ({scaleDir}) => {
  const dist = join(projectRoot, process.env.WORKBENCH_OUTPUT ?? "dist");
  if (!existsSync(join(dist, "traces.html"))) throw new Error(`${dist} has no site: run npm run build first`);
  const base = baseSite(scaleDir);
  const browser = await launchChromium();
  const results: BenchResult[] = [];
  try {
    // Every built page but those that explore by design (a notebook's sql cells read the same Parquet).
    const pages = readdirSync(dist)
      .filter((f) => f.endsWith(".html") && !EXPLORING.has(f))
      .sort();
    const fetched: string[] = [];
    for (const page of pages) {
      const {requested} = await transferred(browser, dist, `/${page}`, {bodies: false});
      fetched.push(...requested.filter((f) => MACHINERY.test(f)).map((f) => `${page}: ${f}`));
    }
    results.push({
      name: `transfer: exploration's machinery (DuckDB-wasm, Arrow, Parquet) fetched by the ${pages.length} pages other than Explore, the case view and the notebooks, opened unfiltered`,
      seconds: 0,
      reference: null,
      target: {max: 0, of: "requests"},
      value: fetched.length,
      note: fetched.length ? fetched.join(", ") : `none; pages: ${pages.join(", ")}`
    });
    for (const name of PAGES) {
      const before = await transferred(browser, base, `/${name}.html`);
      const now = await transferred(browser, dist, `/${name}.html`);
      const added = now.files.filter(
        (f) => !before.files.some((b) => b.replace(/\.[\w-]{8}\./, ".") === f.replace(/\.[\w-]{8}\./, "."))
      );
      results.push({
        name: `transfer: ${name}, unfiltered, against ${BASE} (before the filters)`,
        seconds: 0,
        reference: null,
        target: {max: 1, of: "ratio"},
        informational: true,
        value: now.raw / before.raw,
        note: `${(now.raw / 1e3).toFixed(1)} kB against ${(before.raw / 1e3).toFixed(1)} kB (${((now.raw - before.raw) / 1e3).toFixed(1)} kB); gzipped ${(now.gzip / 1e3).toFixed(1)} against ${(before.gzip / 1e3).toFixed(1)} kB${added.length ? `; files new: ${added.join(", ")}` : ""}`
      });
    }
  } finally {
    await browser.close();
  }
  return results;
};

export default bench;

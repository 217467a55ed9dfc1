// Issue #14's "a page without exploration transfers no more than it does today", measured in Chromium:
// each page that gained filters, opened unfiltered, on this checkout's dist/ and on a site built from
// the commit before the filters (TRANSFER_BENCH_BASE, default 2befbf5: the parent of the first commit
// of src/components/pageFilters.ts). The old site is built once, from a git worktree of that commit
// sharing this checkout's node_modules, into .workbench/bench/transfer-<commit>-sample-<tree>, from
// this checkout's sample workspace (data/sample as committed, <tree> its git tree id): the same data on
// both sides, so that a change of the sample (bf3eac7 gave passing cases an output, 32 kB more of triage's
// listed excerpts) is not counted against the pages' code. Bytes are every
// response body the page fetched until it rendered (as served, uncompressed), and the same files
// gzipped (what a compressing host sends). Target: ratio ≤ 1 to the old site. Run npm run build first.
import {spawnSync} from "node:child_process";
import {existsSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import type {Browser} from "playwright-core";
import {projectRoot} from "../../loaders/workspace/config.js";
import {launchChromium} from "../../test/browser/browser.js";
import {serveStatic} from "../../test/browser/server.js";
import type {Bench, BenchResult} from "./types.js";

const BASE = process.env.TRANSFER_BENCH_BASE ?? "2befbf5";
const PAGES = ["traces", "drift", "eval-triage", "bakeoff", "corrections"];

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

/** The bytes an unfiltered page fetches until it has rendered: as served, and gzipped. */
async function transferred(
  browser: Browser,
  dist: string,
  path: string
): Promise<{raw: number; gzip: number; files: string[]}> {
  const server = await serveStatic(dist);
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  try {
    await context.route("**/*", (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort()
    );
    const files: string[] = [];
    // The bodies as served: a range request's (eval triage's suite block) is the range, not the file.
    const bodies: Promise<Buffer | undefined>[] = [];
    context.on("requestfinished", (request) => {
      files.push(new URL(request.url()).pathname);
      bodies.push(request.response().then((r) => r?.body()));
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
    return {raw, gzip, files};
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

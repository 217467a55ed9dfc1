import {basename} from "node:path";
import {defineConfig} from "vitest/config";
import {BaseSequencer, type TestSpecification} from "vitest/node";
import {useRunTemp} from "./test/runTemp.js";

// The run's temporary files (sites, workspaces, downloads) in one folder, removed when it ends (test/runTemp.ts).
const runTemp = useRunTemp();

/**
 * The files that build a site of their own (buildSite in test/browser/site.ts): their builds take the
 * checkout's build lock in turn, so two of them started together would leave a worker waiting.
 */
const BUILDS_A_SITE = ["explore.test.ts", "production.test.ts"];
/**
 * Opens the hostile site build.test.ts built and remembered, and builds its own only when there is none
 * (test/hostile/builtSite.ts). In CI the browser files run beside npm test (.ci/run), so it goes last, by
 * when build.test.ts has most likely remembered that site, and waits for it while npm test still runs:
 * first in the queue it built the same site again (335 s of a loaded run).
 */
const REUSES_A_SITE = "hostile.test.ts";
/** Opens every page at three widths: the longest file, so it starts first rather than finishing last alone. */
const LONGEST = "pages.test.ts";

/**
 * Vitest's order (longest first by its cache, else largest first, as in a clean clone), then the
 * longest file first and the site builders spread evenly through the queue: each holds the build lock
 * only for its build, so spaced out they rarely wait for each other.
 */
class BrowserSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const name = (spec: TestSpecification) => basename(spec.moduleId);
    const builders = sorted.filter((spec) => BUILDS_A_SITE.includes(name(spec)));
    const last = sorted.filter((spec) => name(spec) === REUSES_A_SITE);
    const readers = sorted.filter((spec) => !BUILDS_A_SITE.includes(name(spec)) && name(spec) !== REUSES_A_SITE);
    readers.sort((a, b) => Number(name(b) === LONGEST) - Number(name(a) === LONGEST));
    const out: TestSpecification[] = [];
    const every = Math.max(1, Math.ceil(readers.length / Math.max(1, builders.length)));
    readers.forEach((spec, i) => {
      if (i % every === 0 && builders.length) out.push(builders.shift()!);
      out.push(spec);
    });
    return [...out, ...builders, ...last];
  }
}

// npm run test:browser: the built site in Chromium, three files at a time on 2 cores: a file spends much of
// its time waiting on pages to render or stay still, not computing, and two at a time left a core idle
// (README, Tests).
export default defineConfig({
  // Components import htl as npm:htl, as Framework resolves it for the pages (src/types.d.ts says why).
  resolve: {alias: {"npm:htl": "htl"}},
  test: {
    include: ["test/browser/**/*.test.ts"],
    // Above visitPage's render deadline (120 s), so that a page too slow fails with its own message.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: 3,
    // Not isolated: the files share one module graph (Playwright, d3, DuckDB's binding, the loaders), imported
    // once per worker instead of once per file. No browser file keeps state between files: each serves and
    // launches its own Chromium in its hooks, and none changes process.env or stubs a module.
    isolate: false,
    sequence: {sequencer: BrowserSequencer},
    env: {TZ: "UTC", TMPDIR: runTemp}
  }
});

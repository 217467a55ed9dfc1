// The hostile workspace's site is built once for both of CI's test steps: test/integration/build.test.ts
// (npm test) builds it with npm run build and checks its data and its scan, then remembers it here, and
// test/browser/hostile.test.ts (npm run test:browser, the step after) opens every page of that site
// instead of building the same one again (a full build: ingest, page data and Framework, minutes under
// load). It is reused only when every file a site is made from has the bytes it had when that build ran.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {dirname, join, relative} from "node:path";
import {projectRoot} from "../../loaders/workspace/config.js";

const sites = join(projectRoot, ".workbench", "test-sites");
const record = join(sites, "hostile.json");
const SITE_PREFIX = "hostile-";

/**
 * A new folder for build.test.ts to build the hostile site into: in the checkout rather than under the
 * system's temporary folder, which each test run removes when it ends (test/runTemp.ts), while in CI the
 * browser files may still be opening this site after npm test has ended.
 */
export function newHostileSiteFolder(): string {
  mkdirSync(sites, {recursive: true});
  return mkdtempSync(join(sites, SITE_PREFIX));
}

/**
 * What a built site is made from besides its workspace's files: the pages, components and loaders, the build
 * scripts, Framework's config, the installed packages (by the lock) and the hostile workspace's writer.
 * Framework's cache and the notebooks prepare() copies into src/ are outputs of the build, not inputs.
 */
const inputs = [
  "src",
  "loaders",
  "scripts",
  join("test", "hostile"),
  "observablehq.config.ts",
  "package.json",
  "package-lock.json"
];
const outputs = new Set([join("src", ".observablehq"), join("src", "notebooks")]);

/** SHA-256 over the path and bytes of every input file, in a fixed order. */
export function siteInputsFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (path: string): void => {
    const full = join(projectRoot, path);
    if (outputs.has(path) || !existsSync(full)) return;
    if (!statSync(full).isDirectory()) {
      hash.update(`${path}\0`).update(readFileSync(full)).update("\0");
      return;
    }
    for (const name of readdirSync(full).sort()) visit(join(path, name));
  };
  for (const input of inputs) visit(input);
  return hash.digest("hex");
}

/**
 * Remembers dist as the hostile workspace's site, built from the inputs as they are now, and removes the
 * sites built before it (newHostileSiteFolder), so that the checkout keeps one.
 */
export function rememberHostileSite(dist: string): void {
  mkdirSync(dirname(record), {recursive: true});
  writeFileSync(record, JSON.stringify({fingerprint: siteInputsFingerprint(), dist}));
  for (const name of readdirSync(sites))
    if (name.startsWith(SITE_PREFIX) && join(sites, name) !== dist)
      rmSync(join(sites, name), {recursive: true, force: true});
}

/** The remembered hostile site, if it is still there and was built from inputs byte-identical to these. */
export function rememberedHostileSite(): string | undefined {
  let remembered: {fingerprint: string; dist: string};
  try {
    remembered = JSON.parse(readFileSync(record, "utf8"));
  } catch {
    return undefined;
  }
  if (!existsSync(join(remembered.dist, "index.html"))) return undefined;
  return remembered.fingerprint === siteInputsFingerprint() ? remembered.dist : undefined;
}

/**
 * The remembered hostile site, waited for while the file `marker` exists (.ci/run keeps one while npm
 * test runs beside the browser files, since its build.test.ts builds and remembers this site), for at
 * most maxMs; undefined when none came, and at once without a marker.
 */
export async function awaitedHostileSite(marker: string | undefined, maxMs = 600_000): Promise<string | undefined> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const site = rememberedHostileSite();
    if (site || !marker || !existsSync(marker) || Date.now() > deadline) return site;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

/** For messages: where the record is, relative to the project. */
export const hostileSiteRecord = relative(projectRoot, record);

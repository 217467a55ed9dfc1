// Framework fetches every npm: import from cdn.jsdelivr.net and resolves unversioned ones on
// registry.npmjs.org, unless src/.observablehq/cache/_npm already holds them. This fills that cache
// from node_modules, so builds need no network and use the versions pinned by package-lock.json.
import {createHash} from "node:crypto";
import {existsSync, readFileSync, realpathSync} from "node:fs";
import {copyFile, mkdir, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join, posix, resolve, sep} from "node:path";
import {pathToFileURL} from "node:url";
import {build, version as esbuildVersion, type Plugin} from "esbuild";

/** What pages use implicitly (Plot, d3, html, Inputs, FileAttachment csv/arrow, DuckDBClient, sql). */
export const defaultPackages: readonly string[] = [
  "@observablehq/plot",
  "d3",
  "d3-dsv",
  "htl",
  "isoformat",
  "apache-arrow",
  "arquero",
  "@duckdb/duckdb-wasm"
];

/**
 * Libraries that Framework's client bundle imports on demand (recommendedLibraries.js,
 * sampleDatasets.js, fileAttachment.js). Building it only resolves their version, and an empty
 * _npm/<name>@<version> folder answers that without the registry. A page that really uses one
 * needs it installed and listed in packages instead: the build would fetch its code from jsDelivr.
 */
export const placeholderVersions: Readonly<Record<string, string>> = {
  "@observablehq/sample-datasets": "1.0.1",
  echarts: "6.1.0",
  leaflet: "1.9.4",
  lodash: "4.18.1",
  "mapbox-gl": "3.32.0",
  "parquet-wasm": "0.8.0",
  react: "19.3.1",
  "react-dom": "19.3.1",
  "topojson-client": "3.1.0"
};

/** Files Framework copies next to @duckdb/duckdb-wasm's bundle for DuckDBClient and sql. */
const duckdbFiles = [
  "dist/duckdb-mvp.wasm",
  "dist/duckdb-eh.wasm",
  "dist/duckdb-browser-mvp.worker.js",
  "dist/duckdb-browser-eh.worker.js"
];

// Bump to re-seed every cache after changing how bundles are built.
const SEED_FORMAT = 1;

export interface SeedOptions {
  /** Packages to seed; defaults to defaultPackages. */
  packages?: readonly string[];
  /** Progress lines; defaults to stderr, since stdout of a loader is its output. */
  log?: (line: string) => void;
}

export interface SeededPackage {
  name: string;
  version: string;
  /** False when the cache already held this exact seed. */
  built: boolean;
}

interface Target {
  name: string;
  version: string;
  /** Real path of node_modules/<name>. */
  dir: string;
  /** Cache folder _npm/<name>@<version>. */
  out: string;
}

export async function seedNpmCache(
  root: string,
  {packages = defaultPackages, log = (line) => console.error(line)}: SeedOptions = {}
): Promise<SeededPackage[]> {
  const npmRoot = join(root, ".observablehq", "cache", "_npm");
  const targets = packages.map((name): Target => {
    const {version, dir} = findPackage(root, name);
    return {name, version, dir, out: join(npmRoot, `${name}@${version}`)};
  });
  await checkDuckDBVersion(root, targets);
  const key = createHash("sha256")
    .update(JSON.stringify({SEED_FORMAT, esbuildVersion, packages: targets.map((t) => `${t.name}@${t.version}`)}))
    .digest("hex");
  for (const [name, version] of Object.entries(placeholderVersions)) {
    if (packages.includes(name)) continue;
    const out = join(npmRoot, `${name}@${version}`);
    await removeOtherVersions(out, name, version, log);
    await mkdir(out, {recursive: true});
  }
  return Promise.all(targets.map((target) => seed(root, target, targets, key, log)));
}

async function seed(
  root: string,
  target: Target,
  targets: Target[],
  key: string,
  log: (line: string) => void
): Promise<SeededPackage> {
  const {name, version, out} = target;
  await removeOtherVersions(out, name, version, log);
  const stamp = join(out, ".seed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === key) return {name, version, built: false};
  const start = performance.now();
  await rm(out, {recursive: true, force: true});
  await mkdir(out, {recursive: true});
  const code = await bundle(root, target, targets).catch((error: Error) => {
    throw new Error(`! seedNpmCache: could not bundle ${name}@${version} from ${target.dir}: ${error.message}`);
  });
  await writeFile(join(out, "_esm.js"), code);
  if (name === "@duckdb/duckdb-wasm") await copyFiles(target, duckdbFiles);
  await writeFile(stamp, key);
  log(`npm:${name}@${version} → ${join(out, "_esm.js")} (${Math.round(performance.now() - start)}ms)`);
  return {name, version, built: true};
}

/** The package Node would load from root: its version and the real path of its folder. */
function findPackage(root: string, name: string): {version: string; dir: string} {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const pkg = join(dir, "node_modules", name, "package.json");
    if (existsSync(pkg)) {
      const {version} = JSON.parse(readFileSync(pkg, "utf8")) as {version: string};
      return {version, dir: realpathSync(dirname(pkg))};
    }
    if (dirname(dir) === dir) {
      throw new Error(
        `! seedNpmCache: ${name} is not installed in any node_modules above ${resolve(root)}; add it to package.json and run npm install.`
      );
    }
  }
}

/** Framework loads its own pinned version of duckdb-wasm whatever is installed; they must agree. */
async function checkDuckDBVersion(root: string, targets: Target[]): Promise<void> {
  const duckdb = targets.find((t) => t.name === "@duckdb/duckdb-wasm");
  if (!duckdb) return;
  const framework = findPackage(root, "@observablehq/framework");
  const {DUCKDB_WASM_VERSION} = (await import(pathToFileURL(join(framework.dir, "dist", "duckdb.js")).href)) as {
    DUCKDB_WASM_VERSION: string;
  };
  if (duckdb.version !== DUCKDB_WASM_VERSION) {
    throw new Error(
      `! seedNpmCache: @duckdb/duckdb-wasm is ${duckdb.version} in node_modules, but Framework ${framework.version} loads ${DUCKDB_WASM_VERSION}; ` +
        `pin "@duckdb/duckdb-wasm": "${DUCKDB_WASM_VERSION}" in package.json.`
    );
  }
}

/** Unversioned imports resolve to the highest cached version, so a stale one would win. */
async function removeOtherVersions(
  out: string,
  name: string,
  version: string,
  log: (line: string) => void
): Promise<void> {
  const parent = dirname(out);
  const prefix = `${name.split("/").pop()}@`;
  const entries = existsSync(parent) ? await readdir(parent) : [];
  for (const entry of entries.filter((e) => e.startsWith(prefix) && e !== `${prefix}${version}`)) {
    log(`npm:${name}: removing ${join(parent, entry)}, since ${version} is the version to use`);
    await rm(join(parent, entry), {recursive: true, force: true});
  }
}

async function bundle(root: string, target: Target, targets: Target[]): Promise<string> {
  const result = await build({
    entryPoints: [target.name],
    absWorkingDir: resolve(root),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
    define: {"process.env.NODE_ENV": '"production"'},
    plugins: [shareSeeded(target, targets)]
  });
  return result.outputFiles[0]!.text;
}

/** Imports of another seeded package point at its cached bundle, so the browser loads it once. */
function shareSeeded(self: Target, targets: Target[]): Plugin {
  const resolving = Symbol("resolving");
  return {
    name: "share-seeded",
    setup(plugin) {
      plugin.onResolve({filter: /^[^./]/}, async (args) => {
        const other = targets.find((t) => t.name === args.path && t !== self);
        if (!other || args.kind === "entry-point" || args.pluginData === resolving) return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: resolving
        });
        // A nested copy of another version stays inline: it is not the one in the cache.
        if (resolved.errors.length > 0 || !resolved.path.startsWith(other.dir + sep)) return undefined;
        const path = posix.relative(
          posix.dirname(`/${self.name}@${self.version}/_esm.js`),
          `/${other.name}@${other.version}/_esm.js`
        );
        return {path, external: true};
      });
    }
  };
}

async function copyFiles(target: Target, files: readonly string[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(target.out, file)), {recursive: true});
    await copyFile(join(target.dir, file), join(target.out, file));
  }
}

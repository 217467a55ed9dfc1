import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {dirname, join} from "node:path";
import {build} from "esbuild";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {
  defaultPackages,
  placeholderVersions,
  seedNpmCache,
  type SeededPackage
} from "../../loaders/hermetic/seedNpmCache.js";

// Inside the project, so that node_modules is found above the root as in a real build.
const outputDir = join(import.meta.dirname, "..", "output");
mkdirSync(outputDir, {recursive: true});
const root = join(mkdtempSync(join(outputDir, "seed-")), "src");
const npm = join(root, ".observablehq", "cache", "_npm");
const installed = (name: string): string =>
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "node_modules", name, "package.json"), "utf8")).version;

/** Import specifiers of an ES module, as esbuild parses them. */
async function importsOf(file: string): Promise<string[]> {
  const result = await build({
    stdin: {contents: readFileSync(file, "utf8"), loader: "js"},
    bundle: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {name: "external", setup: (b) => b.onResolve({filter: /.*/}, (args) => ({path: args.path, external: true}))}
    ]
  });
  return Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
}

describe("seedNpmCache(root)", () => {
  let first: SeededPackage[];
  beforeAll(async () => void (first = await seedNpmCache(root, {log: () => {}})));
  afterAll(() => rmSync(dirname(root), {recursive: true, force: true}));

  test("bundles every default package at its installed version", () => {
    expect(first).toEqual(defaultPackages.map((name) => ({name, version: installed(name), built: true})));
    for (const {name, version} of first) expect(existsSync(join(npm, `${name}@${version}`, "_esm.js"))).toBe(true);
  });

  test("leaves no bare import: a seeded package imports another by relative path", async () => {
    for (const {name, version} of first) {
      for (const specifier of await importsOf(join(npm, `${name}@${version}`, "_esm.js"))) {
        expect(specifier, `${name}@${version}`).toMatch(/^\.\.\/(\.\.\/)?[^/]+@[^/]+\/_esm\.js$/);
      }
    }
    expect(await importsOf(join(npm, `@observablehq/plot@${installed("@observablehq/plot")}`, "_esm.js"))).toContain(
      `../../d3@${installed("d3")}/_esm.js`
    );
  });

  test("copies duckdb-wasm's workers and wasm files", () => {
    for (const file of [
      "duckdb-mvp.wasm",
      "duckdb-eh.wasm",
      "duckdb-browser-mvp.worker.js",
      "duckdb-browser-eh.worker.js"
    ]) {
      expect(existsSync(join(npm, "@duckdb", `duckdb-wasm@${installed("@duckdb/duckdb-wasm")}`, "dist", file))).toBe(
        true
      );
    }
  });

  test("names a version for every library Framework's client can import", () => {
    for (const [name, version] of Object.entries(placeholderVersions))
      expect(existsSync(join(npm, `${name}@${version}`))).toBe(true);
  });

  test("builds nothing the second time, and removes other versions of a seeded package", async () => {
    mkdirSync(join(npm, "d3@7.0.0"));
    const second = await seedNpmCache(root, {log: () => {}});
    expect(second.every((p) => !p.built)).toBe(true);
    expect(existsSync(join(npm, "d3@7.0.0"))).toBe(false);
  });
});

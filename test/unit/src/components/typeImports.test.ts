// Components and src/lib/ import the page data types from loaders/ (outside Framework's root) with
// `import type`: Framework transpiles each module with esbuild, which erases them, so nothing from
// loaders/ is requested by a page or copied into dist/. A value import would be requested and fail.
import {readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";
import {transformSync} from "esbuild";
import {describe, expect, test} from "vitest";
import {projectRoot} from "../../../../loaders/workspace/config.js";

const browserCode = (dir: string): string[] =>
  readdirSync(join(projectRoot, dir), {withFileTypes: true, recursive: true})
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(projectRoot, join(e.parentPath, e.name)));

/** Every module specifier a transpiled module still imports or re-exports. */
function specifiers(code: string): string[] {
  return [
    ...code.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^;"']*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g
    )
  ].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe("modules the browser runs (src/components/, src/lib/)", () => {
  const files = [...browserCode("src/components"), ...browserCode("src/lib")];

  test("include the ones that import page data types from loaders/", () => {
    const typed = files.filter((f) =>
      /import type [^;]*from "(\.\.\/)+loaders\//.test(readFileSync(join(projectRoot, f), "utf8"))
    );
    expect(typed).toContain("src/components/briefViews.ts");
    expect(typed).toContain("src/components/classifierViews.ts");
  });

  test.each(files)("%s keeps no import of loaders/ once transpiled as Framework does", (file) => {
    const source = readFileSync(join(projectRoot, file), "utf8");
    const {code} = transformSync(source, {loader: "ts", format: "esm", target: "es2022"});
    expect(specifiers(code).filter((s) => s.includes("loaders/"))).toEqual([]);
  });

  test("the check sees a value import of loaders/", () => {
    const {code} = transformSync(`import {ALL} from "../../loaders/queries/production.js";\nexport const x = ALL;`, {
      loader: "ts",
      format: "esm"
    });
    expect(specifiers(code)).toEqual(["../../loaders/queries/production.js"]);
  });
});

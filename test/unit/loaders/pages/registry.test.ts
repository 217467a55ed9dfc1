// Framework serves a data file only where a loader file exists, and the pipeline writes only the pages
// the registry lists: the two lists must be the same, each loader naming its own page.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {expect, test} from "vitest";
import {freshPages, pages} from "../../../../loaders/pages/registry.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";

const dataDir = join(projectRoot, "src", "data");
const loaders = readdirSync(dataDir)
  .filter((f) => f.endsWith(".json.ts"))
  .map((f) => f.replace(/\.json\.ts$/, ""))
  .sort();

test("every data loader is a page of the registry, and every page has its loader", () => {
  expect(loaders).toEqual([...Object.keys(pages), ...Object.keys(freshPages)].sort());
});

test("each page's loader writes that page", () => {
  for (const name of loaders.filter((n) => n !== "build-stamp")) {
    expect(readFileSync(join(dataDir, `${name}.json.ts`), "utf8"), name).toContain(
      `await writePage(${JSON.stringify(name)});`
    );
  }
});

// scripts/compiled.mjs, which `npm run build` runs: a script compiled once to JavaScript and run from
// the bundle while its sources are unchanged. A bundle older than a source would build with old code,
// so a changed import must show on the next run, and a module's import.meta must stay its source's.
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {tmpdir} from "node:os";
import {pathToFileURL} from "node:url";
import {afterAll, describe, expect, test} from "vitest";
import {projectRoot} from "../../../loaders/workspace/config.js";

const dir = mkdtempSync(join(tmpdir(), "workbench-compiled-"));
const name = `compiled-probe-${process.pid}`;
const script = join(dir, `${name}.ts`);
const helper = join(dir, "helper.ts");
const bundle = join(projectRoot, ".workbench", "bundle", `${name}.mjs`);

afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
  rmSync(bundle, {force: true});
  rmSync(`${bundle}.inputs.json`, {force: true});
});

function run(...args: string[]): string[] {
  const result = spawnSync(process.execPath, [join(projectRoot, "scripts", "compiled.mjs"), script, ...args], {
    cwd: projectRoot,
    encoding: "utf8"
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().split("\n");
}

describe("scripts/compiled.mjs", {timeout: 60_000}, () => {
  test("runs the script's current code, with its own import.meta and arguments", () => {
    writeFileSync(helper, `export const where = import.meta.url;\nexport const value: number = 1;\n`);
    writeFileSync(
      script,
      `import {value, where} from "./helper.js";\nconsole.log(value);\nconsole.log(where);\nconsole.log(import.meta.dirname);\nconsole.log(process.argv.slice(2).join(" "));\n`
    );
    expect(run("--strict", "x")).toEqual(["1", pathToFileURL(helper).href, dir, "--strict x"]);
    expect(existsSync(bundle)).toBe(true);
    // Unchanged: the same bundle answers.
    expect(run()[0]).toBe("1");
    // A changed import, same length and all: compiled again, never the old value.
    writeFileSync(helper, `export const where = import.meta.url;\nexport const value: number = 2;\n`);
    expect(run()[0]).toBe("2");
  });

  test("a bundle whose record is lost or damaged is compiled again", () => {
    writeFileSync(helper, `export const where = "";\nexport const value: number = 3;\n`);
    writeFileSync(`${bundle}.inputs.json`, "{not json");
    expect(run()[0]).toBe("3");
  });
});

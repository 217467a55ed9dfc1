// The pages computed every build (the build stamp, the brief's draft) open the warehouse only when one
// queries it: a build with nothing changed and no model to ask then loads no DuckDB at all
// (docs/scale.md, Start-up). Here the warehouse does not exist, so opening it would fail.
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, test} from "vitest";
import {computeFreshPages} from "../../../../loaders/pages/computePages.js";
import type {Warehouse} from "../../../../loaders/warehouse/warehouse.js";
import {resolveWorkspace} from "../../../../loaders/workspace/config.js";

const dir = mkdtempSync(join(tmpdir(), "workbench-fresh-"));
const key = process.env.OPENAI_API_KEY;

afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
  if (key === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = key;
});

const warehouse = (path: string): Warehouse => ({
  path,
  fingerprint: "f",
  fingerprintBesidesPrices: "f",
  workspace: resolveWorkspace({}),
  rebuilt: false
});

const target = {dataDir: join(dir, "data"), loaderDir: join(dir, "loaders")};

describe("computeFreshPages", () => {
  test("without a model to ask, writes the stamp and the composed draft without opening the warehouse", async () => {
    process.env.OPENAI_API_KEY = "";
    await computeFreshPages(warehouse(join(dir, "no-such-warehouse.duckdb")), target);
    expect(JSON.parse(readFileSync(join(target.dataDir, "brief-draft.json"), "utf8"))).toEqual({
      mode: "deterministic",
      model: null,
      reason: null
    });
    expect(
      Date.parse(JSON.parse(readFileSync(join(target.dataDir, "build-stamp.json"), "utf8")).built_at)
    ).not.toBeNaN();
  });

  test("with a model to ask, opens the warehouse (and says so when it cannot)", async () => {
    process.env.OPENAI_API_KEY = "sk-test";
    await expect(computeFreshPages(warehouse(join(dir, "sub", "no-such-warehouse.duckdb")), target)).rejects.toThrow();
  });
});

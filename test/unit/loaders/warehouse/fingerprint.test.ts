import {relative} from "node:path";
import {describe, expect, it} from "vitest";
import {codeFiles} from "../../../../loaders/warehouse/fingerprint.js";
import {projectRoot} from "../../../../loaders/workspace/config.js";

describe("codeFiles()", () => {
  it("covers the shared src/lib/ metrics and formats as well as loaders/", async () => {
    const files = (await codeFiles()).map((path) => relative(projectRoot, path).replaceAll("\\", "/"));
    expect(files).toContain("loaders/warehouse/fingerprint.ts");
    expect(files).toContain("src/lib/metrics/wilson.ts");
    expect(files).toContain("src/lib/format.ts");
    // Pages and components change no data: editing them must not rebuild the warehouse.
    expect(files.filter((f) => f.startsWith("src/") && !f.startsWith("src/lib/"))).toEqual([]);
  });
});
